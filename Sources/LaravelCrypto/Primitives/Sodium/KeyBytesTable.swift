/// The bytes of every key of a ``KeyRing`` as plain pointers, for hot paths that must not touch
/// reference counts.
///
/// An encrypter is shared by every thread that serves requests. Each retain and release of an
/// object it holds (the encrypter itself, a key's ``SecureBuffer``, the array of previous keys)
/// writes that object's reference count, so threads encrypting at once make its cache line move
/// between cores on every call. The closures of the hot paths capture ``KeyBytes`` instead: a
/// trivial value, copied without any reference counting.
///
/// The table keeps the ring, and so every key's guarded memory, alive: the pointers it lends are
/// valid for as long as the table is. It frees only its own array of pointers; the keys are
/// wiped and freed by their ``SecureBuffer``s when the ring is released.
final class KeyBytesTable: Sendable {
    /// The ring whose keys the pointers point into.
    let ring: KeyRing
    /// The current key, then the previous keys in order.
    let keys: KeyBytes

    init(_ ring: KeyRing) {
        self.ring = ring
        var storages = [ring.current.storage]
        storages += ring.previous.map(\.storage)
        let entries = UnsafeMutableBufferPointer<UnsafeRawBufferPointer>.allocate(capacity: storages.count)
        for (index, storage) in storages.enumerated() {
            // The pointer outlives the closure on purpose: `ring` holds the buffer as long as `self`.
            entries.initializeElement(at: index, to: storage.withUnsafeBytes { $0 })
        }
        keys = KeyBytes(entries: UnsafeBufferPointer(entries))
    }

    deinit {
        UnsafeMutableBufferPointer(mutating: keys.entries).deallocate()
    }
}

/// The key pointers of a ``KeyBytesTable``: valid while that table is alive (its owner keeps it
/// alive for the whole of every call that uses them).
///
/// `@unchecked Sendable`: it only reads memory that is read-only after the keys were made.
struct KeyBytes: @unchecked Sendable {
    fileprivate let entries: UnsafeBufferPointer<UnsafeRawBufferPointer>

    /// The bytes of the current key.
    var current: UnsafeRawBufferPointer { entries[0] }

    /// Calls `body` with the position in the ring and the bytes of the current key, then of each
    /// previous key, until it returns a value.
    func first<R, E: Error>(where body: (_ index: Int, _ key: UnsafeRawBufferPointer) throws(E) -> R?) throws(E) -> R? {
        for index in entries.indices {
            if let result = try body(index, entries[index]) { return result }
        }
        return nil
    }
}
