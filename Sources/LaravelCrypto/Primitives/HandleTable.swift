/// The handles of some objects, copied into memory the table owns and lent to hot paths as a
/// plain buffer, which no reference count guards.
///
/// An encrypter is shared by every thread that serves requests, and each retain and release of an
/// object it holds writes that object's reference count: threads encrypting at once then move
/// that cache line between cores on every call. Hot paths read a ``HandleTable/Entries`` instead, a
/// trivial value; the table keeps the objects, and so what each handle points to, alive. The
/// `Sodium_*` encrypters keep their keys' bytes here (``KeyPointer``), Laravel's envelope its
/// prepared OpenSSL keys.
///
/// `@unchecked Sendable`: the entries are written once in `init`, before the table can be shared,
/// and only read afterwards; each handle type is `Sendable`.
final class HandleTable<Handle: BitwiseCopyable & Sendable>: @unchecked Sendable {
    /// The objects the handles point into.
    private let owners: [any AnyObject & Sendable]
    /// The handles, in the order given; valid while `self` is alive.
    let entries: Entries

    /// Keeps `owners` alive for the table's lifetime and copies `handles` into the table.
    init(owners: [any AnyObject & Sendable], handles: [Handle]) {
        self.owners = owners
        let memory = UnsafeMutableBufferPointer<Handle>.allocate(capacity: handles.count)
        _ = memory.initialize(from: handles)
        entries = Entries(handles: UnsafeBufferPointer(memory))
    }

    deinit {
        UnsafeMutableBufferPointer(mutating: entries.handles).deallocate()
    }

    /// The handles of a ``HandleTable`` as a trivial value; valid while that table is alive (its
    /// owner keeps it alive for the whole of every call that uses them).
    ///
    /// `@unchecked Sendable`: the memory is only read.
    struct Entries: @unchecked Sendable {
        fileprivate let handles: UnsafeBufferPointer<Handle>

        /// How many handles there are.
        var count: Int { handles.count }

        /// The handle at `index`, which must be in `0..<count`.
        subscript(index: Int) -> Handle { handles[index] }

        /// The position of the first handle that satisfies `predicate`.
        func firstIndex<E: Error>(where predicate: (Handle) throws(E) -> Bool) throws(E) -> Int? {
            for index in handles.indices where try predicate(handles[index]) { return index }
            return nil
        }
    }
}
