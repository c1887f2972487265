/// Reads JSON into a ``PHPValue`` exactly as PHP's `json_decode($text, true)` does, without
/// recursion (an explicit stack, so hostile nesting cannot exhaust the thread's stack).
///
/// Objects become arrays whose canonical integer keys (`"7"`) become integer keys; a repeated key
/// keeps its first position and its last value; integers that do not fit 64 bits become floats;
/// `\u` escapes take exactly four hex digits, and a lone surrogate is an error, as in PHP.
struct PHPJSONParser {
    /// PHP's default `json_decode` depth.
    static let maximumDepth = 512

    private let bytes: UnsafeRawBufferPointer
    private var offset = 0

    private enum Container {
        case list([(key: PHPArrayKey, value: PHPValue)])
        /// `index` finds a repeated key's place in constant time (a linear search would make an
        /// object of n keys cost n² steps).
        case object([(key: PHPArrayKey, value: PHPValue)], index: [PHPArrayKey: Int], pendingKey: PHPArrayKey?)

        var entries: [(key: PHPArrayKey, value: PHPValue)] {
            switch self {
            case .list(let entries), .object(let entries, _, _): entries
            }
        }
    }

    /// Parses one JSON text (surrounding whitespace allowed, nothing else after it).
    static func parse(_ bytes: UnsafeRawBufferPointer) throws(PHPJSONError) -> PHPValue {
        var parser = PHPJSONParser(bytes: bytes)
        let value = try parser.parseValue()
        parser.skipWhitespace()
        guard parser.offset == bytes.count else {
            throw .malformed(offset: parser.offset, reason: "unexpected text after the value")
        }
        return value
    }

    private init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// One value, without recursion; on an error what was built is taken apart without recursion
    /// too (``PHPValue/dismantle(_:)``).
    private mutating func parseValue() throws(PHPJSONError) -> PHPValue {
        var stack: [Container] = []
        var value = PHPValue.null
        do throws(PHPJSONError) {
            return try parseValue(stack: &stack, value: &value)
        } catch {
            var parts = stack.flatMap(\.entries)
            stack = []
            parts.append((key: .int(0), value: value))
            value = .null
            PHPValue.dismantle(&parts)
            throw error
        }
    }

    private mutating func parseValue(stack: inout [Container], value: inout PHPValue) throws(PHPJSONError) -> PHPValue {
        while true {
            skipWhitespace()
            guard offset < bytes.count else { throw .malformed(offset: offset, reason: "unexpected end of the text") }
            switch bytes[offset] {
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                guard stack.count < Self.maximumDepth else { throw .nestingTooDeep(limit: Self.maximumDepth) }
                let isObject = bytes[offset] == UInt8(ascii: "{")
                offset += 1
                skipWhitespace()
                let closer = UInt8(ascii: isObject ? "}" : "]")
                if offset < bytes.count, bytes[offset] == closer {
                    offset += 1
                    value = .array([])
                } else if isObject {
                    stack.append(.object([], index: [:], pendingKey: try parseKey()))
                    continue
                } else {
                    stack.append(.list([]))
                    continue
                }
            default:
                value = try parseScalar()
            }
            // Hand the finished value to its container, closing containers as they end.
            while true {
                guard let top = stack.popLast() else { return value }
                skipWhitespace()
                guard offset < bytes.count else {
                    throw .malformed(offset: offset, reason: "unexpected end of the text")
                }
                let next = bytes[offset]
                offset += 1
                switch top {
                case .list(var entries):
                    entries.append((PHPArrayKey.int(Int64(entries.count)), value))
                    if next == UInt8(ascii: ",") {
                        stack.append(.list(entries))
                    } else if next == UInt8(ascii: "]") {
                        value = .array(entries)
                        continue
                    } else {
                        throw .malformed(offset: offset - 1, reason: "expected ',' or ']'")
                    }
                case .object(var entries, var index, let key):
                    if let key { Self.assign(value, to: key, in: &entries, index: &index) }
                    if next == UInt8(ascii: ",") {
                        stack.append(.object(entries, index: index, pendingKey: try parseKey()))
                    } else if next == UInt8(ascii: "}") {
                        value = .array(entries)
                        continue
                    } else {
                        throw .malformed(offset: offset - 1, reason: "expected ',' or '}'")
                    }
                }
                break
            }
        }
    }

    /// As PHP assigns into an array: a repeated key keeps its place and takes the new value.
    private static func assign(
        _ value: PHPValue, to key: PHPArrayKey, in entries: inout [(key: PHPArrayKey, value: PHPValue)],
        index: inout [PHPArrayKey: Int]
    ) {
        if let existing = index[key] {
            entries[existing].value = value
        } else {
            index[key] = entries.count
            entries.append((key, value))
        }
    }

    /// `"key" :`
    private mutating func parseKey() throws(PHPJSONError) -> PHPArrayKey {
        skipWhitespace()
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else {
            throw .malformed(offset: offset, reason: "expected a string key")
        }
        let key = try parseString()
        skipWhitespace()
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: ":") else {
            throw .malformed(offset: offset, reason: "expected ':'")
        }
        offset += 1
        return PHPArrayKey(normalizing: key)
    }

    private mutating func parseScalar() throws(PHPJSONError) -> PHPValue {
        switch bytes[offset] {
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw .malformed(offset: offset, reason: "unexpected character")
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(PHPJSONError) {
        let count = literal.utf8CodeUnitCount
        guard offset + count <= bytes.count else {
            throw .malformed(offset: offset, reason: "unexpected end of the text")
        }
        for i in 0..<count where bytes[offset + i] != literal.utf8Start[i] {
            throw .malformed(offset: offset + i, reason: "unexpected character")
        }
        offset += count
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    private mutating func parseNumber() throws(PHPJSONError) -> PHPValue {
        let start = offset
        var isInteger = true
        if bytes[offset] == UInt8(ascii: "-") { offset += 1 }
        guard offset < bytes.count, isDigit(bytes[offset]) else {
            throw .malformed(offset: offset, reason: "expected a digit")
        }
        if bytes[offset] == UInt8(ascii: "0") {
            offset += 1
        } else {
            skipDigits()
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
            isInteger = false
            offset += 1
            guard offset < bytes.count, isDigit(bytes[offset]) else {
                throw .malformed(offset: offset, reason: "expected a digit")
            }
            skipDigits()
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "e") || bytes[offset] == UInt8(ascii: "E") {
            isInteger = false
            offset += 1
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") {
                offset += 1
            }
            guard offset < bytes.count, isDigit(bytes[offset]) else {
                throw .malformed(offset: offset, reason: "expected a digit")
            }
            skipDigits()
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
        if isInteger, let n = Int64(text) { return .int(n) }
        guard let d = Double(text) else { throw .malformed(offset: start, reason: "the number cannot be read") }
        return .double(d)
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private mutating func skipDigits() {
        while offset < bytes.count, isDigit(bytes[offset]) { offset += 1 }
    }

    private mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x09, 0x0A, 0x0D: offset += 1
            default: return
            }
        }
    }

    /// A string starting at the opening quote: its UTF-8 bytes.
    private mutating func parseString() throws(PHPJSONError) -> [UInt8] {
        offset += 1
        var out: [UInt8] = []
        var runStart = offset
        while true {
            guard offset < bytes.count else { throw .malformed(offset: offset, reason: "unterminated string") }
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                try appendValidated(from: runStart, to: offset, into: &out)
                offset += 1
                return out
            }
            if byte < 0x20 { throw .malformed(offset: offset, reason: "control character in a string") }
            if byte == UInt8(ascii: "\\") {
                try appendValidated(from: runStart, to: offset, into: &out)
                try parseEscape(into: &out)
                runStart = offset
                continue
            }
            offset += 1
        }
    }

    private func appendValidated(from start: Int, to end: Int, into out: inout [UInt8]) throws(PHPJSONError) {
        guard end > start else { return }
        let run = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
        guard UTF8Validation.isValid(run) else {
            throw .malformed(offset: start, reason: "malformed UTF-8 in a string")
        }
        out.append(contentsOf: run)
    }

    private mutating func parseEscape(into out: inout [UInt8]) throws(PHPJSONError) {
        guard offset + 1 < bytes.count else { throw .malformed(offset: offset, reason: "unterminated escape") }
        let code = bytes[offset + 1]
        offset += 2
        switch code {
        case UInt8(ascii: "\""): out.append(0x22)
        case UInt8(ascii: "\\"): out.append(0x5C)
        case UInt8(ascii: "/"): out.append(0x2F)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            let first = try parseHex4()
            var scalarValue = UInt32(first)
            if (0xD800..<0xDC00).contains(first) {
                guard offset + 1 < bytes.count, bytes[offset] == UInt8(ascii: "\\"),
                    bytes[offset + 1] == UInt8(ascii: "u")
                else {
                    throw .malformed(offset: offset, reason: "single unpaired UTF-16 surrogate")
                }
                offset += 2
                let second = try parseHex4()
                guard (0xDC00..<0xE000).contains(second) else {
                    throw .malformed(offset: offset - 4, reason: "single unpaired UTF-16 surrogate")
                }
                scalarValue = 0x10000 + ((UInt32(first) - 0xD800) << 10) + (UInt32(second) - 0xDC00)
            } else if (0xDC00..<0xE000).contains(first) {
                throw .malformed(offset: offset - 4, reason: "single unpaired UTF-16 surrogate")
            }
            guard let scalar = Unicode.Scalar(scalarValue) else {
                throw .malformed(offset: offset, reason: "invalid \\u escape")
            }
            out.append(contentsOf: String(scalar).utf8)
        default:
            throw .malformed(offset: offset - 1, reason: "invalid escape")
        }
    }

    /// Exactly four hex digits.
    private mutating func parseHex4() throws(PHPJSONError) -> UInt16 {
        guard offset + 4 <= bytes.count else { throw .malformed(offset: offset, reason: "\\u needs four hex digits") }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw .malformed(offset: offset, reason: "\\u needs four hex digits")
            }
            value = value << 4 | UInt16(digit)
            offset += 1
        }
        return value
    }
}
