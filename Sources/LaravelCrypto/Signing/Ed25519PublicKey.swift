/// The public half of an Ed25519 key pair: what a verifier holds.
///
/// ```swift
/// let publicKey = try Ed25519PublicKey(hex: "d75a9801…")
/// if publicKey.isValidSignature(signature, for: message) { … }
/// ```
public struct Ed25519PublicKey: Sendable, Hashable, CustomStringConvertible {
    /// The size of a public key: 32 bytes.
    public static let byteCount = 32
    /// The size of a detached signature: 64 bytes.
    public static let signatureByteCount = 64

    /// The 32 key bytes.
    public let bytes: [UInt8]

    /// A public key from its 32 bytes.
    /// - Throws: ``SigningError/invalidPublicKey(reason:)`` for any other size.
    public init(bytes: some Collection<UInt8>) throws(SigningError) {
        guard bytes.count == Self.byteCount else {
            throw .invalidPublicKey(reason: "it must be \(Self.byteCount) bytes, not \(bytes.count)")
        }
        self.bytes = Array(bytes)
    }

    /// A public key from 64 hex digits (either case), as the first line of laravel-crypto's key file.
    /// - Throws: ``SigningError/invalidPublicKey(reason:)`` for anything else.
    public init(hex: String) throws(SigningError) {
        guard let bytes = Hex.decode(hex) else {
            throw .invalidPublicKey(reason: "it is not hex (\(hex.utf8.count) characters)")
        }
        try self.init(bytes: bytes)
    }

    /// The key as 64 lowercase hex digits.
    public var hex: String { Hex.encode(bytes) }

    /// Whether `signature` (64 bytes) is a valid detached signature of `message` under this key
    /// (PHP `sodium_crypto_sign_verify_detached`); any other size is simply not valid.
    public func isValidSignature(_ signature: some Collection<UInt8>, for message: some Collection<UInt8>) -> Bool {
        let signature = Array(signature), message = Array(message)
        return signature.withUnsafeBytes { s in
            message.withUnsafeBytes { m in bytes.withUnsafeBytes { SodiumSign.verify(s, message: m, publicKey: $0) } }
        }
    }

    /// `Ed25519PublicKey(<hex>)`.
    public var description: String { "Ed25519PublicKey(\(hex))" }
}
