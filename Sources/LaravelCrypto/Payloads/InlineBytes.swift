/// Up to 32 decoded bytes held inline (an IV or a tag), so reading them allocates nothing.
struct InlineBytes {
    private var storage: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    /// The decoded length, which may exceed 32 (then only the length is kept).
    private(set) var count = 0

    /// Decodes base64 `text` with `mode`; `nil` when it is not valid in that mode.
    static func decode(_ text: UnsafeRawBufferPointer, mode: Base64.DecodingMode) -> InlineBytes? {
        withUnsafeTemporaryAllocation(byteCount: Base64.decodingCapacity(for: text.count), alignment: 8) { scratch in
            guard let count = try? Base64.decode(text, mode: mode, into: scratch) else { return nil }
            var bytes = InlineBytes()
            bytes.count = count
            withUnsafeMutableBytes(of: &bytes.storage) { inline in
                inline.copyMemory(from: UnsafeRawBufferPointer(rebasing: scratch[0..<min(count, 32)]))
            }
            return bytes
        }
    }

    /// Lends the bytes (only meaningful when ``count`` ≤ 32).
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var storage = storage
        return try Swift.withUnsafeBytes(of: &storage) {
            try body(UnsafeRawBufferPointer(rebasing: $0[0..<min(count, 32)]))
        }
    }
}
