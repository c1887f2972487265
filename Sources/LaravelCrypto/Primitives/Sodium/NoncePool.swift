internal import CSodium

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Random bytes for **public** values (nonces, IVs, laravel-crypto's random prefix), taken from
/// libsodium's `randombytes_buf` in 4 KiB refills instead of one `getrandom` system call per
/// payload (a system call costs a sizeable share of a 1 KiB payload; see `docs/random-numbers.md`).
/// Keys never come from here.
///
/// Every byte is still straight from the operating system's CSPRNG; it is handed out once and
/// zeroed as it leaves the pool. Each thread has its own pool (thread-specific storage), so
/// threads encrypting at once share no lock and no cache line; a thread's pool is wiped and freed
/// when the thread ends. After `fork()` the child's only thread starts with an empty pool
/// (`pthread_atfork`), so parent and child never share nonces, and the other threads' pools are
/// unreachable there. Measurements and the reasoning are in `docs/random-numbers.md`.
package final class NoncePool: Sendable {
    /// The process-wide entry point (the pools themselves are per thread).
    package static let shared = NoncePool()

    /// Requests larger than this go straight to `randombytes_buf`.
    static let largestPooledRequest = 64
    private static let capacity = 4096
    /// A thread's pool: the offset of the next unused byte, then `capacity` bytes.
    private static let headerSize = 64

    /// Each thread's pool, wiped and freed when the thread exits; a new pool starts empty.
    private let pools = PerThreadBlock(byteCount: NoncePool.headerSize + NoncePool.capacity) { pool in
        pool.storeBytes(of: NoncePool.capacity, as: Int.self)
    }

    private init() {
        pthread_atfork(nil, nil) { NoncePool.shared.emptyInChild() }
    }

    /// Fills `out` with fresh random bytes.
    package func fill(_ out: UnsafeMutableRawBufferPointer) {
        guard let destination = out.baseAddress, out.count > 0 else { return }
        guard out.count <= Self.largestPooledRequest, Sodium.isReady, let pool = pools.current() else {
            randombytes_buf(destination, out.count)
            return
        }
        let bytes = pool + Self.headerSize
        var offset = pool.load(as: Int.self)
        if offset + out.count > Self.capacity {
            randombytes_buf(bytes, Self.capacity)
            offset = 0
        }
        destination.copyMemory(from: bytes + offset, byteCount: out.count)
        sodium_memzero(bytes + offset, out.count)
        pool.storeBytes(of: offset + out.count, as: Int.self)
    }

    /// Bytes left in the calling thread's pool (tests check that a forked child starts empty).
    var pooledByteCount: Int {
        guard let pool = pools.current() else { return 0 }
        return Self.capacity - pool.load(as: Int.self)
    }

    /// In a forked child (one thread): forget the bytes the forking thread's pool held.
    private func emptyInChild() {
        guard let pool = pools.existing() else { return }
        sodium_memzero(pool + Self.headerSize, Self.capacity)
        pool.storeBytes(of: Self.capacity, as: Int.self)
    }
}

/// Direct `randombytes_buf`, for comparison in benchmarks.
package enum SodiumRandom {
    package static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        randombytes_buf(base, buffer.count)
    }
}
