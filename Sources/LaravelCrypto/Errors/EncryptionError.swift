/// Why a value could not be encrypted.
public enum EncryptionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The value could not be written as PHP `serialize()` data.
    case serializationFailed(PHPSerializationError)
    /// The value could not be written as JSON the way PHP's `json_encode` writes it.
    case jsonEncodingFailed(PHPJSONError)
    /// The underlying cipher call failed (not expected with a valid key).
    case cipherFailed(reason: String)

    /// A sentence for people.
    public var description: String {
        switch self {
        case .serializationFailed(let error): "The value cannot be encrypted: \(error)"
        case .jsonEncodingFailed(let error): "The value cannot be encrypted: \(error)"
        case .cipherFailed(let reason): "The value cannot be encrypted: \(reason)."
        }
    }
}
