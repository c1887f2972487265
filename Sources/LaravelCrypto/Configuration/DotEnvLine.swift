/// The one `.env` line grammar, over bytes: ``DotEnv`` reads values with it and `crypto-keys`'s
/// byte-preserving editor finds the value to replace with it. Every delimiter is ASCII, so the
/// scan is one linear pass whatever the line holds (a line of a million combining marks costs
/// no more than a million letters).
///
/// A line is `[blanks] [export blanks] NAME [blanks] = [blanks] VALUE`, where NAME is
/// `[A-Za-z0-9_.]+` (phpdotenv's rule), and VALUE is `'literal'`, `"with \n \r \t \" \\ escapes"`,
/// or bare text that ends before a `#` preceded by a blank and loses trailing blanks.
package enum DotEnvLine {
    /// Where an assignment's value sits on its line.
    package struct Assignment: Equatable, Sendable {
        /// The variable name.
        package let name: String
        /// Byte range of the value inside the quotes (or of the bare value) on the line.
        package let valueRange: Range<Int>
        /// `"`, `'` or nil for a bare value.
        package let quote: UInt8?
    }

    /// The assignment on `line` (without its terminator), or nil for blank, comment and other lines.
    package static func assignment(in line: UnsafeBufferPointer<UInt8>) -> Assignment? {
        var i = 0
        func skipBlanks() { while i < line.count, line[i] == 0x20 || line[i] == 0x09 { i += 1 } }
        skipBlanks()
        if line.count - i >= 7, line[i..<(i + 7)].elementsEqual("export ".utf8) {
            i += 7
            skipBlanks()
        }
        let nameStart = i
        while i < line.count, isNameByte(line[i]) { i += 1 }
        let nameEnd = i
        skipBlanks()
        guard nameEnd > nameStart, i < line.count, line[i] == UInt8(ascii: "=") else { return nil }
        let name = String(decoding: UnsafeBufferPointer(rebasing: line[nameStart..<nameEnd]), as: UTF8.self)
        i += 1
        skipBlanks()
        if i < line.count, line[i] == UInt8(ascii: "\"") || line[i] == UInt8(ascii: "'") {
            let quote = line[i]
            var end = i + 1
            while end < line.count, line[end] != quote {
                end += quote == UInt8(ascii: "\"") && line[end] == UInt8(ascii: "\\") ? 2 : 1
            }
            return Assignment(name: name, valueRange: (i + 1)..<min(end, line.count), quote: quote)
        }
        var end = i
        while end < line.count,
            !(line[end] == UInt8(ascii: "#") && end > i && (line[end - 1] == 0x20 || line[end - 1] == 0x09))
        {
            end += 1
        }
        while end > i, line[end - 1] == 0x20 || line[end - 1] == 0x09 || line[end - 1] == 0x0D { end -= 1 }
        return Assignment(name: name, valueRange: i..<end, quote: nil)
    }

    /// The value as dotenv reads it: double-quoted text with its escapes decoded, other text as is.
    package static func value(in line: UnsafeBufferPointer<UInt8>, _ assignment: Assignment) -> String {
        let raw = UnsafeBufferPointer(rebasing: line[assignment.valueRange])
        guard assignment.quote == UInt8(ascii: "\""), raw.contains(UInt8(ascii: "\\")) else {
            return String(decoding: raw, as: UTF8.self)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.count)
        var escaped = false
        for byte in raw {
            if escaped {
                switch byte {
                case UInt8(ascii: "n"): bytes.append(0x0A)
                case UInt8(ascii: "r"): bytes.append(0x0D)
                case UInt8(ascii: "t"): bytes.append(0x09)
                default: bytes.append(byte)
                }
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "_"), UInt8(ascii: "."):
            true
        default: false
        }
    }
}
