import Foundation
import LaravelCrypto
import Testing

@testable import CryptoKeysCore

@Suite("Editing .env text")
struct EnvDocumentTests {
    @Test func anyBytesRoundTripAndEditsTouchOnlyTheirLines() {
        var state: UInt64 = 0x5EED
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let pieces: [String] = [
            "APP_KEY", "=", "\"", "'", "#", " ", "\t", "\n", "\r\n", "export ", "x", "base64:AA==", "\\", "é",
            "APP_PREVIOUS_KEYS", "OTHER",
        ]
        for _ in 0..<3_000 {
            let text = (0..<Int(next() % 40)).map { _ in pieces[Int(next() % UInt64(pieces.count))] }.joined()
            let bytes = Array(text.utf8)
            var document = EnvDocument(bytes: bytes)
            #expect(document.bytes == bytes, "splitting and joining loses nothing")
            let before = document.lines
            document.set("APP_KEY", to: "base64:NEW=")
            #expect(document.value(of: "APP_KEY")?.value == "base64:NEW=")
            // Lines that were not APP_KEY assignments are unchanged, in order.
            let untouched = before.filter { EnvDocument.assignment(in: $0.content)?.name != "APP_KEY" }
            let after = document.lines.filter { EnvDocument.assignment(in: $0.content)?.name != "APP_KEY" }
            #expect(after.map(\.content) == untouched.map(\.content))
        }
    }

    @Test func quotedBareAndCommentedValues() {
        var document = EnvDocument(bytes: Array("A=1 # one\nexport B=\"two\" # two\nC='three'\n#D=4\n".utf8))
        #expect(document.value(of: "A")?.value == "1" && document.value(of: "B")?.value == "two")
        #expect(document.value(of: "C")?.value == "three" && document.value(of: "D") == nil)
        document.set("A", to: "x")
        document.set("B", to: "y")
        document.set("C", to: "z")
        document.set("D", to: "w", after: "A")
        #expect(
            String(decoding: document.bytes, as: UTF8.self) == "A=x # one\nD=w\nexport B=\"y\" # two\nC='z'\n#D=4\n")
    }
}
