internal import CSodium

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One block of raw memory per thread (thread-specific storage): created by the first call to
/// ``current()`` on a thread, then wiped (`sodium_memzero`) and freed when that thread exits.
/// ``NoncePool`` and ``ThreadScratch`` keep their per-thread state here.
///
/// The block is 64-byte aligned. A hidden first cache line records the block's size, so the exit
/// handler (a C function that cannot capture it) knows how much to wipe; the caller's bytes start
/// after it, on a cache line of their own.
final class PerThreadBlock: Sendable {
    /// The bytes each thread's block gives its caller.
    let byteCount: Int
    private let key: pthread_key_t
    /// Runs once on each new block, before it is handed out.
    private let prepare: @Sendable (UnsafeMutableRawPointer) -> Void
    private static let hiddenHeader = 64

    /// A per-thread block of `byteCount` bytes; `prepare` initialises each thread's new block.
    init(byteCount: Int, prepare: @escaping @Sendable (UnsafeMutableRawPointer) -> Void) {
        self.byteCount = byteCount
        self.prepare = prepare
        var key = pthread_key_t()
        pthread_key_create(&key, PerThreadBlock.threadExited)
        self.key = key
    }

    /// The calling thread's block, created on first use; `nil` only if the thread-specific slot
    /// cannot be set (the caller then falls back to something that needs no block).
    func current() -> UnsafeMutableRawPointer? {
        if let hidden = pthread_getspecific(key) { return hidden + Self.hiddenHeader }
        let total = Self.hiddenHeader + byteCount
        let hidden = UnsafeMutableRawPointer.allocate(byteCount: total, alignment: 64)
        hidden.storeBytes(of: total, as: Int.self)
        prepare(hidden + Self.hiddenHeader)
        guard pthread_setspecific(key, hidden) == 0 else {
            hidden.deallocate()
            return nil
        }
        return hidden + Self.hiddenHeader
    }

    /// The calling thread's block if it has one already; never creates it.
    func existing() -> UnsafeMutableRawPointer? {
        pthread_getspecific(key).map { $0 + Self.hiddenHeader }
    }

    /// The thread-exit handler: wipe the whole block, then free it.
    #if canImport(Darwin)
    private static let threadExited: @convention(c) (UnsafeMutableRawPointer) -> Void = { hidden in
        sodium_memzero(hidden, hidden.load(as: Int.self))
        hidden.deallocate()
    }
    #else
    private static let threadExited: @convention(c) (UnsafeMutableRawPointer?) -> Void = { hidden in
        guard let hidden else { return }
        sodium_memzero(hidden, hidden.load(as: Int.self))
        hidden.deallocate()
    }
    #endif
}
