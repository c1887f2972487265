import Foundation
import LaravelCrypto
import LaravelCryptoTestSupport
import Testing

/// ``CookieHeader`` against PHP's own `Cookie` parsing: each header goes to PHP's built-in web
/// server (`Fixtures/php/cookie-header.php`), which answers with its `$_COOKIE`, flattened as
/// `EncryptCookies` names array elements. Headers are random mixes of the characters PHP's rules
/// care about (`.`, space, `[`, `]`, `=`, `;`, `%`, integer keys, `__Host-` look-alikes).
@Suite("Cookie header against PHP")
struct CookieHeaderInteropTests {
    static let script = Repository.root.appendingPathComponent("Fixtures/php/cookie-header.php").path

    static let nameParts = [
        "a", "b", "id", "_", ".", " ", "[", "]", "[]", "[x]", "[0]", "[1]", "[-3]", "[01]", "[-0]", "[ k.e y]",
        "__Host-",
        "__Secure-", "_.Host-", "..Secure-", "_[Host-", " .Host-", "Host-", "%5F", "%20", "-", "7", "=",
        "[9223372036854775807]", "é",
    ]
    static let valueParts = ["", "v", "%41", "%2", "+", "%20", "a%zz", "=", "\"q\"", ",", "é", "%C3%A9", "%FF", " "]
    static let separators = [";", "; ", ";;", " ; ", ";\t", "; ;"]

    static func randomHeaders() -> [String] {
        var random = SplitMix64(seed: 0x636f_6f6b_6965)
        func pick(_ parts: [String], _ count: ClosedRange<Int>) -> String {
            (0..<Int.random(in: count, using: &random)).map { _ in parts.randomElement(using: &random)! }.joined()
        }
        let generated = (0..<1500).map { _ in
            (0..<Int.random(in: 1...6, using: &random)).map { _ in
                let name = pick(nameParts, 1...4)
                return Bool.random(using: &random) || name.isEmpty ? name + "=" + pick(valueParts, 0...3) : name
            }.joined(separator: separators.randomElement(using: &random)!)
        }
        let deep = { (levels: Int) in "d" + String(repeating: "[x]", count: levels) + "=1" }
        let fixed = [
            "a=1; a=2", "a[x]=1; a[x]=2", "cart=2; cart[id]=1", "cart[id]=1; cart=2", "a[b]=1; a[b][c]=2",
            "a[b][c]=2; a[b]=1", "a[5]=x; a[]=y", "a[-3]=x; a[]=y", "a[9223372036854775807]=x; a[]=y; a[]=z",
            "a[9223372036854775806]=x; a[][q]=y; a[][r]=z", "a[b][c=1", "a[][c=1", "a[b]x[c]=1", "a[b.c=1",
            "..Host-x=1; _.Host-y=2; __Host-z=3; _[Secure-w=4", "  \t a=1;=v; ;b", "%61=1; a%2Eb=2",
            "z=0; d=5; " + deep(65) + "; y=2", deep(64) + "; " + deep(65), "x=1; " + deep(63),
            (1...1005).map { "c\($0)=\($0)" }.joined(separator: "; "),
        ]
        return fixed + generated
    }

    @Test func randomHeadersReadAsPHPReadsThem() throws {
        guard peerIsUsable(.php, requirement: "PHP") else { return }
        let headers = Self.randomHeaders()
        let result = try ProcessRunner.run(
            command: "php", [Self.script], input: try JSONSerialization.data(withJSONObject: headers))
        let answers = try #require(
            try JSONSerialization.jsonObject(with: result.output) as? [[[String]]],
            "cookie-header.php failed: \(String(decoding: result.errors, as: UTF8.self))")
        try #require(answers.count == headers.count)
        var arrays = 0
        var undecodable = 0
        for (header, answer) in zip(headers, answers) {
            let cookies = CookieHeader.cookies(in: [header])
            let names = cookies.map { Array($0.name.utf8).hex }
            #expect(names == answer.map { $0[0] }, "names of \(header.debugDescription)")
            guard names == answer.map({ $0[0] }) else { continue }
            for (cookie, php) in zip(cookies, answer) {
                if cookie.name != cookie.baseName {
                    arrays += 1
                    #expect(cookie.name.hasPrefix(cookie.baseName + "["))
                }
                let phpValue = [UInt8](hex: php[1])
                if let value = cookie.value {
                    #expect(Array(value.utf8) == phpValue, "\(cookie.name) in \(header.debugDescription)")
                } else {
                    undecodable += 1
                    #expect(String(validating: phpValue, as: UTF8.self) == nil, "\(cookie.name) is UTF-8 in PHP")
                }
            }
        }
        // The headers reach array cookies and values that are not UTF-8.
        #expect(arrays > 100 && undecodable > 10)
    }
}
