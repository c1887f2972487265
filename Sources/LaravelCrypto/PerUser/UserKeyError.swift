/// Why a user key could not be unwrapped, decoded, sealed or used.
///
/// One case, ``authenticationFailed``, covers a wrong password, a wrong user id, a wrong app key
/// and a tampered blob alike: telling them apart is impossible and trying would be an oracle.
/// Messages never contain key bytes, passwords or blobs.
public enum UserKeyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The wrapped-key blob is empty (upstream: "Blob is empty.").
    case emptyBlob
    /// The blob's first byte is neither `0x01` (password-wrapped) nor `0x02` (server-wrapped).
    case unknownVersion(UInt8)
    /// The blob, sealed key or token has the wrong size.
    case invalidLength(what: String, expected: Int, actual: Int)
    /// A blob of one kind was given where the other kind is needed (a server blob to the password path, …).
    case wrongMode(expected: WrappedKeyMode, actual: WrappedKeyMode)
    /// No key opened it: wrong password, user id or app key, or a tampered blob or sealed key.
    case authenticationFailed
    /// A token is not base64 of a 32-byte key (upstream returns null or throws a `TypeError`).
    case invalidToken(reason: String)
    /// A sealed job key is not 96 characters of base64, or not the PHP-serialized `SealedJobKey` object.
    case invalidSealedKey(reason: String)
    /// The app key is too short for this use (sealed job keys need at least 32 bytes).
    case appKeyTooShort(minimum: Int, actual: Int)
    /// The Argon2id cost is outside what libsodium accepts.
    case invalidArgon2Cost(reason: String)
    /// The key was wiped when its ``UserKeyContext`` scope ended and can no longer be used.
    case keyWiped
    /// No user key is in scope (laravel-crypto's `MissingEncryptionContextException`).
    case missingContext
    /// A libsodium call failed for another reason (Argon2id could not get its memory, for example).
    case primitiveFailed(reason: String)

    /// A sentence for people.
    public var description: String {
        switch self {
        case .emptyBlob: "The wrapped user key is empty."
        case .unknownVersion(let byte):
            "The wrapped user key has an unknown version byte 0x\(String(byte, radix: 16)) (expected 0x01 or 0x02)."
        case .invalidLength(let what, let expected, let actual):
            "The \(what) must be \(expected) bytes, but it has \(actual)."
        case .wrongMode(let expected, let actual):
            "The wrapped user key is \(actual.description)-wrapped, but a \(expected.description)-wrapped key is "
                + "needed here."
        case .authenticationFailed:
            "The user key cannot be opened: wrong password, user id or app key, or the data was tampered with."
        case .invalidToken(let reason): "The encryption token is invalid: \(reason)."
        case .invalidSealedKey(let reason): "The sealed job key is invalid: \(reason)."
        case .appKeyTooShort(let minimum, let actual):
            "The app key must be at least \(minimum) bytes here, but it has \(actual)."
        case .invalidArgon2Cost(let reason): "The Argon2id cost is invalid: \(reason)."
        case .keyWiped: "The user key was wiped at the end of its scope and can no longer be used."
        case .missingContext: "No user key is in scope: run this inside UserKeyContext.withUserKey."
        case .primitiveFailed(let reason): "A cryptographic operation failed: \(reason)."
        }
    }
}

/// How a user key is wrapped in its stored blob (the blob's first byte).
public enum WrappedKeyMode: UInt8, Sendable, Hashable, CustomStringConvertible {
    /// Mode 1, `0x01`: under a key derived from the user's password with Argon2id (89 bytes).
    case password = 0x01
    /// Mode 2, `0x02`: under a key derived from the app key and the user id (73 bytes).
    case server = 0x02

    /// The blob size of this mode: 89 or 73 bytes.
    public var blobByteCount: Int { self == .password ? 89 : 73 }

    /// `password` or `server`.
    public var description: String { self == .password ? "password" : "server" }
}
