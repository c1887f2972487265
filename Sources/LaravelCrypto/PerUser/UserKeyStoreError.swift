/// Errors of the shipped ``UserKeyStore`` implementations.
public enum UserKeyStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No user row has this identifier, so there is nowhere to store a key.
    case unknownUser(String)

    /// A readable message.
    public var description: String {
        switch self {
        case .unknownUser(let id): "No user with id \(id) exists, so their encryption key cannot be stored."
        }
    }
}
