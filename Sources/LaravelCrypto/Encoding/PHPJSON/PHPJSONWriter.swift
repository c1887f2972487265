/// Writes a ``PHPValue`` exactly as PHP's `json_encode` does, with `JSON_UNESCAPED_UNICODE` or
/// without it, and never with `JSON_UNESCAPED_SLASHES` (so `/` is written `\/`).
enum PHPJSONWriter {
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// The JSON bytes of `value`.
    static func bytes(of value: PHPValue, escapesUnicode: Bool) throws(PHPJSONError) -> [UInt8] {
        var out: [UInt8] = []
        try write(value, escapesUnicode: escapesUnicode, path: "", into: &out)
        return out
    }

    private static func write(_ value: PHPValue, escapesUnicode: Bool, path: String, into out: inout [UInt8])
        throws(PHPJSONError)
    {
        switch value {
        case .null: out += "null".utf8
        case .bool(let b): out += (b ? "true" : "false").utf8
        case .int(let n): out += String(n).utf8
        case .double(let d):
            guard d.isFinite else { throw .unencodable(path: path, reason: "Inf and NaN cannot be JSON encoded") }
            out += PHPFloatFormat.text(of: d).utf8.map { $0 == UInt8(ascii: "E") ? UInt8(ascii: "e") : $0 }
        case .string(let bytes):
            try writeString(bytes, escapesUnicode: escapesUnicode, path: path, into: &out)
        case .array(let entries):
            if isList(entries) {
                out.append(UInt8(ascii: "["))
                for (index, entry) in entries.enumerated() {
                    if index > 0 { out.append(UInt8(ascii: ",")) }
                    try write(entry.value, escapesUnicode: escapesUnicode, path: "\(path)[\(index)]", into: &out)
                }
                out.append(UInt8(ascii: "]"))
            } else {
                out.append(UInt8(ascii: "{"))
                for (index, entry) in entries.enumerated() {
                    if index > 0 { out.append(UInt8(ascii: ",")) }
                    let key: [UInt8]
                    switch entry.key {
                    case .int(let n): key = Array(String(n).utf8)
                    case .string(let bytes): key = bytes
                    }
                    try writeString(key, escapesUnicode: escapesUnicode, path: path, into: &out)
                    out.append(UInt8(ascii: ":"))
                    try write(
                        entry.value, escapesUnicode: escapesUnicode, path: "\(path).\(entry.key.text)", into: &out)
                }
                out.append(UInt8(ascii: "}"))
            }
        }
    }

    /// PHP writes `[…]` for arrays keyed 0, 1, … n−1 in order (an empty array included).
    private static func isList(_ entries: [(key: PHPArrayKey, value: PHPValue)]) -> Bool {
        entries.enumerated().allSatisfy { index, entry in entry.key == .int(Int64(index)) }
    }

    private static func writeString(_ bytes: [UInt8], escapesUnicode: Bool, path: String, into out: inout [UInt8])
        throws(PHPJSONError)
    {
        guard bytes.withUnsafeBytes({ UTF8Validation.isValid($0) }) else {
            throw .unencodable(path: path, reason: "Malformed UTF-8 characters, possibly incorrectly encoded")
        }
        let text = String(decoding: bytes, as: UTF8.self)
        out.append(UInt8(ascii: "\""))
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x22: out += #"\""#.utf8
            case 0x5C: out += #"\\"#.utf8
            case 0x2F: out += #"\/"#.utf8
            case 0x08: out += #"\b"#.utf8
            case 0x0C: out += #"\f"#.utf8
            case 0x0A: out += #"\n"#.utf8
            case 0x0D: out += #"\r"#.utf8
            case 0x09: out += #"\t"#.utf8
            case 0..<0x20: appendEscape(UInt16(scalar.value), into: &out)
            case 0x20..<0x80: out.append(UInt8(scalar.value))
            case 0x2028, 0x2029: appendEscape(UInt16(scalar.value), into: &out)
            default:
                if escapesUnicode {
                    for unit in String(scalar).utf16 { appendEscape(unit, into: &out) }
                } else {
                    out += String(scalar).utf8
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func appendEscape(_ unit: UInt16, into out: inout [UInt8]) {
        out += #"\u"#.utf8
        for shift in stride(from: 12, through: 0, by: -4) {
            out.append(hexDigits[Int((unit >> UInt16(shift)) & 0xF)])
        }
    }
}
