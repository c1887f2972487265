internal import CSodium

/// Secret bytes for a short life — one request or one job — on the ordinary heap, wiped with
/// `sodium_memzero` when released or when ``wipe()`` is called.
///
/// ``SecureBuffer`` (guard pages, `mprotect`, `mlock`) costs several system calls and at least
/// three pages per key; a server unwrapping a user key for every request cannot pay that, and
/// `mlock` limits would soon refuse it. This buffer costs one `malloc` and one wipe.
///
/// `@unchecked Sendable`: the bytes are written once in `init` and only read afterwards; ``wipe()``
/// is the one later write and is made by the scope that owns the key after every structured use
/// of it has finished (see `UserKeyContext`). Using a copy from an unstructured task past that
/// point is a documented misuse.
final class WipedBuffer: @unchecked Sendable {
    private let base: UnsafeMutableRawPointer
    private let capacity: Int
    private var isWiped = false

    /// Copies `source` into a fresh heap buffer.
    init(copying source: UnsafeRawBufferPointer) {
        capacity = source.count
        base = .allocate(byteCount: max(source.count, 1), alignment: 16)
        if let from = source.baseAddress, source.count > 0 {
            base.copyMemory(from: from, byteCount: source.count)
        }
    }

    /// `count` bytes written by `fill` (which must write all of them).
    init<E: Error>(count: Int, fill: (UnsafeMutableRawBufferPointer) throws(E) -> Void) throws(E) {
        capacity = count
        base = .allocate(byteCount: max(count, 1), alignment: 16)
        // Every stored property is set, so if `fill` throws, `deinit` runs and wipes what it wrote.
        try fill(UnsafeMutableRawBufferPointer(start: base, count: count))
    }

    /// `count` bytes from libsodium's CSPRNG.
    convenience init(randomByteCount count: Int) {
        self.init(count: count) { (buffer: UnsafeMutableRawBufferPointer) -> Void in
            if let address = buffer.baseAddress, buffer.count > 0 { randombytes_buf(address, buffer.count) }
        }
    }

    deinit {
        sodium_memzero(base, capacity)
        base.deallocate()
    }

    /// Number of secret bytes: 0 once wiped.
    var count: Int { isWiped ? 0 : capacity }

    /// Zeroes the bytes now; afterwards ``withUnsafeBytes(_:)`` lends an empty buffer.
    func wipe() {
        guard !isWiped else { return }
        sodium_memzero(base, capacity)
        isWiped = true
    }

    /// Lends the bytes (empty once wiped); the pointer must not escape.
    func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }
}
