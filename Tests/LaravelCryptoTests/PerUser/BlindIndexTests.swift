import Testing

@testable import LaravelCrypto

/// Blind-index normalisation as PHP ≥ 8.3 computes `mb_strtolower(trim(value))`, and the index's
/// keying rules. The PHP interop suite checks the same cases against PHP 8.2's own mbstring.
@Suite("Blind indexes")
struct BlindIndexTests {
    static let key = (0..<32).map { UInt8(0x80 + $0) }

    func normalised(_ text: String) -> String {
        String(decoding: BlindIndexNormalisation.normalised(text), as: UTF8.self)
    }

    @Test("trim strips exactly space, tab, LF, CR, NUL and vertical tab")
    func trim() {
        #expect(normalised(" \t\n\r\0\u{0B}abc \t\n\r\0\u{0B}") == "abc")
        #expect(normalised("\u{00A0}abc\u{00A0}") == "\u{00A0}abc\u{00A0}")  // NBSP is kept
        #expect(normalised("\u{0C}abc") == "\u{0C}abc")  // form feed is not in trim's default list
        #expect(normalised("   ") == "")
        #expect(normalised("") == "")
    }

    @Test("full Unicode lower-casing, PHP ≥ 8.3")
    func lowerCasing() {
        #expect(normalised("  ÄBC  ") == "äbc")
        #expect(normalised("STRASSE") == "strasse")
        #expect(normalised("straße") == "straße")
        #expect(normalised("STRAẞE") == "straße")  // U+1E9E capital sharp s → ß
        #expect(normalised("İstanbul") == "i\u{0307}stanbul")  // İ → i + combining dot above
        #expect(normalised("ΣΟΦΟΣ") == "σοφος")  // final sigma (PHP 8.3+)
        #expect(normalised("ΣΑΣ ΣΑΣ.") == "σας σας.")
        #expect(normalised("Σ") == "σ")  // no cased letter before: not final
        #expect(normalised("AΣ'Σ") == "aσ'ς")  // apostrophe is case-ignorable
        #expect(normalised("👩‍👩‍👧 FAMILY") == "👩‍👩‍👧 family")
        #expect(normalised("A\u{0301}") == "a\u{0301}")  // NFD stays NFD
    }

    @Test("NFD input gives another index than NFC; empty and whitespace-only agree once trimmed")
    func indexes() throws {
        let index = BlindIndex(userKey: try UserKey(bytes: Self.key))
        let nfc = try index.compute("Ä", column: "name")
        let nfd = try index.compute("A\u{0308}", column: "name")
        #expect(nfc != nfd)
        #expect(try index.compute("   ", column: "name") == index.compute("", column: "name"))
        #expect(
            try index.compute("   ", column: "name", normalise: false)
                != index.compute("", column: "name", normalise: false))
        #expect(try index.compute("STRASSE", column: "street") == index.compute("strasse", column: "street"))
        #expect(try index.compute("STRAẞE", column: "street") == index.compute("straße", column: "street"))
    }

    @Test("the column is part of the key; the context is appended with an unescaped '|'")
    func columnsAndContext() throws {
        let index = BlindIndex(userKey: try UserKey(bytes: Self.key))
        #expect(try index.compute("a", column: "email") != index.compute("a", column: "email2"))
        #expect(try index.compute("a", column: "") != index.compute("a", column: "x"))
        let longColumn = String(repeating: "column_", count: 200)
        #expect(try index.compute("a", column: longColumn).count == 32)
        // Upstream's joiner is not escaped: "a|b" with no context equals "a" with context ["b"].
        #expect(try index.compute("a|b", column: "c") == index.compute("a", column: "c", context: ["b"]))
        #expect(
            try index.compute("a", column: "c", context: ["b|c"])
                == index.compute("a", column: "c", context: ["b", "c"]))
        // The context is not normalised.
        #expect(try index.compute("a", column: "c", context: ["B"]) != index.compute("a", column: "c", context: ["b"]))
    }

    @Test("verify: constant-time match, false for any other size")
    func verify() throws {
        let index = BlindIndex(userKey: try UserKey(bytes: Self.key))
        let stored = try index.compute("x@y.z", column: "email")
        #expect(index.verify(stored, value: " X@Y.Z ", column: "email"))
        #expect(!index.verify(stored, value: "x@y.z", column: "email2"))
        #expect(!index.verify(Array(stored.dropLast()), value: "x@y.z", column: "email"))
        #expect(!index.verify(stored + [0], value: "x@y.z", column: "email"))
        #expect(!index.verify([], value: "x@y.z", column: "email"))
    }

    @Test("global indexes need a 32-byte APP_KEY, parsed as AppKeyLoader does")
    func globalKeys() {
        #expect(throws: KeyError.invalidLength(for: .globalBlindIndex, expected: 32, actual: 16)) {
            try BlindIndex(appKey: "base64:AAECAwQFBgcICQoLDA0ODw==")
        }
        #expect(throws: KeyError.invalidLength(for: .globalBlindIndex, expected: 32, actual: 80)) {
            try BlindIndex(appKey: "base64:" + String(repeating: "A", count: 107) + "=")
        }
        #expect(throws: KeyError.self) { try BlindIndex(appKey: "not hex") }
        #expect(throws: KeyError.missing(variable: "APP_KEY")) { try BlindIndex(appKey: "") }
    }
}
