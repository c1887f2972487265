internal import CSodium

/// The only type that owns secret key memory.
///
/// The bytes live in `sodium_malloc` memory (guard pages, a canary, `mlock`), are made read-only
/// with `sodium_mprotect_readonly` once filled, and are wiped and freed by `sodium_free` in
/// `deinit`. They leave only through ``withUnsafeBytes(_:)``.
///
/// `@unchecked Sendable`: the memory is written once in `init`, read-only afterwards (the MMU
/// enforces it) and freed once in `deinit`, so sharing it between threads is safe.
final class SecureBuffer: @unchecked Sendable {
    private let base: UnsafeMutableRawPointer
    /// Number of secret bytes.
    let count: Int

    /// Copies `source` into fresh guarded memory; throws if libsodium cannot allocate it.
    init(copying source: UnsafeRawBufferPointer) throws(PrimitiveError) {
        try Sodium.ensureReady()
        guard let memory = sodium_malloc(max(source.count, 1)) else {
            throw .callFailed("sodium_malloc(\(source.count))")
        }
        if let from = source.baseAddress, source.count > 0 {
            memory.copyMemory(from: from, byteCount: source.count)
        }
        base = memory
        count = source.count
        sodium_mprotect_readonly(memory)
    }

    /// Fills fresh guarded memory with `count` bytes from libsodium's CSPRNG.
    init(randomByteCount count: Int) throws(PrimitiveError) {
        try Sodium.ensureReady()
        guard let memory = sodium_malloc(max(count, 1)) else {
            throw .callFailed("sodium_malloc(\(count))")
        }
        randombytes_buf(memory, count)
        base = memory
        self.count = count
        sodium_mprotect_readonly(memory)
    }

    deinit {
        sodium_free(base)  // makes the pages writable, zeroes them and releases them
    }

    /// Lends the secret bytes to `body`; the pointer must not escape.
    func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }
}

/// Small libsodium helpers that need no state.
package enum SodiumMemory {
    /// Constant-time equality of two buffers (`sodium_memcmp`); unequal lengths are unequal.
    package static func constantTimeEquals(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        guard a.count > 0, let pa = a.baseAddress, let pb = b.baseAddress else { return true }
        return sodium_memcmp(pa, pb, a.count) == 0
    }

    /// Overwrites `buffer` with zeros in a way the compiler cannot remove (`sodium_memzero`).
    package static func zero(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        sodium_memzero(base, buffer.count)
    }

    /// Overwrites the bytes of a value held inline (a C state struct, a tuple of key bytes).
    package static func zero<Value>(inline value: inout Value) {
        withUnsafeMutableBytes(of: &value) { zero($0) }
    }
}
