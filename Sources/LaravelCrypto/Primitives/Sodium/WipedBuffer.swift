internal import CSodium

/// Secret bytes for a short life — one request or one job — on the ordinary heap, wiped with
/// `sodium_memzero` when released or when ``wipe()`` is called.
///
/// ``SecureBuffer`` (guard pages, `mprotect`, `mlock`) costs several system calls and at least
/// three pages per key — two orders of magnitude more than this buffer (figures in
/// `docs/benchmarks.md`, "Design measurements") — and `mlock` limits refuse it long before
/// thousands of keys are in flight. This buffer
/// is one allocation: a `ManagedBuffer` whose header and bytes share one block.
///
/// `@unchecked Sendable`: the bytes are written once when the buffer is made and only read
/// afterwards; ``wipe()`` is the one later write and is made by the scope that owns the key after
/// every structured use of it has finished (see `UserKeyContext`). Using a copy from an
/// unstructured task past that point is a documented misuse. (`ManagedBuffer` itself is marked
/// non-`Sendable`, so the class is held in this struct.)
struct WipedBuffer: @unchecked Sendable {
    private let bytes: WipedBytes

    /// `count` bytes written by `fill`, which must write all of them; if it throws, what it wrote is wiped.
    static func make<E: Error>(count: Int, fill: (UnsafeMutableRawBufferPointer) throws(E) -> Void) throws(E)
        -> WipedBuffer
    {
        let bytes = unsafeDowncast(
            WipedBytes.create(minimumCapacity: count) { _ in WipedBytes.Header(capacity: count, isWiped: false) },
            to: WipedBytes.self)
        try bytes.withUnsafeMutablePointerToElements { elements throws(E) in
            try fill(UnsafeMutableRawBufferPointer(start: elements, count: count))
        }
        return WipedBuffer(bytes: bytes)
    }

    /// A copy of `source`.
    static func copying(_ source: UnsafeRawBufferPointer) -> WipedBuffer {
        make(count: source.count) { out in
            if let from = source.baseAddress, source.count > 0 {
                out.baseAddress?.copyMemory(from: from, byteCount: source.count)
            }
        }
    }

    /// `count` bytes from libsodium's CSPRNG.
    static func random(count: Int) -> WipedBuffer {
        make(count: count) { out in
            if let address = out.baseAddress, out.count > 0 { randombytes_buf(address, out.count) }
        }
    }

    /// Number of secret bytes: 0 once wiped.
    var count: Int { bytes.header.isWiped ? 0 : bytes.header.capacity }

    /// Zeroes the bytes now, for every copy; afterwards ``withUnsafeBytes(_:)`` lends an empty buffer.
    func wipe() {
        bytes.withUnsafeMutablePointers { header, elements in
            guard !header.pointee.isWiped else { return }
            sodium_memzero(elements, header.pointee.capacity)
            header.pointee.isWiped = true
        }
    }

    /// Lends the bytes (empty once wiped); the pointer must not escape.
    func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try bytes.withUnsafeMutablePointers { (header, elements) throws(E) -> R in
            try body(
                UnsafeRawBufferPointer(start: elements, count: header.pointee.isWiped ? 0 : header.pointee.capacity))
        }
    }
}

/// The one heap block behind a ``WipedBuffer``: a header and the bytes, wiped in `deinit`.
final class WipedBytes: ManagedBuffer<WipedBytes.Header, UInt8> {
    struct Header {
        let capacity: Int
        var isWiped: Bool
    }

    deinit {
        withUnsafeMutablePointers { header, elements in sodium_memzero(elements, header.pointee.capacity) }
    }
}
