/// Why a file or stream could not be encrypted, decrypted or read.
public enum FileEncryptionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Reading or writing failed; `reason` is the system's message.
    case io(path: String, reason: String)

    /// A sentence for people.
    public var description: String {
        switch self {
        case .io(let path, let reason): "Cannot read or write \(path): \(reason)."
        }
    }
}
