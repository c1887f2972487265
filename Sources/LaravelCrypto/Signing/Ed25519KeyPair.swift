/// An Ed25519 signing key pair, stored as laravel-crypto's EdDSA key file
/// (`hex(public key) ‖ "\n" ‖ hex(secret key)`: 193 bytes, lowercase, no trailing newline).
///
/// The 64-byte secret key (`seed ‖ public key`, libsodium's layout) lives in guarded memory and
/// is wiped on release; ``description`` shows only the public key.
public struct Ed25519KeyPair: Sendable, CustomStringConvertible {
    /// The public key, for verifiers.
    public let publicKey: Ed25519PublicKey
    private let secretKey: SecureBuffer

    /// Size of laravel-crypto's key file in bytes.
    public static let keyFileByteCount = 193

    private init(publicKey: Ed25519PublicKey, secretKey: SecureBuffer) {
        self.publicKey = publicKey
        self.secretKey = secretKey
    }

    /// A new key pair from libsodium.
    /// - Throws: ``KeyError/allocationFailed`` if libsodium or secure memory is unavailable.
    public static func generate() throws(KeyError) -> Ed25519KeyPair {
        do {
            let (publicKey, secretKey) = try SodiumSign.keyPair()
            return Ed25519KeyPair(publicKey: try Ed25519PublicKey(bytes: publicKey), secretKey: secretKey)
        } catch {
            throw .allocationFailed
        }
    }

    /// Reads laravel-crypto's key file: exactly 193 bytes, public and secret key in hex.
    /// - Throws: ``KeyError/invalidFormat(reason:)`` when the layout is wrong or the halves disagree.
    public init(keyFileContents: String) throws(KeyError) {
        let bytes = Array(keyFileContents.utf8)
        guard bytes.count == Self.keyFileByteCount, bytes[64] == UInt8(ascii: "\n") else {
            throw .invalidFormat(
                reason:
                    "an EdDSA key file is 64 hex digits, a newline and 128 hex digits (193 bytes), not \(bytes.count) "
                    + "bytes"
            )
        }
        guard let publicKey = Hex.decode(String(decoding: bytes[0..<64], as: UTF8.self)),
            var secret = Hex.decode(String(decoding: bytes[65...], as: UTF8.self))
        else { throw .invalidFormat(reason: "the EdDSA key file is not lowercase or uppercase hex") }
        defer { SecureMemory.wipe(&secret) }
        let derived = secret.withUnsafeBytes { SodiumSign.publicKey(ofSecretKey: $0) }
        guard let derived, derived == publicKey, let checked = try? Ed25519PublicKey(bytes: publicKey) else {
            throw .invalidFormat(reason: "the EdDSA public key does not belong to the secret key")
        }
        let buffer: SecureBuffer? = secret.withUnsafeBytes { try? SecureBuffer(copying: $0) }
        guard let buffer else { throw .allocationFailed }
        self.init(publicKey: checked, secretKey: buffer)
    }

    /// The key file's text; it contains the secret key, so write it to a file only you can read.
    /// Prefer ``withKeyFileBytes(_:)``, whose copy is wiped afterwards.
    public func keyFileContents() -> String {
        withKeyFileBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// Lends the key file's 193 bytes to `body` from a buffer that is wiped when `body` returns.
    public func withKeyFileBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeTemporaryAllocation(byteCount: Self.keyFileByteCount, alignment: 1) { file in
            defer { SodiumMemory.zero(file) }
            publicKey.bytes.withUnsafeBytes {
                Hex.encode($0, into: UnsafeMutableRawBufferPointer(rebasing: file[0..<64]))
            }
            file[64] = UInt8(ascii: "\n")
            secretKey.withUnsafeBytes { Hex.encode($0, into: UnsafeMutableRawBufferPointer(rebasing: file[65...])) }
            return try body(UnsafeRawBufferPointer(file))
        }
    }

    /// A detached 64-byte signature of `message` (PHP `sodium_crypto_sign_detached`).
    /// - Throws: ``SigningError/signingFailed(reason:)`` only if libsodium fails.
    public func sign(_ message: [UInt8]) throws(SigningError) -> [UInt8] {
        let signed: Result<[UInt8], PrimitiveError> = secretKey.withUnsafeBytes { sk in
            message.withUnsafeBytes { m in Result { () throws(PrimitiveError) in try SodiumSign.sign(m, secretKey: sk) }
            }
        }
        switch signed {
        case .success(let signature): return signature
        case .failure(let error): throw .signingFailed(reason: "\(error)")
        }
    }

    /// Whether `signature` is valid for `message` under `publicKey` (PHP
    /// `sodium_crypto_sign_verify_detached`); a public key that is not 32 bytes validates nothing.
    @available(*, deprecated, message: "use Ed25519PublicKey(bytes:) and isValidSignature(_:for:)")
    public static func verify(_ signature: [UInt8], of message: [UInt8], publicKey: [UInt8]) -> Bool {
        (try? Ed25519PublicKey(bytes: publicKey))?.isValidSignature(signature, for: message) ?? false
    }

    /// `Ed25519KeyPair(public: <hex>)`: never the secret key.
    public var description: String { "Ed25519KeyPair(public: \(publicKey.hex))" }
}
