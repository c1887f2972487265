/// A one-pass UTF-8 validator (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF).
///
/// The leading ASCII run is checked 32 bytes at a time where the CPU allows (``VectorScan``),
/// later ASCII runs eight bytes at a time.
enum UTF8Validation {
    /// Whether `bytes` is well-formed UTF-8.
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let n = bytes.count
        var i = VectorScan.asciiPrefixLength(bytes)
        while i < n {
            if i + 8 <= n, base.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
                continue
            }
            let b0 = base.load(fromByteOffset: i, as: UInt8.self)
            if b0 < 0x80 {
                i += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch b0 {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return false
            }
            guard i + length <= n else { return false }
            let b1 = base.load(fromByteOffset: i + 1, as: UInt8.self)
            guard b1 >= low && b1 <= high else { return false }
            for k in 2..<length {
                let b = base.load(fromByteOffset: i + k, as: UInt8.self)
                guard b & 0xC0 == 0x80 else { return false }
            }
            i += length
        }
        return true
    }
}
