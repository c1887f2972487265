internal import CVector

/// Vectorised scans for the JSON envelope reader (AVX2 on x86-64, a byte loop elsewhere).
enum VectorScan {
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
