/// PHP's `rawurlencode`/`rawurldecode` (RFC 3986), which Symfony applies to cookie values and PHP
/// to the incoming `Cookie` header.
public enum PercentEncoding {
    /// Keeps `A–Z a–z 0–9 - _ . ~` and writes every other byte as `%XX` (uppercase hex).
    public static func encode(_ text: String) -> String {
        text.withUTF8Bytes { bytes in
            String(unsafeUninitializedCapacity: bytes.count * 3) { out in
                let digits = Self.upperDigits.utf8Start
                var count = 0
                for byte in bytes {
                    if isUnreserved(byte) {
                        out[count] = byte
                        count += 1
                    } else {
                        out[count] = UInt8(ascii: "%")
                        out[count + 1] = digits[Int(byte >> 4)]
                        out[count + 2] = digits[Int(byte & 0xF)]
                        count += 3
                    }
                }
                return count
            }
        }
    }

    /// Replaces each `%XX` (either case of hex) with its byte; `+` and malformed sequences stay as
    /// they are, as in PHP. `nil` when the result is not UTF-8. Text without `%` is returned as is.
    public static func decode(_ text: String) -> String? {
        let decoded: [UInt8]? = text.withUTF8Bytes { bytes in
            let percent = UInt8(ascii: "%")
            guard var next = VectorScan.firstIndex(of: percent, in: bytes) else { return nil }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var i = 0
            while true {
                // Copy the run before the next `%` in one go, then decode or keep that `%`.
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[i..<next]))
                i = next
                if i + 2 < bytes.count, let high = hexValue(bytes[i + 1]), let low = hexValue(bytes[i + 2]) {
                    out.append(high << 4 | low)
                    i += 3
                } else {
                    out.append(percent)
                    i += 1
                }
                let rest = UnsafeRawBufferPointer(rebasing: bytes[i...])
                guard let offset = VectorScan.firstIndex(of: percent, in: rest) else { break }
                next = i + offset
            }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[i...]))
            return out
        }
        guard let decoded else { return text }
        return String(validating: decoded, as: UTF8.self)
    }

    /// Uppercase hex digits, as constant bytes in the binary.
    private static var upperDigits: StaticString { "0123456789ABCDEF" }

    /// RFC 3986's unreserved characters, which `rawurlencode` keeps, as a bitmap: bit `b % 64` of
    /// the first word (bytes 0–63: `-`, `.`, digits) or the second (64–127: letters, `_`, `~`).
    /// A lookup, not a chain of range tests, because base64 text mixes the ranges at random and
    /// the branches of a chain mispredicted on about every sixth byte.
    private static func isUnreserved(_ byte: UInt8) -> Bool {
        let low: UInt64 = 0x03FF_6000_0000_0000, high: UInt64 = 0x47FF_FFFE_87FF_FFFE
        let word = byte & 0x40 == 0 ? low : high
        let isASCII = UInt64(~byte >> 7)
        return (word >> UInt64(byte & 63)) & isASCII & 1 == 1
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
