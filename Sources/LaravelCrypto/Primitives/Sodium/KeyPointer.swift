/// One key's bytes in its ``SecureBuffer`` as a plain pointer: the handle a ``HandleTable`` lends
/// to the `Sodium_*` hot paths, so that reading a key never retains its buffer.
///
/// `@unchecked Sendable`: it only reads memory that is read-only after the key was made.
struct KeyPointer: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
}

extension HandleTable where Handle == KeyPointer {
    /// The keys of `ring`, current first, then the previous keys in order. The table keeps each
    /// key's ``SecureBuffer`` alive, so the pointers stay valid as long as the table; the buffers
    /// still wipe and free the keys when the last holder releases them.
    convenience init(_ ring: KeyRing) {
        let buffers = [ring.current.storage] + ring.previous.map(\.storage)
        // The pointer outlives the closure on purpose: the table holds the buffer as long as itself.
        self.init(owners: buffers, handles: buffers.map { buffer in KeyPointer(bytes: buffer.withUnsafeBytes { $0 }) })
    }
}

extension HandleTable<KeyPointer>.Entries {
    /// The bytes of the current key.
    var current: UnsafeRawBufferPointer { self[0].bytes }

    /// Calls `body` with the position in the ring and the bytes of the current key, then of each
    /// previous key, until it returns a value.
    func first<R, E: Error>(where body: (_ index: Int, _ key: UnsafeRawBufferPointer) throws(E) -> R?) throws(E) -> R? {
        for index in 0..<count {
            if let result = try body(index, self[index].bytes) { return result }
        }
        return nil
    }
}
