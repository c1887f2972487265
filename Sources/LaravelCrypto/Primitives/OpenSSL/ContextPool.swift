internal import COpenSSL

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
/// the shard its ``ThreadNumber`` picks: threads encrypting with one encrypter at once meet on a
/// lock only when there are more of them than shards, and a context tends to stay with one thread
/// (and in its core's cache). With one
/// shared list, two threads of `aes-256-cbc` were no faster than one (`crypto-bench --suite
/// threads`; the figures, and where the rest of the time goes, are in `docs/benchmarks.md`).
///
/// The pool owns the template, the shards and every idle context, and frees them in `deinit`.
/// Hot paths use its ``Handle``, a trivial value: taking and giving a context writes only the
/// shard's lock and list, never a reference count that every thread shares.
///
/// Each lock is a ``ForkSafeMutex``: a child forked while another thread was inside `take` or
/// `give` does not inherit it held.
final class ContextPool: Sendable {
    /// The pool's memory as plain pointers; valid while the pool is alive.
    let handle: Handle

    /// Which OpenSSL context type the pool holds, and so how to copy and free one.
    enum Kind: Sendable {
        /// `EVP_CIPHER_CTX`.
        case cipher
        /// `EVP_MAC_CTX`.
        case mac
    }

    /// Shards per pool: a power of two at least the number of online CPUs, from 8 to 64.
    private static let shardCount: Int = {
        let cpus = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        var count = 8
        while count < cpus && count < 64 { count *= 2 }
        return count
    }()

    /// A pool over `template`, a keyed context of `kind`, which it owns from now on.
    init(template: OpaquePointer, kind: Kind) {
        let shards = UnsafeMutableRawPointer.allocate(byteCount: Self.shardCount * Shard.stride, alignment: 64)
        for index in 0..<Self.shardCount {
            let shard = shards + index * Shard.stride
            shard.initializeMemory(as: ForkSafeMutex.self, to: ForkSafeMutex())
            (shard + Shard.idleOffset).initializeMemory(as: IdleList.self, to: IdleList())
        }
        handle = Handle(template: template, kind: kind, shards: shards, shardMask: Self.shardCount - 1)
    }

    deinit {
        for index in 0...handle.shardMask {
            let shard = handle.shard(at: index)
            while let context = shard.idle.pointee.pop() { handle.kind.free(context) }
            shard.mutex.destroy()
        }
        handle.shards.deallocate()
        handle.kind.free(handle.template)
    }

    /// The template and shards of a ``ContextPool`` as plain pointers, valid while that pool is
    /// alive (its owner keeps it alive for the whole of every call that uses them).
    ///
    /// `@unchecked Sendable`: a shard's list is only touched with its mutex held; the template is
    /// only read (copied); a context taken from the pool belongs to one thread until it is given
    /// back.
    struct Handle: @unchecked Sendable {
        fileprivate let template: OpaquePointer
        fileprivate let kind: Kind
        fileprivate let shards: UnsafeMutableRawPointer
        fileprivate let shardMask: Int

        fileprivate func shard(at index: Int) -> Shard { Shard(start: shards + index * Shard.stride) }

        /// The calling thread's shard: its ``ThreadNumber``, so that threads take distinct shards
        /// until there are more threads than shards.
        private var callersShard: Shard { shard(at: ThreadNumber.current & shardMask) }

        /// A context for the caller's exclusive use, or `nil` if OpenSSL cannot copy the template.
        func take() -> OpaquePointer? {
            let shard = callersShard
            let pooled = shard.mutex.withLock { shard.idle.pointee.pop() }
            return pooled ?? kind.copy(template)
        }

        /// Returns a context from ``take()``.
        func give(_ context: OpaquePointer) {
            let shard = callersShard
            if !shard.mutex.withLock({ shard.idle.pointee.push(context) }) { kind.free(context) }
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
}

extension ContextPool.Kind {
    /// A copy of `context` (same key and settings), or `nil` if OpenSSL fails.
    fileprivate func copy(_ context: OpaquePointer) -> OpaquePointer? {
        switch self {
        case .cipher:
            guard let copy = EVP_CIPHER_CTX_new() else { return nil }
            guard EVP_CIPHER_CTX_copy(copy, context) == 1 else {
                EVP_CIPHER_CTX_free(copy)
                return nil
            }
            return copy
        case .mac:
            return EVP_MAC_CTX_dup(context)
        }
    }

    /// Frees `context`; OpenSSL cleanses the keyed state first.
    fileprivate func free(_ context: OpaquePointer) {
        switch self {
        case .cipher: EVP_CIPHER_CTX_free(context)
        case .mac: EVP_MAC_CTX_free(context)
        }
    }
}

/// One shard of a pool: a lock and the idle contexts behind it, in a cache line of its own
/// (``stride``), so two threads using neighbouring shards never write the same line. The lock
/// value is only read after the pool is made; the list is only touched with the lock held.
private struct Shard {
    /// The shard's first byte: the ``ForkSafeMutex``, then the ``IdleList`` at ``idleOffset``.
    let start: UnsafeMutableRawPointer

    /// Where the list starts, after the lock.
    static var idleOffset: Int { MemoryLayout<ForkSafeMutex>.stride }

    /// Bytes from one shard to the next: whole 64-byte cache lines.
    static var stride: Int { (idleOffset + MemoryLayout<IdleList>.stride + 63) / 64 * 64 }

    var mutex: ForkSafeMutex { start.load(as: ForkSafeMutex.self) }
    var idle: UnsafeMutablePointer<IdleList> { (start + Self.idleOffset).assumingMemoryBound(to: IdleList.self) }
}

/// A shard's idle contexts: a stack of at most ``limit``.
private struct IdleList {
    private var count = 0
    private var slots: (OpaquePointer?, OpaquePointer?, OpaquePointer?, OpaquePointer?) = (nil, nil, nil, nil)

    /// Contexts a shard keeps for reuse; more concurrent users get copies freed after use.
    static var limit: Int { 4 }

    /// The most recently given idle context, if any.
    mutating func pop() -> OpaquePointer? {
        guard count > 0 else { return nil }
        count -= 1
        let index = count
        return withUnsafeBytes(of: &slots) {
            $0.load(fromByteOffset: index * MemoryLayout<OpaquePointer?>.stride, as: OpaquePointer?.self)
        }
    }

    /// Keeps `context` unless the list is full; `false` when it is.
    mutating func push(_ context: OpaquePointer) -> Bool {
        guard count < Self.limit else { return false }
        let index = count
        withUnsafeMutableBytes(of: &slots) {
            $0.storeBytes(
                of: context, toByteOffset: index * MemoryLayout<OpaquePointer?>.stride, as: OpaquePointer?.self)
        }
        count += 1
        return true
    }
}
