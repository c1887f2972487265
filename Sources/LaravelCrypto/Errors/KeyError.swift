/// Why a key string or key bytes could not be used.
///
/// Messages name the problem and the sizes involved, never the key itself.
public enum KeyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No key was given (an empty `APP_KEY`, for example).
    case missing(variable: String)
    /// The key text is not in a form the cipher family accepts (`base64:…`, hex, or raw for Laravel).
    case invalidFormat(reason: String)
    /// The key decoded to the wrong number of bytes for the cipher.
    case invalidLength(cipher: String, expected: Int, actual: Int)
    /// Secure memory for the key could not be allocated.
    case allocationFailed

    /// A sentence for people.
    public var description: String {
        switch self {
        case .missing(let variable):
            "No encryption key was specified (\(variable) is empty or unset)."
        case .invalidFormat(let reason):
            "The encryption key is malformed: \(reason)."
        case .invalidLength(let cipher, let expected, let actual):
            "\(cipher) needs a \(expected)-byte key, but the key has \(actual) bytes."
        case .allocationFailed:
            "Secure memory for the key could not be allocated."
        }
    }
}
