import Foundation
import LaravelCryptoTestSupport
import Testing

/// The README's first example is the compiled `Snippets/Quickstart.swift`, line for line.
@Suite("README examples")
struct ReadmeSnippetTests {
    @Test func tenLinesAreTheCompiledQuickstart() throws {
        let readme = try String(contentsOf: Repository.root.appendingPathComponent("README.md"), encoding: .utf8)
        let snippet = try String(
            contentsOf: Repository.root.appendingPathComponent("Snippets/Quickstart.swift"), encoding: .utf8)
        let shown = try #require(Self.lines(of: snippet, between: "// snippet.show", and: "// snippet.end"))
        let section = try #require(readme.range(of: "## Ten lines"))
        let block = try #require(Self.lines(of: String(readme[section.upperBound...]), between: "```swift", and: "```"))
        #expect(block.filter { $0 != "import LaravelCrypto" && !$0.isEmpty } == shown)
        #expect(!block.contains { $0.contains(")!") }, "no force unwrap in the README's example")
    }

    /// The lines strictly between the first `start` line and the next `end` line, right-trimmed.
    static func lines(of text: String, between start: String, and end: String) -> [String]? {
        let all = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            String($0.reversed().drop { $0 == " " }.reversed())
        }
        guard let first = all.firstIndex(of: start), let last = all[(first + 1)...].firstIndex(of: end) else {
            return nil
        }
        return Array(all[(first + 1)..<last])
    }
}
