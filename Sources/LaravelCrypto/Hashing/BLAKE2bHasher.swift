/// laravel-crypto's default `Blake2b` hasher: BLAKE2b, keyed or not, `hash` as base64url without padding.
///
/// laravel-crypto keys it with the **literal** `CRYPTO_BLAKE2B_HASHING_KEY` text — the 51 ASCII bytes
/// of `base64:…`, never decoded (spec §8.1, §12.3). ``init(laravelCryptoKeyText:outputLength:)`` does
/// the same, for hashes that must match a Laravel app's; ``init(key:outputLength:)`` takes any bytes,
/// for example the decoded key.
public struct BLAKE2bHasher: Sendable {
    private let key: [UInt8]?
    /// Output size in bytes (16–64).
    public let outputLength: Int

    /// A hasher with `key` (16–64 bytes; `nil` for unkeyed) and `outputLength` (16–64, laravel-crypto's config: 32).
    /// - Throws: ``HashingError``.
    public init(key: [UInt8]?, outputLength: Int = 32) throws(HashingError) {
        guard SodiumGenericHash.outputByteCounts.contains(outputLength) else {
            throw .invalidOutputLength(allowed: "16 to 64", actual: outputLength)
        }
        if let key, !SodiumGenericHash.keyByteCounts.contains(key.count) {
            throw .invalidKeyLength(algorithm: "BLAKE2b", allowed: "16 to 64", actual: key.count)
        }
        guard Sodium.isReady else { throw .primitiveFailed(reason: "libsodium could not be initialised") }
        self.key = key
        self.outputLength = outputLength
    }

    /// laravel-crypto's configuration: the `CRYPTO_BLAKE2B_HASHING_KEY` text's own bytes as the key
    /// (unset or empty: unkeyed).
    /// - Throws: ``HashingError/invalidKeyLength(algorithm:allowed:actual:)``.
    public init(laravelCryptoKeyText text: String?, outputLength: Int = 32) throws(HashingError) {
        try self.init(key: text.flatMap { $0.isEmpty ? nil : Array($0.utf8) }, outputLength: outputLength)
    }

    /// The raw digest of `bytes`.
    public func hashRaw(_ bytes: [UInt8]) -> [UInt8] {
        let stream = makeStream()
        bytes.withUnsafeBytes { stream.update($0) }
        return stream.finalize()
    }

    /// The digest as base64url without padding.
    public func hash(_ bytes: [UInt8]) -> String {
        hashRaw(bytes).withUnsafeBytes { Base64.encode($0, alphabet: .url, padded: false) }
    }

    /// Whether `hash` is exactly the text ``hash(_:)`` gives for `bytes` (constant time), as upstream
    /// compares the encoded text.
    public func verify(_ hash: String, for bytes: [UInt8]) -> Bool {
        HashText.equal(hash, self.hash(bytes))
    }

    /// Whether `raw` is the raw digest of `bytes` (constant time).
    public func verifyRaw(_ raw: [UInt8], for bytes: [UInt8]) -> Bool {
        HashText.equal(raw, hashRaw(bytes))
    }

    /// The digest of a file, read in 64 KiB pieces.
    /// - Throws: ``FileEncryptionError/io(path:reason:)``.
    public func hashFile(atPath path: String) throws -> String {
        let stream = makeStream()
        try FileReader.forEachPiece(ofFileAtPath: path) { stream.update($0) }
        return stream.finalize().withUnsafeBytes { Base64.encode($0, alphabet: .url, padded: false) }
    }

    func makeStream() -> SodiumGenericHashStream {
        (key ?? []).withUnsafeBytes { SodiumGenericHashStream(checkedKey: $0, outputByteCount: outputLength) }
    }
}
