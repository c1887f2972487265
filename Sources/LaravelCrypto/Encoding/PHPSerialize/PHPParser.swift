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
        let value = try parser.parseValue()
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

    /// An array being read: its entries so far and how many are still to come.
    private struct OpenArray {
        var entries: [(key: PHPArrayKey, value: PHPValue)] = []
        var index: [PHPArrayKey: Int] = [:]
        var remaining: Int64
        var key: PHPArrayKey

        /// Adds the value for ``key``: PHP keeps the last duplicate, in the first one's place.
        mutating func add(_ value: PHPValue) {
            if let existing = index[key] {
                entries[existing].value = value
            } else {
                index[key] = entries.count
                entries.append((key, value))
            }
            remaining -= 1
        }
    }

    /// One complete value, without recursion: nested arrays live on an explicit stack, so the
    /// input's nesting (up to ``maximumDepth``) costs heap, not the caller's thread stack. On an
    /// error, what was built is taken apart without recursion too (``PHPValue/dismantle(_:)``).
    private mutating func parseValue() throws(PHPSerializationError) -> PHPValue {
        var open: [OpenArray] = []
        var value = PHPValue.null
        do throws(PHPSerializationError) {
            while true {
                if let count = try parseHead(depth: open.count) {
                    guard count > 0 else {
                        try expect(UInt8(ascii: "}"))
                        value = .array([])
                        try close(&value, in: &open)
                        if open.isEmpty { return value }
                        continue
                    }
                    open.append(OpenArray(remaining: count, key: try parseKey()))
                    continue
                }
                value = try parseScalar()
                try close(&value, in: &open)
                if open.isEmpty { return value }
            }
        } catch {
            var parts = open.flatMap(\.entries)
            open = []
            parts.append((key: .int(0), value: value))
            value = .null
            PHPValue.dismantle(&parts)
            throw error
        }
    }

    /// Hands `value` to the innermost open array; each array it completes becomes the value for
    /// the next one out. Reads the next key of the array left open, if any. `value` holds no
    /// reference into `open` afterwards (so an error can take everything apart).
    private mutating func close(_ value: inout PHPValue, in open: inout [OpenArray]) throws(PHPSerializationError) {
        while !open.isEmpty {
            open[open.count - 1].add(value)
            value = .null
            if open[open.count - 1].remaining > 0 {
                open[open.count - 1].key = try parseKey()
                return
            }
            try expect(UInt8(ascii: "}"))
            value = .array(open.removeLast().entries)
        }
    }

    /// For `a:<count>:{`, the count (after checking depth and size); `nil` for any other value,
    /// whose first byte is left unread.
    private mutating func parseHead(depth: Int) throws(PHPSerializationError) -> Int64? {
        guard peek() == UInt8(ascii: "a") else { return nil }
        guard depth < maximumDepth else { throw .nestingTooDeep(limit: maximumDepth) }
        position += 1
        try expect(UInt8(ascii: ":"))
        let countStart = position
        let count = try parseInteger(signed: false, terminator: UInt8(ascii: ":"))
        try expect(UInt8(ascii: "{"))
        // Each entry takes at least 6 bytes ("i:0;N;"), so a huge count cannot be honest. Nothing
        // is reserved from the count: arrays grow as their entries are read.
        guard count <= Int64(bytes.count - position) / 6 else {
            throw .malformed(offset: countStart, reason: "array count \(count) exceeds the data")
        }
        return count
    }

    /// An array key: `i:<int>;` or `s:<len>:"<bytes>";`, normalised as PHP stores it.
    private mutating func parseKey() throws(PHPSerializationError) -> PHPArrayKey {
        let keyStart = position
        switch peek() {
        case UInt8(ascii: "i"):
            position += 1
            try expect(UInt8(ascii: ":"))
            return .int(try parseInteger(signed: true, terminator: UInt8(ascii: ";")))
        case UInt8(ascii: "s"):
            position += 1
            try expect(UInt8(ascii: ":"))
            return PHPArrayKey(normalizing: try parseStringBody())
        default:
            throw .malformed(offset: keyStart, reason: "an array key must be i: or s:")
        }
    }

    /// Any value but an array.
    private mutating func parseScalar() throws(PHPSerializationError) -> PHPValue {
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
            guard magnitude <= UInt64(Int64.max) + 1 else {
                throw .malformed(offset: start, reason: "integer out of range")
            }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { throw .malformed(offset: start, reason: "integer out of range") }
        return Int64(magnitude)
    }

    private mutating func parseDouble() throws(PHPSerializationError) -> Double {
        let start = position
        // One pass over the bytes: the grammar, then where the `;` is.
        guard let end = PHPParser.decimalFloatEnd(bytes, from: start) else {
            let text = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<min(bytes.count, start + 5)]))
            for special in ["INF;", "-INF;", "NAN;"] where text.starts(with: special.utf8) {
                position = start + special.utf8.count
                return special == "INF;" ? .infinity : special == "-INF;" ? -.infinity : .nan
            }
            throw .malformed(offset: start, reason: "invalid float")
        }
        position = end + 1
        guard let value = Double(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
        else {
            throw .malformed(offset: start, reason: "invalid float")
        }
        return value
    }

    /// Where the `;` ending `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?` is, or
    /// `nil` when the bytes from `start` are not such a float followed by `;`. Linear in the
    /// float's length, byte by byte.
    static func decimalFloatEnd(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var i = start
        func isDigit(_ i: Int) -> Bool { i < bytes.count && bytes[i] >= 0x30 && bytes[i] <= 0x39 }
        func digits() -> Int {
            let first = i
            while isDigit(i) { i += 1 }
            return i - first
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
        var mantissaDigits = digits()
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            mantissaDigits += digits()
        }
        guard mantissaDigits > 0 else { return nil }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { return nil }
        }
        return i < bytes.count && bytes[i] == UInt8(ascii: ";") ? i : nil
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
}
