#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Keyed OpenSSL contexts copied from one template and reused: a caller takes a context, uses it
/// alone, and gives it back. Used by ``PreparedAESKey`` and ``OpenSSLHMAC/PreparedKey``, whose
/// templates carry the key (copying or reusing them skips keying on every payload).
///
/// The idle contexts are split into shards, each behind its own lock, and a thread always uses
/// the shard its thread identity hashes to: threads encrypting with one encrypter at once rarely
/// meet on a lock, and a context tends to stay with one thread (and in its core's cache). With one
/// shared list, two threads of `aes-256-cbc` were no faster than one (`crypto-bench --suite
/// threads`; the figures, and where the rest of the time goes, are in `docs/benchmarks.md`).
///
/// Each lock is a ``ForkSafeMutex``: a child forked while another thread was inside `take` or
/// `give` does not inherit it held.
///
/// `@unchecked Sendable`: a shard's `idle` is only touched with its mutex held; the template is
/// only read (copied) by `copy`; a context taken from the pool belongs to one thread until it is
/// given back.
final class ContextPool: @unchecked Sendable {
    private let template: OpaquePointer
    private let copy: (OpaquePointer) -> OpaquePointer?
    private let free: (OpaquePointer) -> Void
    private let shards: [Shard]
    /// Shards per pool: a power of two at least the number of online CPUs, from 8 to 64.
    private static let shardCount: Int = {
        let cpus = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        var count = 8
        while count < cpus && count < 64 { count *= 2 }
        return count
    }()
    /// Contexts each shard keeps for reuse; more concurrent users get copies freed after use.
    private static let limitPerShard = 4

    /// One lock and its idle contexts.
    ///
    /// The shards are separate heap objects, allocated one after another. The mutex has a cache
    /// line of its own (``ForkSafeMutex``); the padding makes each object longer than a cache
    /// line, so the reference count and `idle` of two neighbouring shards (at the start of each
    /// object, written by different threads) cannot share one.
    private final class Shard: @unchecked Sendable {
        let mutex = ForkSafeMutex()
        var idle: [OpaquePointer] = []
        private let padding: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
    }

    /// A pool over `template`, which it owns and frees with `free`.
    init(
        template: OpaquePointer, copy: @escaping (OpaquePointer) -> OpaquePointer?,
        free: @escaping (OpaquePointer) -> Void
    ) {
        self.template = template
        self.copy = copy
        self.free = free
        shards = (0..<Self.shardCount).map { _ in Shard() }
    }

    deinit {
        for shard in shards {
            for context in shard.idle { free(context) }
        }
        free(template)
    }

    /// The calling thread's shard: a multiplicative hash of its `pthread_self` value.
    private var shard: Shard {
        let identity = UInt64(UInt(bitPattern: pthread_self_address()))
        let index = Int(truncatingIfNeeded: (identity &* 0x9E37_79B9_7F4A_7C15) >> 32)
        return shards[index & (shards.count - 1)]
    }

    /// A context for the caller's exclusive use, or `nil` if OpenSSL cannot copy the template.
    func take() -> OpaquePointer? {
        let shard = shard
        let pooled = shard.mutex.withLock { shard.idle.popLast() }
        return pooled ?? copy(template)
    }

    /// Returns a context from ``take()``.
    func give(_ context: OpaquePointer) {
        let shard = shard
        let kept = shard.mutex.withLock {
            guard shard.idle.count < Self.limitPerShard else { return false }
            shard.idle.append(context)
            return true
        }
        if !kept { free(context) }
    }

    /// Runs `body` with a taken context and gives it back afterwards.
    func withContext<R, E: Error>(
        orThrow failure: E, _ body: (OpaquePointer) throws(E) -> R
    ) throws(E) -> R {
        guard let context = take() else { throw failure }
        defer { give(context) }
        return try body(context)
    }
}

/// `pthread_self()` as a pointer-sized value on every platform (an integer on Linux, a pointer on
/// Darwin).
private func pthread_self_address() -> UnsafeRawPointer? {
    #if canImport(Darwin)
    UnsafeRawPointer(pthread_self())
    #else
    UnsafeRawPointer(bitPattern: UInt(pthread_self()))
    #endif
}
