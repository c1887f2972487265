internal import CSodium

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Random bytes for **public** values (nonces, IVs, laravel-crypto's random prefix), taken from
/// libsodium's `randombytes_buf` in 4 KiB refills instead of one `getrandom` system call per
/// payload (about 0.38 µs here, a third of a 1 KiB AEGIS payload). Keys never come from here.
///
/// Every byte is still straight from the operating system's CSPRNG; it is handed out once and
/// zeroed as it leaves the pool. After `fork()` the child starts with an empty pool
/// (`pthread_atfork`), so parent and child never share nonces; the lock is a ``ForkSafeMutex``,
/// never inherited held. One uncontended mutex per call.
/// Measurements and the reasoning are in `docs/random-numbers.md`.
final class NoncePool: @unchecked Sendable {
    /// The process-wide pool.
    static let shared = NoncePool()

    /// Requests larger than this go straight to `randombytes_buf`.
    static let largestPooledRequest = 64
    private static let capacity = 4096

    // @unchecked Sendable: `bytes` and `offset` are only touched with `mutex` held (or in a
    // freshly forked child, which has one thread).
    private let mutex = ForkSafeMutex()
    private let bytes: UnsafeMutableRawPointer
    private var offset: Int

    private init() {
        bytes = .allocate(byteCount: Self.capacity, alignment: 64)
        offset = Self.capacity
        // Runs after ForkSafeMutex's handlers, which took and released `mutex` around the fork.
        pthread_atfork(nil, nil) { NoncePool.shared.emptyInChild() }
    }

    /// Fills `out` with fresh random bytes.
    func fill(_ out: UnsafeMutableRawBufferPointer) {
        guard let destination = out.baseAddress, out.count > 0 else { return }
        guard out.count <= Self.largestPooledRequest, Sodium.isReady else {
            randombytes_buf(destination, out.count)
            return
        }
        mutex.withLock {
            if offset + out.count > Self.capacity {
                randombytes_buf(bytes, Self.capacity)
                offset = 0
            }
            destination.copyMemory(from: bytes + offset, byteCount: out.count)
            sodium_memzero(bytes + offset, out.count)
            offset += out.count
        }
    }

    /// Bytes left in the pool (tests check that a forked child starts empty).
    var pooledByteCount: Int {
        mutex.withLock { Self.capacity - offset }
    }

    /// In a forked child (one thread): forget the parent's bytes.
    private func emptyInChild() {
        sodium_memzero(bytes, Self.capacity)
        offset = Self.capacity
    }
}

/// Direct `randombytes_buf`, for comparison in benchmarks.
enum SodiumRandom {
    static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        randombytes_buf(base, buffer.count)
    }
}
