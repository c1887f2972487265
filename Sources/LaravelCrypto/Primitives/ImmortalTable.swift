/// A read-only lookup table that is built once, never freed, and read without reference counting.
///
/// A table kept in a Swift `Array` behind a global is retained and released by every call that
/// reads it. When several threads read it at once they all write that one reference count, so its
/// cache line moves between cores on every call: this is what held the 1 KiB `Sodium_*` rows of
/// `crypto-bench --suite threads` below the floor's scaling (docs/benchmarks.md, "Threads suite").
/// This table is a plain pointer, so readers only read.
///
/// Indexing is unchecked in release builds, like `UnsafeBufferPointer`: every caller derives its
/// index from a byte or a masked bit field that is within the table by construction.
///
/// `@unchecked Sendable`: the memory is written once in `init`, before the value can be shared,
/// is only read afterwards, and is never freed (tables live for the whole process).
struct ImmortalTable<Element: BitwiseCopyable>: @unchecked Sendable {
    private let elements: UnsafeBufferPointer<Element>

    /// Copies `elements` into memory that lives until the process exits.
    init(_ elements: [Element]) {
        let memory = UnsafeMutableBufferPointer<Element>.allocate(capacity: elements.count)
        _ = memory.initialize(from: elements)
        self.elements = UnsafeBufferPointer(memory)
    }

    /// The entry at `index` (checked in debug builds only).
    @inline(__always)
    subscript(index: Int) -> Element { elements[index] }
}
