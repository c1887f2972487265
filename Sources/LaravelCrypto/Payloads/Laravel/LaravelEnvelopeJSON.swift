/// Reads the JSON object inside Laravel's payload the way PHP's `json_decode($json, true)` does
/// for the four fields Laravel looks at: any member order, whitespace, unknown members (of any
/// JSON type), duplicates (the last wins), `\/` and `\uXXXX` escapes. Anything that is not a
/// well-formed JSON object of valid UTF-8 is rejected.
struct LaravelEnvelopeJSON {
    /// A member's value, as far as Laravel cares.
    enum Field {
        /// A JSON string; `bytes` is its decoded text.
        case string(FieldText)
        /// `null`.
        case null
        /// A number, bool, array or object.
        case other
    }

    /// A decoded JSON string: a range of the input when it had no escapes, else an owned copy.
    enum FieldText {
        case slice(Range<Int>)
        case owned([UInt8])
    }

    private(set) var iv: Field?
    private(set) var value: Field?
    private(set) var mac: Field?
    private(set) var tag: Field?

    private let bytes: UnsafeRawBufferPointer
    private var position = 0

    /// Parses `bytes` (which must stay alive while the result is used).
    static func parse(_ bytes: UnsafeRawBufferPointer) throws(DecryptionError) -> LaravelEnvelopeJSON {
        guard UTF8Validation.isValid(bytes) else { throw .invalidPayload(reason: "the JSON is not valid UTF-8") }
        var parser = LaravelEnvelopeJSON(bytes: bytes)
        parser.skipWhitespace()
        guard parser.peek() == UInt8(ascii: "{") else {
            throw .invalidPayload(reason: "the decoded payload is not a JSON object")
        }
        try parser.parseTopObject()
        parser.skipWhitespace()
        guard parser.position == bytes.count else { throw .invalidPayload(reason: "bytes after the JSON object") }
        return parser
    }

    private init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// Lends the bytes of a decoded string.
    func withBytes<R>(_ text: FieldText, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        switch text {
        case .slice(let range): try body(UnsafeRawBufferPointer(rebasing: bytes[range]))
        case .owned(let owned): try owned.withUnsafeBytes(body)
        }
    }

    private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipWhitespace() {
        while let c = peek(), c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { position += 1 }
    }

    private static func invalid(_ reason: String) -> DecryptionError {
        .invalidPayload(reason: "malformed JSON (\(reason))")
    }

    private mutating func parseTopObject() throws(DecryptionError) {
        position += 1
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position += 1
            return
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw Self.invalid("expected a member name") }
            let name = try parseString()
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw Self.invalid("expected \":\"") }
            position += 1
            skipWhitespace()
            let field = try parseField()
            switch withBytes(name, Self.member) {
            case .iv: iv = field
            case .value: value = field
            case .mac: mac = field
            case .tag: tag = field
            case nil: break
            }
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"):
                position += 1
                return
            default: throw Self.invalid("expected \",\" or \"}\"")
            }
        }
    }

    private enum Member { case iv, value, mac, tag }

    /// Which of Laravel's four members a name is, compared byte by byte without allocating.
    private static func member(_ name: UnsafeRawBufferPointer) -> Member? {
        func matches(_ literal: StaticString) -> Bool {
            literal.utf8CodeUnitCount == name.count
                && (0..<name.count).allSatisfy { literal.utf8Start[$0] == name[$0] }
        }
        if matches("iv") { return .iv }
        if matches("value") { return .value }
        if matches("mac") { return .mac }
        if matches("tag") { return .tag }
        return nil
    }

    private mutating func parseField() throws(DecryptionError) -> Field {
        switch peek() {
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        default:
            try skipValue()
            return .other
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(DecryptionError) {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw Self.invalid("truncated literal") }
        for i in 0..<count where bytes[position + i] != literal.utf8Start[i] {
            throw Self.invalid("unknown literal")
        }
        position += count
    }

    /// Containers may nest this deep, counting the envelope object as 1: PHP's `json_decode` with
    /// its default depth of 512 accepts 511 levels and refuses 512.
    static let maximumDepth = 511

    /// Skips any JSON value (used for members Laravel ignores) without recursion: the input is not
    /// authenticated yet, so its nesting must cost neither stack nor more than a bit per level.
    private mutating func skipValue() throws(DecryptionError) {
        var openIsObject: [Bool] = []  // the containers open inside this value, innermost last
        while true {
            // A value is expected here.
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: "\""): _ = try parseString()
            case UInt8(ascii: "t"): try expectLiteral("true")
            case UInt8(ascii: "f"): try expectLiteral("false")
            case UInt8(ascii: "n"): try expectLiteral("null")
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                // The envelope object is level 1, this member's value level 2.
                guard openIsObject.count + 2 <= Self.maximumDepth else { throw Self.invalid("nested too deeply") }
                let isObject = peek() == UInt8(ascii: "{")
                position += 1
                skipWhitespace()
                if peek() == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    position += 1
                    break
                }
                openIsObject.append(isObject)
                if isObject { try skipMemberName() }
                continue
            default:
                try skipNumber()
            }
            // After a value: close containers until one continues with another element.
            while let isObject = openIsObject.last {
                skipWhitespace()
                if peek() == UInt8(ascii: ",") {
                    position += 1
                    if isObject { try skipMemberName() }
                    break
                } else if peek() == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    position += 1
                    openIsObject.removeLast()
                } else {
                    throw Self.invalid("expected \",\" or a closing bracket")
                }
            }
            if openIsObject.isEmpty { return }
        }
    }

    /// `"name" :` inside an object being skipped.
    private mutating func skipMemberName() throws(DecryptionError) {
        skipWhitespace()
        guard peek() == UInt8(ascii: "\"") else { throw Self.invalid("expected a member name") }
        _ = try parseString()
        skipWhitespace()
        guard peek() == UInt8(ascii: ":") else { throw Self.invalid("expected \":\"") }
        position += 1
    }

    private mutating func skipNumber() throws(DecryptionError) {
        let isDigit = { (c: UInt8?) in c.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
        if peek() == UInt8(ascii: "-") { position += 1 }
        guard isDigit(peek()) else { throw Self.invalid("unexpected character") }
        if peek() == UInt8(ascii: "0") {
            position += 1
        } else {
            while isDigit(peek()) { position += 1 }
        }
        if peek() == UInt8(ascii: ".") {
            position += 1
            guard isDigit(peek()) else { throw Self.invalid("bad number") }
            while isDigit(peek()) { position += 1 }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            position += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { position += 1 }
            guard isDigit(peek()) else { throw Self.invalid("bad number") }
            while isDigit(peek()) { position += 1 }
        }
    }

    /// A JSON string starting at `"`; escapes are decoded into an owned copy.
    private mutating func parseString() throws(DecryptionError) -> FieldText {
        position += 1
        let start = position
        position = Self.skipPlainWords(bytes, from: position)
        while let c = peek(), c != UInt8(ascii: "\""), c != UInt8(ascii: "\\") {
            guard c >= 0x20 else { throw Self.invalid("control character in a string") }
            position += 1
        }
        guard let stop = peek() else { throw Self.invalid("unterminated string") }
        if stop == UInt8(ascii: "\"") {
            position += 1
            return .slice(start..<(position - 1))
        }
        var owned = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<position]))
        while let c = peek() {
            position += 1
            switch c {
            case UInt8(ascii: "\""):
                return .owned(owned)
            case UInt8(ascii: "\\"):
                guard let escape = peek() else { throw Self.invalid("unterminated escape") }
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): owned.append(escape)
                case UInt8(ascii: "b"): owned.append(0x08)
                case UInt8(ascii: "f"): owned.append(0x0C)
                case UInt8(ascii: "n"): owned.append(0x0A)
                case UInt8(ascii: "r"): owned.append(0x0D)
                case UInt8(ascii: "t"): owned.append(0x09)
                case UInt8(ascii: "u"): try appendUnicodeEscape(into: &owned)
                default: throw Self.invalid("unknown escape")
                }
            default:
                guard c >= 0x20 else { throw Self.invalid("control character in a string") }
                owned.append(c)
            }
        }
        throw Self.invalid("unterminated string")
    }

    /// Skips the run of bytes that need no attention inside a string (the base64 texts are
    /// megabytes long) and returns where the byte-at-a-time loop must take over.
    private static func skipPlainWords(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        guard start < bytes.count else { return start }
        return start + VectorScan.jsonPlainPrefixLength(UnsafeRawBufferPointer(rebasing: bytes[start...]))
    }

    /// Exactly four hex digits, as PHP reads them (no sign: `\\u+030` is refused).
    private mutating func hex4() throws(DecryptionError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw Self.invalid("bad \\u escape") }
        var value: UInt32 = 0
        for offset in 0..<4 {
            let c = bytes[position + offset]
            let digit: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c - UInt8(ascii: "A") + 10
            default: throw Self.invalid("bad \\u escape")
            }
            value = value << 4 | UInt32(digit)
        }
        position += 4
        return value
    }

    private mutating func appendUnicodeEscape(into owned: inout [UInt8]) throws(DecryptionError) {
        var scalar = try hex4()
        if (0xD800...0xDBFF).contains(scalar) {
            guard position + 2 <= bytes.count, bytes[position] == UInt8(ascii: "\\"),
                bytes[position + 1] == UInt8(ascii: "u")
            else { throw Self.invalid("lone surrogate") }
            position += 2
            let low = try hex4()
            guard (0xDC00...0xDFFF).contains(low) else { throw Self.invalid("lone surrogate") }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(scalar) {
            throw Self.invalid("lone surrogate")
        }
        guard let unicode = Unicode.Scalar(scalar) else { throw Self.invalid("bad \\u escape") }
        owned += Array(String(unicode).utf8)
    }
}
