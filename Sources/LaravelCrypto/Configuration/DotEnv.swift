/// Reads `.env` text the way Laravel's dotenv does, for the values this package needs.
///
/// Supported: `KEY=value` (names of `A-Z a-z 0-9 _ .`), an optional `export ` prefix, `#`
/// comment lines, unquoted values (trimmed, ending before a `#` that follows a blank),
/// single-quoted values (literal), double-quoted values (with `\"`, `\\`, `\n`, `\r`, `\t`
/// escapes). Variable interpolation (`${OTHER}`) is not expanded. Lines end at `\n` or `\r\n`.
/// One linear pass over the bytes (the grammar is ``DotEnvLine``'s, shared with `crypto-keys`).
public enum DotEnv {
    /// The variables in `contents`; a later definition of a name wins.
    public static func parse(_ contents: String) -> [String: String] {
        var values: [String: String] = [:]
        var contents = contents
        contents.withUTF8 { bytes in
            var start = 0
            while start <= bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
                let line = UnsafeBufferPointer(rebasing: bytes[start..<end])
                if let assignment = DotEnvLine.assignment(in: line) {
                    values[assignment.name] = DotEnvLine.value(in: line, assignment)
                }
                start = end + 1
            }
        }
        return values
    }
}
