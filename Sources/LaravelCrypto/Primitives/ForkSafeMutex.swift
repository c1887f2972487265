#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The package's one kind of lock: a pthread mutex that `fork()` never finds held.
///
/// A child process gets a copy of every mutex in the state it had at the fork, but only the
/// forking thread; a mutex another thread held then stays locked in the child forever (a child
/// encrypting once after a fork blocked for 20+ minutes that way). So every live mutex is
/// registered, and `pthread_atfork` handlers take them all before the fork (waiting for any
/// holder to leave its short critical section) and release them on both sides afterwards.
///
/// The value is a plain pointer, so the threads that lock it write only the mutex, never a
/// reference count; the owner calls ``destroy()`` once, when no thread can use it any more
/// (``ContextPool`` does so in its `deinit`). Each mutex has a cache line to itself, so two
/// mutexes locked by different threads (the shards of a ``ContextPool``) never share one.
///
/// `@unchecked Sendable`: the mutex is what makes the owner's state safe to share.
struct ForkSafeMutex: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    /// A new, registered mutex; ``destroy()`` releases it.
    init() {
        mutex = UnsafeMutableRawPointer.allocate(byteCount: Self.lineSize, alignment: 64)
            .bindMemory(to: pthread_mutex_t.self, capacity: 1)
        pthread_mutex_init(mutex, nil)
        ForkSafeMutex.registry.insert(mutex)
    }

    /// The mutex's allocation: whole 64-byte cache lines.
    private static var lineSize: Int { (MemoryLayout<pthread_mutex_t>.stride + 63) / 64 * 64 }

    /// Unregisters and frees the mutex; call once, when no thread holds or will take it.
    func destroy() {
        ForkSafeMutex.registry.remove(mutex)
        pthread_mutex_destroy(mutex)
        UnsafeMutableRawPointer(mutex).deallocate()
    }

    /// Runs `body` with the mutex held. Keep `body` short and never fork, lock another
    /// `ForkSafeMutex` or create one inside it.
    @inline(__always)
    func withLock<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// Every live mutex, behind its own lock, with the fork handlers installed once.
    private static let registry = Registry()

    private final class Registry: @unchecked Sendable {
        // `members` is only touched with `lock` held; during a fork `lock` stays held from the
        // prepare handler to the parent's or child's handler.
        private let lock: UnsafeMutablePointer<pthread_mutex_t>
        private var members: Set<UnsafeMutablePointer<pthread_mutex_t>> = []

        init() {
            lock = .allocate(capacity: 1)
            pthread_mutex_init(lock, nil)
            pthread_atfork(
                { ForkSafeMutex.registry.acquireAll() }, { ForkSafeMutex.registry.releaseAll() },
                { ForkSafeMutex.registry.releaseAll() })
        }

        func insert(_ mutex: UnsafeMutablePointer<pthread_mutex_t>) {
            pthread_mutex_lock(lock)
            members.insert(mutex)
            pthread_mutex_unlock(lock)
        }

        func remove(_ mutex: UnsafeMutablePointer<pthread_mutex_t>) {
            pthread_mutex_lock(lock)
            members.remove(mutex)
            pthread_mutex_unlock(lock)
        }

        /// Before the fork: the registry, then every member (no member is held while the registry is
        /// taken elsewhere, so the order cannot deadlock).
        private func acquireAll() {
            pthread_mutex_lock(lock)
            for member in members { pthread_mutex_lock(member) }
        }

        /// After the fork, in the parent and in the child (whose only thread is the one that forked).
        private func releaseAll() {
            for member in members { pthread_mutex_unlock(member) }
            pthread_mutex_unlock(lock)
        }
    }
}
