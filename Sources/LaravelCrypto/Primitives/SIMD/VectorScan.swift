internal import CVector

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Vectorised scans for the JSON envelope reader (AVX2 on x86-64, a byte loop elsewhere) and the
/// percent-decoder (the C library's `memchr`).
enum VectorScan {
    /// The offset of the first `byte` in `bytes`, or `nil` if there is none.
    static func firstIndex(of byte: UInt8, in bytes: UnsafeRawBufferPointer) -> Int? {
        guard let base = bytes.baseAddress, let found = memchr(base, Int32(byte), bytes.count) else { return nil }
        return UnsafeRawPointer(found) - base
    }

    /// The length of the leading run of ASCII bytes.
    static func asciiPrefixLength(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        return lc_ascii_prefix_length(base.assumingMemoryBound(to: UInt8.self), bytes.count)
    }

    /// The length of the leading run of bytes that are neither `"`, a backslash nor a control character.
    static func jsonPlainPrefixLength(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        return lc_json_plain_prefix_length(base.assumingMemoryBound(to: UInt8.self), bytes.count)
    }
}
