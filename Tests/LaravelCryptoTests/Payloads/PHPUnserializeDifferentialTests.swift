import Foundation
import LaravelCryptoTestSupport
import Testing

@testable import LaravelCrypto

/// Our PHP `unserialize` reader against PHP's own, on the same texts: seeds of every form the
/// spec lists and thousands of mutations of them. They must agree on accept or refuse, and on
/// the value read, except where this package is documented to be stricter (`PHPParser`'s doc
/// comment, SECURITY.md): objects, enums, references and the legacy `S:` form are not read,
/// bytes after the value are refused (PHP ignores them), integers outside Int64 are refused (PHP
/// clamps them to a float), and nesting stops at 512 levels (PHP's default is 4096).
@Suite("PHP unserialize differential")
struct PHPUnserializeDifferentialTests {
    static let seeds: [String] = [
        #"a:4:{i:0;N;s:1:"k";b:1;i:7;i:-42;s:2:"é";d:0.1;}"#,
        #"a:2:{s:1:"1";s:1:"x";i:1;s:1:"y";}"#,
        #"a:3:{i:0;d:1.5E+25;i:1;d:-0;i:2;d:INF;}"#,
        #"a:1:{s:0:"";a:2:{i:0;a:0:{}i:1;s:6:"a\"b;c";}}"#,
        "i:+5;", "i:007;", "i:-0;", "d:1.;", "d:.5e3;", "d:1e400;", "d:NAN;", "d:-INF;", "b:0;", "b:1;", "N;",
        "i:9223372036854775807;", "i:-9223372036854775808;", "i:9223372036854775808;",
        #"s:6:"héllo";"#, #"s:2:"ab";junk"#, #"O:8:"stdClass":1:{s:1:"a";i:1;}"#, #"a:1:{i:0;R:1;}"#,
        #"S:3:"\61bc";"#, "a:2:{i:0;i:1;i:0;i:2;}", #"a:1:{s:2:"01";i:1;}"#, #"a:1:{s:2:"-1";i:1;}"#,
    ]
    static let alphabet = Array(#"aisdbNORSE:;{}"0123456789+-.eE"#.utf8) + [0x00, 0x0A, 0x20, 0xC3, 0xA9, 0xFF]

    /// What PHP's canonical text (Fixtures/php/unserialize-reads.php) says for `value`.
    static func canonical(_ value: PHPValue) -> String {
        switch value {
        case .null: return "N"
        case .bool(let b): return b ? "b1" : "b0"
        case .int(let i): return "i\(i)"
        case .double(let d):
            let hex = String(d.bitPattern, radix: 16)
            return "d" + String(repeating: "0", count: 16 - hex.count) + hex
        case .string(let bytes): return "s" + Data(bytes).base64EncodedString()
        case .array(let entries):
            let inside = entries.map { entry -> String in
                let key: String
                switch entry.key {
                case .int(let i): key = "i\(i)"
                case .string(let bytes): key = "s" + Data(bytes).base64EncodedString()
                }
                return key + "=" + canonical(entry.value)
            }
            return "a\(entries.count){" + inside.joined() + "}"
        }
    }

    /// Ours: the canonical text, or the error.
    static func ours(_ text: [UInt8]) -> Result<String, PHPSerializationError> {
        text.withUnsafeBytes { raw in
            Result { () throws(PHPSerializationError) in
                canonical(try PHPParser.parse(raw, maximumDepth: PHPUnserializer.maximumDepth))
            }
        }
    }

    /// Whether our refusal of `text`, which PHP read as `php`, is one of the documented ones.
    static func documentedRefusal(_ error: PHPSerializationError, text: [UInt8], php: String) -> Bool {
        switch error {
        case .unsupported, .nestingTooDeep:
            return true
        case .trailingBytes(let offset):
            // PHP read the value that ends where we stopped: it must be the same value.
            return (try? ours(Array(text[0..<offset])).get()) == php
        case .malformed(_, let reason):
            // An integer outside Int64, which PHP clamps.
            return reason == "integer out of range"
        default:
            return false
        }
    }

    @Test func ourReaderAgreesWithPHPs() throws {
        guard peerIsUsable(Peer.php, requirement: "PHP") else { return }
        var rng = SplitMix64(seed: 0x5E21_A112E)
        var texts = Self.seeds.map { Array($0.utf8) }
        for _ in 0..<4_000 {
            texts.append(
                rng.mutated(Array((Self.seeds.randomElement(using: &rng) ?? "N;").utf8), alphabet: Self.alphabet))
        }
        let request = try JSONSerialization.data(withJSONObject: texts.map { Data($0).base64EncodedString() })
        let script = Repository.root.appendingPathComponent("Fixtures/php/unserialize-reads.php").path
        let answer = try ProcessRunner.run(command: "php", [script], input: request)
        #expect(answer.status == 0, "\(String(decoding: answer.errors, as: UTF8.self))")
        let php = try #require(
            try JSONSerialization.jsonObject(with: answer.output, options: .fragmentsAllowed) as? [Any])
        #expect(php.count == texts.count)
        var disagreements: [String] = [], documented = 0, bothAccept = 0, bothRefuse = 0
        for (text, phpAnswer) in zip(texts, php) {
            let phpValue = phpAnswer as? String
            let shown = String(decoding: text.prefix(100), as: UTF8.self)
            switch (Self.ours(text), phpValue) {
            case (.success(let mine), .some(let theirs)):
                if mine == theirs {
                    bothAccept += 1
                } else {
                    disagreements.append("read differently: \(shown) — ours \(mine), PHP \(theirs)")
                }
            case (.success(let mine), .none):
                disagreements.append("PHP refuses, we read \(mine): \(shown)")
            case (.failure(let error), .some(let theirs)):
                if Self.documentedRefusal(error, text: text, php: theirs) {
                    documented += 1
                } else {
                    disagreements.append("PHP reads \(theirs), we refuse (\(error)): \(shown)")
                }
            case (.failure, .none):
                bothRefuse += 1
            }
        }
        print(
            "PHP unserialize differential: \(texts.count) texts, \(bothAccept) read alike, \(bothRefuse) refused by "
                + "both, \(documented) refused only by us as documented"
        )
        #expect(
            disagreements.isEmpty, "\(disagreements.count) of \(texts.count) differ; first: \(disagreements.prefix(6))")
        #expect(bothAccept > 200 && bothRefuse > 300 && documented > 20, "every outcome is exercised")
    }
}
