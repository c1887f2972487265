extension String {
    /// Lends the string's UTF-8 bytes to `body` without copying a native string.
    ///
    /// `var copy = text; copy.withUTF8 { … }` takes a reference to the string's storage, so threads
    /// encrypting one shared string would all write its reference count (one cache line bouncing
    /// between cores). Reading the contiguous storage in place does not; only a bridged or
    /// otherwise non-contiguous string is copied first.
    @inline(__always)
    func withUTF8Bytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        if let result = try utf8.withContiguousStorageIfAvailable({ try body(UnsafeRawBufferPointer($0)) }) {
            return result
        }
        var copy = self
        return try copy.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
    }
}
