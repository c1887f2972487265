import LaravelCrypto

/// A `.env` file as lines of bytes that can be edited one variable at a time while every other
/// byte (comments, blank lines, other variables, line endings, quoting) stays exactly as it was.
package struct EnvDocument: Equatable {
    /// One physical line: its content and its terminator (`"\n"`, `"\r\n"` or none at the end).
    struct Line: Equatable {
        var content: [UInt8]
        var terminator: [UInt8]
    }

    /// Where an assignment's value sits on its line (the core's one `.env` grammar).
    typealias Assignment = DotEnvLine.Assignment

    private(set) var lines: [Line]

    /// Splits `bytes` into lines without losing a byte.
    package init(bytes: [UInt8]) {
        var lines: [Line] = []
        var start = 0
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            var end = index
            if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            lines.append(Line(content: Array(bytes[start..<end]), terminator: Array(bytes[end...index])))
            start = index + 1
        }
        if start < bytes.count { lines.append(Line(content: Array(bytes[start...]), terminator: [])) }
        self.lines = lines
    }

    /// The document's bytes.
    package var bytes: [UInt8] { lines.flatMap { $0.content + $0.terminator } }

    /// The value of `name` as dotenv reads it (the last definition wins), with its 1-based line number.
    package func value(of name: String) -> (value: String, line: Int)? {
        for (index, line) in lines.enumerated().reversed() {
            if let assignment = Self.assignment(in: line.content), assignment.name == name {
                return (Self.decodedValue(line.content, assignment), index + 1)
            }
        }
        return nil
    }

    /// Sets every definition of `name` to `value` (keeping `export`, spacing, quotes and a trailing
    /// comment). When there is none, adds `name=value` after the last definition of `neighbour`,
    /// or at the end. Returns whether a line was added.
    @discardableResult
    package mutating func set(_ name: String, to value: String, after neighbour: String? = nil) -> Bool {
        var found = false
        for index in lines.indices {
            guard let assignment = Self.assignment(in: lines[index].content), assignment.name == name else { continue }
            lines[index].content.replaceSubrange(assignment.valueRange, with: Array(value.utf8))
            found = true
        }
        if !found {
            let newline = lines.first(where: { !$0.terminator.isEmpty })?.terminator ?? Array("\n".utf8)
            let line = Line(content: Array("\(name)=\(value)".utf8), terminator: newline)
            if let neighbour, let index = lines.lastIndex(where: { Self.assignment(in: $0.content)?.name == neighbour })
            {
                if lines[index].terminator.isEmpty { lines[index].terminator = newline }
                lines.insert(line, at: index + 1)
            } else {
                if let last = lines.indices.last, lines[last].terminator.isEmpty { lines[last].terminator = newline }
                lines.append(line)
            }
        }
        return !found
    }

    /// The assignment on a line, or nil for blank, comment and other lines.
    static func assignment(in content: [UInt8]) -> Assignment? {
        content.withUnsafeBufferPointer { DotEnvLine.assignment(in: $0) }
    }

    private static func decodedValue(_ content: [UInt8], _ assignment: Assignment) -> String {
        content.withUnsafeBufferPointer { DotEnvLine.value(in: $0, assignment) }
    }
}
