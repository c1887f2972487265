#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A number for each thread, handed out in the order threads first ask for one: 0, 1, 2, ….
///
/// ``ContextPool`` picks a thread's shard from it. A hash of the thread's identity put two
/// threads in the same shard one time in eight (with eight shards), and then both took the same
/// lock and shared the same few contexts on every call. glibc reuses the stacks, and so the
/// identities, of exited threads, so such a pair kept colliding for the life of the process.
/// Numbers given in order spread up to a pool's shard count of live threads over distinct shards.
///
/// The number is kept in thread-specific storage as the value itself (no memory to free); taking
/// a new one locks a ``ForkSafeMutex`` once per thread.
enum ThreadNumber {
    /// The calling thread's number.
    static var current: Int {
        let counter = counter
        if let stored = pthread_getspecific(counter.key) { return Int(bitPattern: stored) - 1 }
        let number = counter.mutex.withLock {
            defer { counter.next.pointee += 1 }
            return counter.next.pointee
        }
        // Stored plus one, so that 0 (no value yet) is never a number.
        _ = pthread_setspecific(counter.key, UnsafeRawPointer(bitPattern: number + 1))
        return number
    }

    /// The thread-specific key and the next number, behind a lock; created once, never freed.
    ///
    /// `@unchecked Sendable`: `next` is only touched with `mutex` held.
    private struct Counter: @unchecked Sendable {
        let key: pthread_key_t
        let mutex = ForkSafeMutex()
        let next: UnsafeMutablePointer<Int>

        init() {
            var key = pthread_key_t()
            pthread_key_create(&key, nil)
            self.key = key
            next = .allocate(capacity: 1)
            next.initialize(to: 0)
        }
    }

    private static let counter = Counter()
}
