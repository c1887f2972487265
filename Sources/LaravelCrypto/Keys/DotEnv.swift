/// Reads `.env` text the way Laravel's dotenv does, for the values this package needs.
///
/// Supported: `KEY=value`, an optional `export ` prefix, `#` comment lines, unquoted values
/// (trimmed, ending at ` #`), single-quoted values (literal), double-quoted values (with `\"`,
/// `\\`, `\n`, `\r`, `\t` escapes). Variable interpolation (`${OTHER}`) is not expanded.
public enum DotEnv {
    /// The variables in `contents`; a later definition of a name wins.
    public static func parse(_ contents: String) -> [String: String] {
        var values: [String: String] = [:]
        for line in contents.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            if let (name, value) = parseLine(Substring(line)) { values[name] = value }
        }
        return values
    }

    /// The name and value defined on one line, or `nil` for blank, comment and malformed lines.
    static func parseLine(_ line: Substring) -> (String, String)? {
        var rest = line.drop(while: { $0 == " " || $0 == "\t" })
        if rest.hasPrefix("#") || rest.isEmpty { return nil }
        if rest.hasPrefix("export ") { rest = rest.dropFirst(7).drop(while: { $0 == " " }) }
        guard let equals = rest.firstIndex(of: "=") else { return nil }
        let name = rest[..<equals].trimmingCharacters(in: " \t")
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }) else { return nil }
        let raw = rest[rest.index(after: equals)...].drop(while: { $0 == " " || $0 == "\t" })
        return (name, value(of: raw))
    }

    private static func value(of raw: Substring) -> String {
        if raw.first == "'" {
            let body = raw.dropFirst()
            return String(body[..<(body.firstIndex(of: "'") ?? body.endIndex)])
        }
        if raw.first == "\"" {
            var result = ""
            var escaped = false
            for c in raw.dropFirst() {
                if escaped {
                    switch c {
                    case "n": result.append("\n")
                    case "r": result.append("\r")
                    case "t": result.append("\t")
                    default: result.append(c)
                    }
                    escaped = false
                } else if c == "\\" {
                    escaped = true
                } else if c == "\"" {
                    break
                } else {
                    result.append(c)
                }
            }
            return result
        }
        var text = raw
        if let comment = text.range(of: " #") { text = text[..<comment.lowerBound] }
        return text.trimmingCharacters(in: " \t\r")
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        let chars = Set(set)
        let start = firstIndex(where: { !chars.contains($0) }) ?? endIndex
        let end = lastIndex(where: { !chars.contains($0) }).map(index(after:)) ?? start
        return start < end ? String(self[start..<end]) : ""
    }

    func range(of needle: String) -> Range<Index>? {
        var index = startIndex
        while index < endIndex {
            if self[index...].hasPrefix(needle) {
                return index..<(self.index(index, offsetBy: needle.count))
            }
            index = self.index(after: index)
        }
        return nil
    }
}
