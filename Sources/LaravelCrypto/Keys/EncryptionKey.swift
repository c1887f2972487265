/// A symmetric key held in guarded memory that is wiped when the last copy is released.
///
/// The bytes never appear in `description`, and leave only through ``withUnsafeBytes(_:)``.
/// There is no `Codable` conformance and no string literal initialiser: keys come from the
/// environment, from ``generate(byteCount:)`` or from bytes you already hold.
///
/// A `String` you pass in (an `APP_KEY` value) stays outside this type's control; only the
/// package's own intermediate copies are wiped.
public struct EncryptionKey: Sendable, Equatable, CustomStringConvertible {
    let storage: SecureBuffer

    /// Copies `bytes` into guarded memory.
    /// - Throws: ``KeyError/allocationFailed`` if secure memory cannot be allocated.
    public init(bytes: some Sequence<UInt8>) throws(KeyError) {
        var copy = Array(bytes)
        defer { SecureMemory.wipe(&copy) }
        let buffer: SecureBuffer? = copy.withUnsafeBytes { raw in try? SecureBuffer(copying: raw) }
        guard let buffer else { throw .allocationFailed }
        storage = buffer
    }

    private init(storage: SecureBuffer) {
        self.storage = storage
    }

    /// A new key of `byteCount` bytes from libsodium's CSPRNG.
    /// - Throws: ``KeyError/allocationFailed`` if secure memory cannot be allocated.
    public static func generate(byteCount: Int = 32) throws(KeyError) -> EncryptionKey {
        do {
            return EncryptionKey(storage: try SecureBuffer(randomByteCount: byteCount))
        } catch {
            throw .allocationFailed
        }
    }

    /// A new key of the size `cipher` needs.
    public static func generate(for cipher: Cipher) throws(KeyError) -> EncryptionKey {
        try generate(byteCount: cipher.keyByteCount)
    }

    /// The number of key bytes.
    public var byteCount: Int { storage.count }

    /// Lends the key bytes to `body`. Do not let the pointer, or a copy of the bytes, escape.
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try storage.withUnsafeBytes(body)
    }

    /// The key as Laravel writes it in `.env`: `base64:` followed by padded standard base64.
    ///
    /// This is the one documented way to export key bytes (for `crypto-keys`); the returned
    /// string is an ordinary `String` that the caller is responsible for.
    public func exportedString() -> String {
        "base64:" + withUnsafeBytes { Base64.encode($0, alphabet: .standard, padded: true) }
    }

    /// `EncryptionKey(32 bytes)`: never the key itself.
    public var description: String { "EncryptionKey(\(byteCount) bytes)" }

    /// Constant-time comparison of the key bytes (`sodium_memcmp`).
    public static func == (lhs: EncryptionKey, rhs: EncryptionKey) -> Bool {
        lhs.withUnsafeBytes { a in rhs.withUnsafeBytes { b in SodiumMemory.constantTimeEquals(a, b) } }
    }
}
