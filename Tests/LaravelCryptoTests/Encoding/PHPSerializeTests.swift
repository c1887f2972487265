import Foundation
import LaravelCryptoTestSupport
import Testing

@testable import LaravelCrypto

@Suite("PHP serialize")
struct PHPSerializeTests {
    func text(_ value: some Encodable) throws -> String {
        String(decoding: try PHPSerializer().serialize(value), as: UTF8.self)
    }

    func read<T: Decodable>(_ text: String, as type: T.Type = T.self) throws -> T {
        try PHPUnserializer().unserialize(type, from: Array(text.utf8))
    }

    struct Nested: Codable, Equatable {
        struct User: Codable, Equatable {
            let id: Int
            let tags: [String]
        }
        let user: User
        let ok: Bool
        let n: String?
        let f: Double

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(user, forKey: .user)
            try c.encode(ok, forKey: .ok)
            try c.encode(n, forKey: .n)  // PHP code expects the key with null
            try c.encode(f, forKey: .f)
        }
    }

    @Test func scalarsMatchPHP() throws {
        #expect(try text(true) == "b:1;")
        #expect(try text(false) == "b:0;")
        #expect(try text(0) == "i:0;")
        #expect(try text(-5) == "i:-5;")
        #expect(try text(Int64.max) == "i:9223372036854775807;")
        #expect(try text(Int64.min) == "i:-9223372036854775808;")
        #expect(try text("") == "s:0:\"\";")
        #expect(try text("héllo") == "s:6:\"héllo\";")
        #expect(try text("😀") == "s:4:\"😀\";")
        #expect(try text("a\"b;c") == "s:5:\"a\"b;c\";")
        #expect(try text(String?.none) == "N;")
        #expect(throws: PHPSerializationError.self) { try text(UInt64.max) }
        #expect(throws: PHPSerializationError.self) { try text(Date()) }
    }

    @Test func arraysMatchPHP() throws {
        #expect(try text([Int]()) == "a:0:{}")
        #expect(try text([1, 2]) == "a:2:{i:0;i:1;i:1;i:2;}")
        #expect(try text(["01": "b"]) == "a:1:{s:2:\"01\";s:1:\"b\";}")
        #expect(try text(["1": "a"]) == "a:1:{i:1;s:1:\"a\";}")
        #expect(try text(["clé": "v"]) == "a:1:{s:4:\"clé\";s:1:\"v\";}")
        let nested = Nested(user: .init(id: 1, tags: ["a", "b"]), ok: true, n: nil, f: 1.5)
        let expected =
            "a:4:{s:4:\"user\";a:2:{s:2:\"id\";i:1;s:4:\"tags\";a:2:{i:0;s:1:\"a\";i:1;s:1:\"b\";}}s:2:\"ok\";b:1;s:1:\"n\";N;s:1:\"f\";d:1.5;}"
        #expect(try text(nested) == expected)
        #expect(try read(expected, as: Nested.self) == nested)
    }

    @Test func floatsMatchPHP() throws {
        let table: [(Double, String)] = [
            (0.1, "0.1"), (1.0, "1"), (0.0, "0"), (-0.0, "-0"), (100.0, "100"), (0.1 + 0.2, "0.30000000000000004"),
            (1.0 / 3.0, "0.3333333333333333"), (1e15, "1000000000000000"), (1e16, "10000000000000000"),
            (2.5e16, "25000000000000000"), (1e17, "1.0E+17"), (1.2345678901234568e17, "1.2345678901234568E+17"),
            (Double(Int64.max), "9.223372036854776E+18"), (0.0001, "0.0001"), (9.99e-5, "9.99E-5"), (1e-5, "1.0E-5"),
            (-1e-10, "-1.0E-10"), (Double.leastNonzeroMagnitude, "5.0E-324"),
            (Double.greatestFiniteMagnitude, "1.7976931348623157E+308"),
            (2.2250738585072014e-308, "2.2250738585072014E-308"), (1e100, "1.0E+100"), (.infinity, "INF"),
            (-.infinity, "-INF"), (.nan, "NAN"),
        ]
        for (value, expected) in table {
            #expect(try text(value) == "d:\(expected);", "\(value)")
            if !value.isNaN { #expect(try read("d:\(expected);", as: Double.self) == value) }
        }
        #expect(try text(Float(0.1)) == "d:0.10000000149011612;")
    }

    @Test func readerAcceptsWhatPHPAccepts() throws {
        #expect(try read("i:+5;", as: Int.self) == 5)
        #expect(try read("i:-0;", as: Int.self) == 0)
        #expect(try read("i:007;", as: Int.self) == 7)
        for text in ["d:1.;", "d:.5;", "d:+1.5;", "d:1e3;", "d:1E5;", "d:-.5e-3;", "d:1.0E+100;", "d:3;"] {
            #expect((try? read(text, as: Double.self)) != nil, "\(text)")
        }
        #expect(try read("i:3;", as: Double.self) == 3)
        #expect(try read("d:0.10000000000000001;", as: Double.self) == 0.1)
        #expect(try read("a:1:{s:1:\"1\";s:1:\"x\";}", as: [Int: String].self) == [1: "x"])
        #expect(try read("a:2:{i:0;i:1;i:0;i:2;}", as: [Int: Int].self) == [0: 2])
        #expect(try read("a:0:{}", as: [String: Int].self) == [:])
        #expect(try read("a:0:{}", as: [Int].self) == [])
    }

    @Test func readerRejectsWithTypedErrors() {
        let rejected = [
            "b:2;", "i: 5;", "i:5", "i:9223372036854775808;", "d:-NAN;", "d:inf;", "d:0x10;", "s:5:\"héllo\";",
            "s:-1:\"\";", "a:2:{i:0;i:1;}", "a:1:{i:0;i:1;i:1;i:2;}", "a:-1:{}", "a:1:{d:1;i:1;}", "a:1:{ i:0;i:1;}",
            " i:1;", "s:2:\"ab\";junk", "N;N;", "i:1;\n", "O:8:\"stdClass\":0:{}", "C:1:\"S\":0:{}",
            "E:8:\"Pure:One\";",
            "a:1:{i:0;R:1;}", "S:3:\"\\61bc\";", "o:8:\"stdClass\":0:{}", "", "a:99999999999:{",
        ]
        for text in rejected {
            #expect(throws: PHPSerializationError.self, "\(text)") { try read(text, as: Int.self) }
        }
        #expect(throws: PHPSerializationError.trailingBytes(offset: 2)) { try read("N;N;", as: String?.self) }
        #expect(throws: PHPSerializationError.self) { try read("a:2:{i:0;i:1;i:2;i:2;}", as: [Int].self) }
        #expect(throws: PHPSerializationError.self) { try read("s:1:\"\u{FF}\";", as: String.self) }
        let deep = String(repeating: "a:1:{i:0;", count: 600) + "N;" + String(repeating: "}", count: 600)
        #expect(throws: PHPSerializationError.nestingTooDeep(limit: 512)) { try read(deep, as: [String?].self) }
    }

    @Test func randomInputNeverTraps() {
        var rng = SplitMix64(seed: 11)
        let pieces = ["a:", "i:", "s:", "d:", "b:", "N;", "{", "}", ";", ":", "\"", "1", "0", "-", "2", "E", "."]
        for _ in 0..<20_000 {
            let text = (0..<Int(rng.next() % 12)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            _ = try? read(text, as: [String: Int].self)
            _ = try? read(text, as: Double.self)
        }
    }
}
