import LaravelCryptoTestSupport
import Testing

@testable import LaravelCrypto

/// PHP's `json_encode` / `json_decode($json, true)` for Codable values. The PHP interop suite
/// checks the same bytes against PHP itself.
@Suite("PHP JSON")
struct PHPJSONTests {
    func json(_ value: some Encodable, escapesUnicode: Bool = true) throws -> String {
        String(decoding: try PHPJSONEncoder(escapesUnicode: escapesUnicode).encode(value), as: UTF8.self)
    }

    struct Empty: Codable {}
    struct Row: Codable, Equatable {
        let id: Int
        let name: String?
        let score: Double
        let tags: [String]
    }

    @Test("scalars, strings and escapes as PHP writes them")
    func encoding() throws {
        #expect(try json(1) == "1")
        #expect(try json(-0.0) == "-0")
        #expect(try json(1.0) == "1")
        #expect(try json(0.1) == "0.1")
        #expect(try json(1e25) == "1.0e+25")
        #expect(try json(true) == "true")
        #expect(try json(String?.none) == "null")
        #expect(
            try json("a/b\"c\\d\u{08}\u{0C}\n\r\t\u{01}\u{1F}\u{7F}") == #""a\/b\"c\\d\b\f\n\r\t\u0001\u001f\#u{7F}""#)
        #expect(try json("ü😀\u{2028}") == #""\u00fc\ud83d\ude00\u2028""#)
        #expect(try json("ü😀\u{2028}", escapesUnicode: false) == "\"ü😀\\u2028\"")
        #expect(try json([1, 2]) == "[1,2]")
        #expect(try json([String]()) == "[]")
        #expect(try json(Empty()) == "[]")
        #expect(try json(["7": "a"]) == #"{"7":"a"}"#)
        // Synthesized Codable leaves a nil optional out, as JSONEncoder does.
        #expect(try json(Row(id: 1, name: nil, score: 2.5, tags: ["x"])) == #"{"id":1,"score":2.5,"tags":["x"]}"#)
        #expect(
            try json(Row(id: 1, name: "n", score: 2.5, tags: ["x"])) == #"{"id":1,"name":"n","score":2.5,"tags":["x"]}"#
        )
        #expect(throws: PHPJSONError.self) { try json(Double.nan) }
        #expect(throws: PHPJSONError.self) { try json(Double.infinity) }
    }

    @Test("decoding as json_decode(…, true)")
    func decoding() throws {
        let decoder = PHPJSONDecoder()
        func decode<T: Decodable>(_ text: String, as type: T.Type) throws -> T {
            try decoder.decode(type, from: Array(text.utf8))
        }
        #expect(
            try decode(#" {"id":1,"name":null,"score":2,"tags":["x","\u00fc\ud83d\ude00\/"]} "#, as: Row.self)
                == Row(id: 1, name: nil, score: 2, tags: ["x", "ü😀/"]))
        #expect(try decode("[1,2,3]", as: [Int].self) == [1, 2, 3])
        #expect(try decode(#"{"a":1,"a":2}"#, as: [String: Int].self) == ["a": 2])
        #expect(try decode("1e2", as: Double.self) == 100)
        #expect(try decode("-0", as: Int.self) == 0)
        #expect(try decode("99999999999999999999", as: Double.self) == 1e20)
        for bad in [
            "", " ", "[1,]", "{\"a\"}", "[1 2]", "01", "1.", ".5", "+1", "\"\\u+030\"", "\"\\u12\"", "\"\\ud800\"",
            "\"\\udc00\"", "\"\\x\"", "\"a\nb\"", "nul", "[", "{", "\"abc", "1 1", "[1]]", "{\"a\":1,}", "'a'",
        ] {
            #expect(throws: PHPJSONError.self, "\(bad)") { try decode(bad, as: [String]?.self) }
        }
        #expect(throws: PHPJSONError.self) { try decoder.decode(String.self, from: [0x22, 0xFF, 0x22]) }
    }

    @Test("nesting: 512 levels read, 513 refused, 100 000 refused without recursion")
    func depth() throws {
        let decoder = PHPJSONDecoder()
        struct Ignored: Decodable { init(from decoder: any Decoder) throws {} }
        let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        _ = try decoder.decode(Ignored.self, from: Array(ok.utf8))
        let tooDeep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        #expect(throws: PHPJSONError.nestingTooDeep(limit: 512)) {
            try decoder.decode(Ignored.self, from: Array(tooDeep.utf8))
        }
        let hostile = String(repeating: "[", count: 100_000)
        #expect(throws: PHPJSONError.nestingTooDeep(limit: 512)) {
            try decoder.decode(Ignored.self, from: Array(hostile.utf8))
        }
    }

    @Test("no crash on 20 000 random and mutated texts")
    func fuzz() {
        var rng = SplitMix64(seed: 0x150)
        let seeds = [
            #"{"id":1,"name":"a\u00fc","score":0.5,"tags":["x","y"]}"#, "[1,[2,[3,{}]],null,true,false,-1.5e3]",
        ]
        let alphabet = Array(#"{}[],:"\/u0123456789abcdefntrlse.-+E \#u{0}"#.utf8) + [0xC3, 0xBC, 0xFF]
        for round in 0..<20_000 {
            var bytes = Array(seeds[round % 2].utf8)
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                let position = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 3 {
                case 0: bytes[position] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
                case 1: bytes.remove(at: position)
                default: bytes.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: position)
                }
                if bytes.isEmpty { bytes = [0x20] }
            }
            _ = try? PHPJSONDecoder().decode(Row.self, from: bytes)
        }
    }
}
