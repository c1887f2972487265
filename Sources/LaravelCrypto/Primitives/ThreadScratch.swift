/// Working memory for **public** intermediate bytes on hot paths: a decoded payload (nonce and
/// ciphertext) before it is opened. Up to 1 KiB comes from the stack, as
/// `withUnsafeTemporaryAllocation` gives it; up to ``pooledCapacity`` from a buffer each thread
/// keeps, so that a 1 KiB or 16 KiB payload does not pay for a `malloc` and `free` per call; more
/// than that, or a nested use on the same thread, from the heap.
///
/// The buffer is not wiped between uses: never leave key bytes or plaintext in it (a body that
/// encrypts in place must wipe what it padded there if encryption fails).
enum ThreadScratch {
    /// The per-thread buffer's size.
    static let pooledCapacity = 32 * 1024
    /// What `withUnsafeTemporaryAllocation` puts on the stack without asking.
    private static let stackLimit = 1024
    /// Each thread's block: an in-use flag on its own cache line, then `pooledCapacity` bytes.
    private static let headerSize = 64
    private static let blocks = PerThreadBlock(byteCount: headerSize + pooledCapacity) { block in
        block.storeBytes(of: false, as: Bool.self)
    }

    /// Calls `body` with `byteCount` uninitialised bytes, aligned to 16.
    static func withBuffer<R>(byteCount: Int, _ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        if byteCount <= stackLimit {
            return try withUnsafeTemporaryAllocation(byteCount: byteCount, alignment: 16, body)
        }
        guard byteCount <= pooledCapacity, let block = blocks.current(), block.load(as: Bool.self) == false else {
            let heap = UnsafeMutableRawBufferPointer.allocate(byteCount: byteCount, alignment: 16)
            defer { heap.deallocate() }
            return try body(heap)
        }
        block.storeBytes(of: true, as: Bool.self)
        defer { block.storeBytes(of: false, as: Bool.self) }
        return try body(UnsafeMutableRawBufferPointer(start: block + headerSize, count: byteCount))
    }
}
