/// Why an encrypter could not be built for a cipher.
public enum CipherError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The name is not one of the ciphers this package knows (see ``Cipher``).
    case unsupported(name: String)
    /// The cipher is known but cannot run here; the reason says what is missing.
    case unavailable(cipher: Cipher, reason: String)

    /// A sentence for people.
    public var description: String {
        switch self {
        case .unsupported(let name):
            "Unsupported cipher \"\(name)\". Supported: "
                + Cipher.allCases.map(\.rawValue).joined(separator: ", ") + "."
        case .unavailable(let cipher, let reason):
            "\(cipher.rawValue) is not available here: \(reason)."
        }
    }
}
