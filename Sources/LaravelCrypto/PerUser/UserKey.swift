/// A user's own 32-byte key `U` (laravel-crypto's per-user encryption, spec §7): it encrypts that
/// user's values, keys their blind indexes, and is stored only wrapped (``UserKeyVault``).
///
/// A user key lives for one request or one job, so it is kept on the ordinary heap — one
/// allocation, wiped with `sodium_memzero` when the last copy is released — rather than in the
/// guarded `sodium_malloc` memory of ``EncryptionKey``, whose guard pages, `mprotect` and `mlock`
/// cost several system calls per key and do not scale to thousands of keys in flight.
/// ``UserKeyContext/withUserKey(_:operation:)`` wipes a key as soon as its scope ends.
///
/// The bytes never appear in `description`, leave only through ``withUnsafeBytes(_:)`` or
/// ``token``, and `==` runs in constant time.
public struct UserKey: Sendable, Equatable, CustomStringConvertible {
    /// The size of every user key: 32 bytes.
    public static let byteCount = 32

    let storage: WipedBuffer

    /// Copies `bytes`, which must be exactly 32.
    /// - Throws: ``KeyError/invalidLength(for:expected:actual:)`` for any other size.
    public init(bytes: some Collection<UInt8>) throws(KeyError) {
        guard bytes.count == Self.byteCount else {
            throw .invalidLength(for: .userKey, expected: Self.byteCount, actual: bytes.count)
        }
        var copy = Array(bytes)
        defer { SecureMemory.wipe(&copy) }
        storage = copy.withUnsafeBytes { WipedBuffer.copying($0) }
    }

    init(storage: WipedBuffer) {
        self.storage = storage
    }

    /// A new random user key from libsodium's CSPRNG.
    /// - Throws: ``KeyError/allocationFailed`` when libsodium could not be initialised.
    public static func generate() throws(KeyError) -> UserKey {
        guard Sodium.isReady else { throw .allocationFailed }
        return UserKey(storage: WipedBuffer.random(count: byteCount))
    }

    /// Lends the key bytes to `body` (an empty buffer once the key was wiped). Do not let the
    /// pointer, or a copy of the bytes, escape.
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try storage.withUnsafeBytes(body)
    }

    /// Whether the key was wiped by the end of its ``UserKeyContext`` scope; a wiped key has no
    /// bytes and every operation with it throws ``UserKeyError/keyWiped``.
    public var isWiped: Bool { storage.count == 0 }

    /// Zeroes the key now, in this value and every copy; later operations throw ``UserKeyError/keyWiped``.
    public func wipe() {
        storage.wipe()
    }

    /// Lends the 32 key bytes, or throws ``UserKeyError/keyWiped``.
    func withKeyBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        try storage.withUnsafeBytes { bytes in
            guard bytes.count == Self.byteCount else { throw UserKeyError.keyWiped }
            return try body(bytes)
        }
    }

    /// `UserKey(32 bytes)`: never the key itself.
    public var description: String { isWiped ? "UserKey(wiped)" : "UserKey(32 bytes)" }

    /// Constant-time comparison of the key bytes (`sodium_memcmp`); wiped keys equal nothing.
    public static func == (lhs: UserKey, rhs: UserKey) -> Bool {
        lhs.withUnsafeBytes { a in
            rhs.withUnsafeBytes { b in a.count == byteCount && SodiumMemory.constantTimeEquals(a, b) }
        }
    }
}
