import LaravelCrypto

/// One line of the table: a cipher through the public API, and the seed article's figures.
struct Row: Sendable {
    let name: String
    let cipher: Cipher
    /// The seed article's PHP 8.5.1 / Apple M4 Pro µs: 1 KiB enc, dec, 1 MiB enc, dec.
    let seedMicroseconds: [Double]?

    /// The article's rows, in its order, plus SecretBox.
    static let all: [Row] = [
        Row(name: "Laravel AES-256-CBC", cipher: .laravelAES256CBC, seedMicroseconds: [8.09, 9.98, 5020, 7570]),
        Row(name: "Laravel AES-256-GCM", cipher: .laravelAES256GCM, seedMicroseconds: [3.37, 5.33, 1310, 3940]),
        Row(name: "Sodium AES-256-GCM", cipher: .aes256GCM, seedMicroseconds: [2.39, 2.58, 1110, 1880]),
        Row(name: "Sodium XChaCha20-Poly1305", cipher: .xChaCha20Poly1305, seedMicroseconds: [3.41, 3.58, 2210, 2900]),
        Row(name: "Sodium AEGIS-256", cipher: .aegis256, seedMicroseconds: [2.06, 2.27, 820, 1650]),
        Row(name: "Sodium AEGIS-128L", cipher: .aegis128L, seedMicroseconds: [2.03, 2.14, 900, 1600]),
        Row(name: "Sodium SecretBox", cipher: .secretBox, seedMicroseconds: nil),
    ]

    /// The seed's figure in ns for a size and operation, if the article has the row.
    func seedNanoseconds(size: Int, operation: Operation) -> Double? {
        guard let seed = seedMicroseconds, let column = Cell.column(size: size, operation: operation) else {
            return nil
        }
        return seed[column] * 1000
    }
}

/// Encrypt or decrypt, through the byte forms (`encryptBytes`/`decryptBytes`) or the String forms
/// (`encryptString`/`decryptString`, which also validate UTF-8 on the way out).
enum Operation: String, Sendable, Codable, CaseIterable {
    case encrypt, decrypt
    case encryptString = "encrypt-string"
    case decryptString = "decrypt-string"

    /// The byte-form operations: the article's columns.
    static let byteForms: [Operation] = [.encrypt, .decrypt]
    /// The String-form operations.
    static let stringForms: [Operation] = [.encryptString, .decryptString]

    /// The byte form of the same operation: what the plain-C and PHP harnesses measure.
    var byteForm: Operation {
        switch self {
        case .encrypt, .encryptString: .encrypt
        case .decrypt, .decryptString: .decrypt
        }
    }

    /// "enc" or "dec", for table headers.
    var shortLabel: String { byteForm == .encrypt ? "enc" : "dec" }
}

/// Where a (size, operation) sits in the article's four columns.
enum Cell {
    static let sizes = [1024, 1 << 20]

    static func column(size: Int, operation: Operation) -> Int? {
        guard let index = sizes.firstIndex(of: size), Operation.byteForms.contains(operation) else { return nil }
        return index * 2 + (operation == .encrypt ? 0 : 1)
    }

    static func sizeLabel(_ size: Int) -> String {
        if size % (1 << 20) == 0 { return "\(size >> 20) MiB" }
        if size % 1024 == 0 { return "\(size >> 10) KiB" }
        return "\(size) B"
    }
}
