/// Writes a ``PHPValue`` exactly as PHP's `serialize()` does.
enum PHPWriter {
    /// The bytes of `value`.
    static func bytes(of value: PHPValue) -> [UInt8] {
        var out: [UInt8] = []
        write(value, into: &out)
        return out
    }

    static func write(_ value: PHPValue, into out: inout [UInt8]) {
        switch value {
        case .null:
            out += "N;".utf8
        case .bool(let b):
            out += (b ? "b:1;" : "b:0;").utf8
        case .int(let n):
            out += "i:\(n);".utf8
        case .double(let d):
            out += "d:".utf8
            out += PHPFloatFormat.text(of: d).utf8
            out.append(UInt8(ascii: ";"))
        case .string(let bytes):
            writeString(bytes, into: &out)
        case .array(let entries):
            out += "a:\(entries.count):{".utf8
            for entry in entries {
                switch entry.key {
                case .int(let n): out += "i:\(n);".utf8
                case .string(let bytes): writeString(bytes, into: &out)
                }
                write(entry.value, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func writeString(_ bytes: [UInt8], into out: inout [UInt8]) {
        out += "s:\(bytes.count):\"".utf8
        out += bytes
        out += "\";".utf8
    }
}

/// PHP's float text with `serialize_precision = -1` (php-serialize spec §2): shortest
/// round-trip digits, plain notation for 1e-4 ≤ |x| < 1e17, `1.0E+25` style otherwise.
enum PHPFloatFormat {
    /// The text PHP writes after `d:` for `value`.
    static func text(of value: Double) -> String {
        if value.isNaN { return "NAN" }
        if value.isInfinite { return value < 0 ? "-INF" : "INF" }
        let sign = value.sign == .minus ? "-" : ""
        if value == 0 { return sign + "0" }
        let (digits, decpt) = shortestDigits(of: value.magnitude)
        if decpt < -3 || decpt > 17 {
            let rest = digits.count > 1 ? String(digits.dropFirst()) : "0"
            let exponent = decpt - 1
            return sign + String(digits.prefix(1)) + "." + rest + "E" + (exponent < 0 ? "-" : "+")
                + String(exponent.magnitude)
        }
        if decpt <= 0 {
            return sign + "0." + String(repeating: "0", count: -decpt) + digits
        }
        if digits.count <= decpt {
            return sign + digits + String(repeating: "0", count: decpt - digits.count)
        }
        let split = digits.index(digits.startIndex, offsetBy: decpt)
        return sign + digits[..<split] + "." + digits[split...]
    }

    /// The shortest round-trip digits `D` of a positive finite `x` and `decpt` with x = 0.D × 10^decpt.
    ///
    /// Swift's `description` already prints the shortest round-trip digits; only the layout differs.
    static func shortestDigits(of x: Double) -> (digits: String, decpt: Int) {
        let text = x.description
        let parts = text.split(separator: "e", maxSplits: 1)
        let mantissa = parts[0]
        let exponent = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        let pieces = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let integerPart = pieces[0]
        let fraction = pieces.count > 1 ? pieces[1] : ""
        var digits = Array(integerPart + fraction)
        var decpt = integerPart.count + exponent
        while let first = digits.first, first == "0", digits.count > 1 {
            digits.removeFirst()
            decpt -= 1
        }
        while let last = digits.last, last == "0", digits.count > 1 {
            digits.removeLast()
        }
        return (String(digits), decpt)
    }
}
