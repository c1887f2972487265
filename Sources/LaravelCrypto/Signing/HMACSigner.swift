/// laravel-crypto's HMAC signers (spec §8.2): `sign` gives base64url without padding, `verify` is
/// constant time and returns `false` wherever upstream returns false *or throws* (a padded or
/// standard-alphabet signature, a wrong size).
public struct HMACSigner: Sendable {
    /// The MAC behind a signer.
    public enum Algorithm: Sendable, Hashable {
        /// Keyed BLAKE2b (laravel-crypto's default `Hmac\Blake2b`), `outputSize` 16–64 bytes (intended: 32).
        case blake2b(outputSize: Int)
        /// `crypto_auth`: HMAC-SHA-512 cut to 32 bytes (laravel-crypto's `Hmac\Sha256`); the key must be 32 bytes.
        case sha512_256
        /// HMAC-SHA-512 (laravel-crypto's `Hmac\Sha512`), a key of any length.
        case sha512
    }

    /// The algorithm.
    public let algorithm: Algorithm
    private let key: EncryptionKey

    /// A signer with `key` read as `CRYPTO_HMAC_KEY` is (`base64:` + base64, otherwise hex).
    /// - Throws: ``HashingError``.
    public init(_ algorithm: Algorithm, key: String) throws(HashingError) {
        let parsed: EncryptionKey
        do {
            parsed = try KeyTextFormat.laravelCrypto.parse(key, variable: "CRYPTO_HMAC_KEY")
        } catch {
            throw .invalidKey(error)
        }
        try self.init(algorithm, keyBytes: parsed)
    }

    /// A signer with key bytes you already hold.
    /// - Throws: ``HashingError``.
    public init(_ algorithm: Algorithm, keyBytes key: EncryptionKey) throws(HashingError) {
        switch algorithm {
        case .blake2b(let outputSize):
            guard SodiumGenericHash.outputByteCounts.contains(outputSize) else {
                throw .invalidOutputLength(allowed: "16 to 64", actual: outputSize)
            }
            guard SodiumGenericHash.keyByteCounts.contains(key.byteCount) else {
                throw .invalidKeyLength(algorithm: "BLAKE2b", allowed: "16 to 64", actual: key.byteCount)
            }
        case .sha512_256:
            guard key.byteCount == SodiumStreamAuth.authKeyByteCount else {
                throw .invalidKeyLength(algorithm: "HMAC-SHA-512-256", allowed: "exactly 32", actual: key.byteCount)
            }
        case .sha512:
            break
        }
        guard Sodium.isReady else { throw .primitiveFailed(reason: "libsodium could not be initialised") }
        self.algorithm = algorithm
        self.key = key
    }

    /// The raw MAC of `bytes`.
    public func signRaw(_ bytes: [UInt8]) -> [UInt8] {
        let count: Int
        switch algorithm {
        case .blake2b(let outputSize): count = outputSize
        case .sha512_256: count = 32
        case .sha512: count = 64
        }
        var out = [UInt8](repeating: 0, count: count)
        // Sizes were checked when the signer was made; these calls cannot fail afterwards.
        let computed: Void? = key.withUnsafeBytes { key in
            bytes.withUnsafeBytes { message in
                out.withUnsafeMutableBytes { out in
                    switch algorithm {
                    case .blake2b: try? SodiumGenericHash.hash(message, key: key, into: out)
                    case .sha512_256: try? SodiumStreamAuth.auth([message], key: key, into: out)
                    case .sha512: try? SodiumStreamAuth.hmacSHA512(message, key: key, into: out)
                    }
                }
            }
        }
        _ = computed
        return out
    }

    /// The MAC as base64url without padding.
    public func sign(_ bytes: [UInt8]) -> String {
        signRaw(bytes).withUnsafeBytes { Base64.encode($0, alphabet: .url, padded: false) }
    }

    /// Whether `signature` (base64url, no padding, canonical — libsodium's strict decoder, as
    /// upstream) is the MAC of `bytes`; constant time.
    public func verify(_ signature: String, for bytes: [UInt8]) -> Bool {
        guard let raw = try? Base64.decode(signature, mode: .sodiumURLNoPadding) else { return false }
        return verifyRaw(raw, for: bytes)
    }

    /// Whether `raw` is the MAC of `bytes`; constant time.
    public func verifyRaw(_ raw: [UInt8], for bytes: [UInt8]) -> Bool {
        switch algorithm {
        case .sha512_256:
            return key.withUnsafeBytes { key in
                raw.withUnsafeBytes { tag in
                    bytes.withUnsafeBytes { SodiumStreamAuth.authVerify(tag, message: $0, key: key) }
                }
            }
        case .blake2b, .sha512:
            return HashText.equal(raw, signRaw(bytes))
        }
    }
}
