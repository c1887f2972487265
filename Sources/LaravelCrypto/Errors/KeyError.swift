/// Why a key string or key bytes could not be used.
///
/// Messages name the problem and the sizes involved, never the key itself.
public enum KeyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No key was given (an empty `APP_KEY`, for example).
    case missing(variable: String)
    /// The key text is not in a form the cipher family accepts (`base64:…`, hex, or raw for Laravel).
    case invalidFormat(reason: String)
    /// The key decoded to the wrong number of bytes for what it is for (a cipher, a file driver, a
    /// user key or a blind index).
    case invalidLength(for: KeyPurpose, expected: Int, actual: Int)
    /// Secure memory for the key could not be allocated (or libsodium could not start).
    ///
    /// Every ``EncryptionKey`` has a guarded `sodium_malloc` block of its own: guard pages on both
    /// sides make three memory mappings per key, so a Linux process runs out near 20 000 keys
    /// (`vm.max_map_count`, 65 530 by default). Keep previous keys to those still needed, and use
    /// ``UserKey`` (ordinary memory, wiped) for keys made per user or per request.
    case allocationFailed

    /// A sentence for people.
    public var description: String {
        switch self {
        case .missing(let variable):
            "No encryption key was specified (\(variable) is empty or unset)."
        case .invalidFormat(let reason):
            "The encryption key is malformed: \(reason)."
        case .invalidLength(let purpose, let expected, let actual):
            "\(purpose) needs a \(expected)-byte key, but the key has \(actual) bytes."
        case .allocationFailed:
            "Secure memory for the key could not be allocated (each key takes three memory mappings; "
                + "a process holds at most about 20 000 keys, and per-user keys belong in UserKey)."
        }
    }
}
