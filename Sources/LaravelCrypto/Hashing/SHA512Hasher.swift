/// laravel-crypto's `Sha512` hasher: SHA-512, `hash` as lowercase hex.
public struct SHA512Hasher: Sendable {
    /// A hasher.
    public init() {}

    /// The raw digest (64 bytes).
    public func hashRaw(_ bytes: [UInt8]) -> [UInt8] {
        var sha = SodiumSHA512()
        bytes.withUnsafeBytes { sha.update($0) }
        return sha.finalize()
    }

    /// The digest as lowercase hex (128 characters).
    public func hash(_ bytes: [UInt8]) -> String { Hex.encode(hashRaw(bytes)) }

    /// Whether `hash` is exactly the text ``hash(_:)`` gives (constant time; upper-case hex is `false`, as upstream).
    public func verify(_ hash: String, for bytes: [UInt8]) -> Bool { HashText.equal(hash, self.hash(bytes)) }

    /// Whether `raw` is the raw digest of `bytes` (constant time).
    public func verifyRaw(_ raw: [UInt8], for bytes: [UInt8]) -> Bool { HashText.equal(raw, hashRaw(bytes)) }

    /// The hex digest of a file, read in 64 KiB pieces.
    /// - Throws: ``FileEncryptionError/io(path:reason:)``.
    public func hashFile(atPath path: String) throws -> String {
        var sha = SodiumSHA512()
        try FileReader.forEachPiece(ofFileAtPath: path) { sha.update($0) }
        return Hex.encode(sha.finalize())
    }
}

/// FIPS SHA-512/256 — what laravel-crypto calls its `Sha256` hasher (PHP `hash('sha512/256')`); it is
/// **not** SHA-256. `hash` is lowercase hex.
public struct SHA512_256Hasher: Sendable {
    /// A hasher.
    public init() {}

    /// The raw digest (32 bytes).
    public func hashRaw(_ bytes: [UInt8]) -> [UInt8] {
        let sha = OpenSSLSHA512_256()
        bytes.withUnsafeBytes { sha.update($0) }
        return sha.finalize() ?? []
    }

    /// The digest as lowercase hex (64 characters).
    public func hash(_ bytes: [UInt8]) -> String { Hex.encode(hashRaw(bytes)) }

    /// Whether `hash` is exactly the text ``hash(_:)`` gives (constant time; upper-case hex is `false`, as upstream).
    public func verify(_ hash: String, for bytes: [UInt8]) -> Bool { HashText.equal(hash, self.hash(bytes)) }

    /// Whether `raw` is the raw digest of `bytes` (constant time).
    public func verifyRaw(_ raw: [UInt8], for bytes: [UInt8]) -> Bool { HashText.equal(raw, hashRaw(bytes)) }

    /// The hex digest of a file, read in 64 KiB pieces.
    /// - Throws: ``FileEncryptionError/io(path:reason:)``.
    public func hashFile(atPath path: String) throws -> String {
        let sha = OpenSSLSHA512_256()
        try FileReader.forEachPiece(ofFileAtPath: path) { sha.update($0) }
        return Hex.encode(sha.finalize() ?? [])
    }
}
