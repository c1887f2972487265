import LaravelCrypto

/// Cipher names for messages.
enum CipherNames {
    /// Every cipher's config name, comma-separated.
    static var all: String { Cipher.allCases.map(\.rawValue).joined(separator: ", ") }
}
