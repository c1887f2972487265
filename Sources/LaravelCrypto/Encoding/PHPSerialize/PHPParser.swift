/// Reads PHP `serialize()` data into a ``PHPValue``, strictly.
///
/// Accepts what PHP 8 writes and the harmless variants its reader allows (`i:+5;`, `i:007;`,
/// `d:1.`, `d:.5e3`, other `serialize_precision` settings). Rejects objects, enums, references
/// and the legacy `S:` form, integers outside Int64 (PHP would clamp them), duplicate-free
/// violations of the grammar, and any byte after the value.
struct PHPParser {
    private let bytes: UnsafeRawBufferPointer
    private var position = 0
    private let maximumDepth: Int

    /// Parses one complete value from `bytes`.
    static func parse(_ bytes: UnsafeRawBufferPointer, maximumDepth: Int) throws(PHPSerializationError) -> PHPValue {
        var parser = PHPParser(bytes: bytes, maximumDepth: maximumDepth)
        let value = try parser.parseValue(depth: 0)
        guard parser.position == bytes.count else { throw .trailingBytes(offset: parser.position) }
        return value
    }

    private init(bytes: UnsafeRawBufferPointer, maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func expect(_ c: UInt8) throws(PHPSerializationError) {
        guard peek() == c else {
            throw .malformed(offset: position, reason: "expected \"\(Character(Unicode.Scalar(c)))\"")
        }
        position += 1
    }

    private mutating func parseValue(depth: Int) throws(PHPSerializationError) -> PHPValue {
        let start = position
        guard let tag = peek() else { throw .malformed(offset: position, reason: "unexpected end of data") }
        position += 1
        switch tag {
        case UInt8(ascii: "N"):
            try expect(UInt8(ascii: ";"))
            return .null
        case UInt8(ascii: "b"):
            try expect(UInt8(ascii: ":"))
            let value = peek()
            guard value == UInt8(ascii: "0") || value == UInt8(ascii: "1") else {
                throw .malformed(offset: position, reason: "a bool must be 0 or 1")
            }
            position += 1
            try expect(UInt8(ascii: ";"))
            return .bool(value == UInt8(ascii: "1"))
        case UInt8(ascii: "i"):
            try expect(UInt8(ascii: ":"))
            let n = try parseInteger(signed: true, terminator: UInt8(ascii: ";"))
            return .int(n)
        case UInt8(ascii: "d"):
            try expect(UInt8(ascii: ":"))
            return .double(try parseDouble())
        case UInt8(ascii: "s"):
            try expect(UInt8(ascii: ":"))
            return .string(try parseStringBody())
        case UInt8(ascii: "a"):
            guard depth < maximumDepth else { throw .nestingTooDeep(limit: maximumDepth) }
            try expect(UInt8(ascii: ":"))
            return try parseArrayBody(depth: depth)
        case UInt8(ascii: "O"), UInt8(ascii: "C"):
            throw .unsupported(offset: start, reason: "PHP objects are not read (they would name PHP classes)")
        case UInt8(ascii: "E"):
            throw .unsupported(offset: start, reason: "PHP enums are not read")
        case UInt8(ascii: "R"), UInt8(ascii: "r"):
            throw .unsupported(offset: start, reason: "PHP references are not read")
        case UInt8(ascii: "S"):
            throw .unsupported(offset: start, reason: "the legacy escaped string form S: is not read")
        default:
            throw .malformed(offset: start, reason: "unknown type letter")
        }
    }

    /// `[+-]?[0-9]+` followed by `terminator`; an optional sign only when `signed`.
    private mutating func parseInteger(signed: Bool, terminator: UInt8) throws(PHPSerializationError) -> Int64 {
        let start = position
        var negative = false
        if signed, let c = peek(), c == UInt8(ascii: "-") || c == UInt8(ascii: "+") {
            negative = c == UInt8(ascii: "-")
            position += 1
        }
        var magnitude: UInt64 = 0
        var sawDigit = false
        while let c = peek(), c >= 0x30 && c <= 0x39 {
            let (times, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(UInt64(c - 0x30))
            guard !o1 && !o2 else { throw .malformed(offset: start, reason: "integer out of range") }
            magnitude = sum
            sawDigit = true
            position += 1
        }
        guard sawDigit else { throw .malformed(offset: position, reason: "expected digits") }
        try expect(terminator)
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { throw .malformed(offset: start, reason: "integer out of range") }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { throw .malformed(offset: start, reason: "integer out of range") }
        return Int64(magnitude)
    }

    private mutating func parseDouble() throws(PHPSerializationError) -> Double {
        let start = position
        guard let end = (start..<bytes.count).first(where: { bytes[$0] == UInt8(ascii: ";") }) else {
            throw .malformed(offset: start, reason: "unterminated float")
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        position = end + 1
        switch text {
        case "INF": return .infinity
        case "-INF": return -.infinity
        case "NAN": return .nan
        default: break
        }
        guard PHPParser.isDecimalFloat(text), let value = Double(text) else {
            throw .malformed(offset: start, reason: "invalid float")
        }
        return value
    }

    /// `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`
    static func isDecimalFloat(_ text: String) -> Bool {
        var s = Substring(text)
        if s.first == "+" || s.first == "-" { s = s.dropFirst() }
        let mantissaEnd = s.firstIndex(where: { $0 == "e" || $0 == "E" }) ?? s.endIndex
        let mantissa = s[..<mantissaEnd]
        let parts = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let isDigits = { (t: Substring) in t.allSatisfy { $0.isASCII && $0.isNumber } }
        guard parts.allSatisfy(isDigits), parts.contains(where: { !$0.isEmpty }), mantissa.filter({ $0 == "." }).count <= 1
        else { return false }
        guard mantissaEnd != s.endIndex else { return true }
        var exponent = s[s.index(after: mantissaEnd)...]
        if exponent.first == "+" || exponent.first == "-" { exponent = exponent.dropFirst() }
        return !exponent.isEmpty && isDigits(exponent)
    }

    /// `<len>:"<bytes>";` after `s:`.
    private mutating func parseStringBody() throws(PHPSerializationError) -> [UInt8] {
        let lengthStart = position
        let length = try parseInteger(signed: false, terminator: UInt8(ascii: ":"))
        try expect(UInt8(ascii: "\""))
        guard length <= Int64(bytes.count - position) else {
            throw .malformed(offset: lengthStart, reason: "string length \(length) runs past the end of the data")
        }
        let end = position + Int(length)
        let value = Array(UnsafeRawBufferPointer(rebasing: bytes[position..<end]))
        position = end
        try expect(UInt8(ascii: "\""))
        try expect(UInt8(ascii: ";"))
        return value
    }

    /// `<count>:{ (key value)* }` after `a:`.
    private mutating func parseArrayBody(depth: Int) throws(PHPSerializationError) -> PHPValue {
        let countStart = position
        let count = try parseInteger(signed: false, terminator: UInt8(ascii: ":"))
        try expect(UInt8(ascii: "{"))
        // Each entry takes at least 6 bytes ("i:0;N;"), so a huge count cannot be honest.
        guard count <= Int64(bytes.count - position) / 6 else {
            throw .malformed(offset: countStart, reason: "array count \(count) exceeds the data")
        }
        var entries: [(key: PHPArrayKey, value: PHPValue)] = []
        entries.reserveCapacity(Int(count))
        var index: [PHPArrayKey: Int] = [:]
        for _ in 0..<count {
            let keyStart = position
            let key: PHPArrayKey
            switch peek() {
            case UInt8(ascii: "i"):
                position += 1
                try expect(UInt8(ascii: ":"))
                key = .int(try parseInteger(signed: true, terminator: UInt8(ascii: ";")))
            case UInt8(ascii: "s"):
                position += 1
                try expect(UInt8(ascii: ":"))
                key = PHPArrayKey(normalizing: try parseStringBody())
            default:
                throw .malformed(offset: keyStart, reason: "an array key must be i: or s:")
            }
            let value = try parseValue(depth: depth + 1)
            if let existing = index[key] {
                entries[existing].value = value  // PHP: the last duplicate wins, in the first one's place
            } else {
                index[key] = entries.count
                entries.append((key, value))
            }
        }
        try expect(UInt8(ascii: "}"))
        return .array(entries)
    }
}
