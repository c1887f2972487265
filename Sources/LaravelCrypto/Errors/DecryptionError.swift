/// Why a payload could not be decrypted.
///
/// One case, ``authenticationFailed``, covers every tag or MAC mismatch under every key in the
/// ring: telling "wrong key" from "tampered" is impossible and trying would create an oracle.
/// Messages never contain key bytes, plaintext or the payload itself.
public enum DecryptionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The payload text is not valid base64 (or base64url) of the expected kind.
    case invalidEncoding(reason: String)
    /// The decoded payload is shorter than its nonce and tag.
    case payloadTooShort(minimum: Int, actual: Int)
    /// The payload's structure is wrong (Laravel's JSON envelope: a missing field, a wrong IV length, …).
    case invalidPayload(reason: String)
    /// No key in the ring authenticated the payload (wrong key, tampered payload, or another cipher).
    case authenticationFailed
    /// The plaintext authenticated but is not UTF-8; read it with `decryptBytes`.
    case invalidUTF8
    /// The plaintext authenticated but is not the PHP `serialize()` data that was expected.
    case unserializeFailed(PHPSerializationError)
    /// The plaintext authenticated but is not the JSON that was expected.
    case jsonDecodingFailed(PHPJSONError)
    /// The cookie value was not made for this cookie name (Laravel's `CookieValuePrefix`).
    case cookiePrefixMismatch(cookieName: String)

    /// A sentence for people.
    public var description: String {
        switch self {
        case .invalidEncoding(let reason): "The payload is not valid base64: \(reason)."
        case .payloadTooShort(let minimum, let actual):
            "The payload is too short: it decodes to \(actual) bytes, at least \(minimum) are needed."
        case .invalidPayload(let reason): "The payload is invalid: \(reason)."
        case .authenticationFailed:
            "The payload cannot be decrypted: no key authenticated it (wrong key or tampered payload)."
        case .invalidUTF8: "The decrypted plaintext is not valid UTF-8; use decryptBytes for binary data."
        case .unserializeFailed(let error): "The decrypted value cannot be unserialized: \(error)"
        case .jsonDecodingFailed(let error): "The decrypted value cannot be decoded: \(error)"
        case .cookiePrefixMismatch(let name): "The cookie value was not encrypted for the cookie \"\(name)\"."
        }
    }
}
