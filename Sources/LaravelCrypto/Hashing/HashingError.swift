/// Why a hasher or signer could not be made or could not read its input.
public enum HashingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The key has a size the algorithm does not accept.
    case invalidKeyLength(algorithm: String, allowed: String, actual: Int)
    /// The requested output size is out of range.
    case invalidOutputLength(allowed: String, actual: Int)
    /// The key text could not be read (see ``KeyError``).
    case invalidKey(KeyError)
    /// The underlying library failed.
    case primitiveFailed(reason: String)

    /// A sentence for people.
    public var description: String {
        switch self {
        case .invalidKeyLength(let algorithm, let allowed, let actual):
            "\(algorithm) needs a key of \(allowed) bytes, but the key has \(actual)."
        case .invalidOutputLength(let allowed, let actual): "The output length must be \(allowed) bytes, not \(actual)."
        case .invalidKey(let error): "The key is invalid: \(error)"
        case .primitiveFailed(let reason): "A cryptographic operation failed: \(reason)."
        }
    }
}
