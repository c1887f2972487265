/// Why an Ed25519 key could not be read or a message could not be signed.
public enum SigningError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The public key is not 32 bytes (or 64 hex digits).
    case invalidPublicKey(reason: String)
    /// libsodium could not sign (it was not initialised, or the secret key was unusable).
    case signingFailed(reason: String)

    /// A sentence for people.
    public var description: String {
        switch self {
        case .invalidPublicKey(let reason): "The Ed25519 public key is invalid: \(reason)."
        case .signingFailed(let reason): "The message could not be signed: \(reason)."
        }
    }
}
