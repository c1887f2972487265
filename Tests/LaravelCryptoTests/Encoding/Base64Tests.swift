import Foundation
import LaravelCryptoTestSupport
import Testing

@testable import LaravelCrypto

@Suite("Base64 codec")
struct Base64Tests {
    func decode(_ text: String, _ mode: Base64.DecodingMode) -> [UInt8]? { try? Base64.decode(text, mode: mode) }

    @Test func encodingMatchesFoundationForEveryLengthUpTo300() {
        var rng = SplitMix64(seed: 7)
        for length in 0...300 {
            let bytes = rng.bytes(length)
            let standard = Data(bytes).base64EncodedString()
            #expect(bytes.withUnsafeBytes { Base64.encode($0, alphabet: .standard, padded: true) } == standard)
            let url = standard.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
            #expect(bytes.withUnsafeBytes { Base64.encode($0, alphabet: .url, padded: false) } == url)
            #expect(decode(standard, .phpStrict) == bytes)
            #expect(decode(url, .sodiumURLNoPadding) == bytes)
            #expect(decode(url, .phpStrictEitherAlphabet) == bytes)
            #expect(decode(standard, .phpForgiving) == bytes)
        }
    }

    @Test func phpStrictRules() {
        #expect(decode("YQ", .phpStrict) == [0x61])
        #expect(decode("YQ==", .phpStrict) == [0x61])
        #expect(decode("YQ=", .phpStrict) == nil)
        #expect(decode("YQ===", .phpStrict) == nil)
        #expect(decode("YR==", .phpStrict) == [0x61], "non-zero trailing bits are accepted")
        #expect(decode("Y", .phpStrict) == nil, "a lone final character")
        #expect(decode("YQ==YQ==", .phpStrict) == nil, "data after padding")
        #expect(decode(" Y\tQ\r\n", .phpStrict) == [0x61])
        #expect(decode("Y\u{0B}Q", .phpStrict) == nil, "vertical tab is not skipped")
        #expect(decode("-_", .phpStrict) == nil)
        #expect(decode("", .phpStrict) == [])
    }

    @Test func laravelCryptoURLDecodeTakesBothAlphabetsMixed() {
        #expect(decode("-_+/", .phpStrictEitherAlphabet) == [0xFB, 0xFF, 0xBF])
        #expect(decode("YQ==", .phpStrictEitherAlphabet) == [0x61])
        #expect(decode("YQ*", .phpStrictEitherAlphabet) == nil)
    }

    @Test func phpForgivingSkipsEverythingForeign() {
        #expect(decode("*Y-Q_=", .phpForgiving) == [0x61])
        #expect(decode("YQ=YQ", .phpForgiving) == [0x61, 0x06, 0x10], "padding is skipped, data after it kept")
        #expect(decode("YQA", .phpForgiving) == [0x61, 0x00])
    }

    @Test func sodiumRulesAreCanonical() {
        #expect(decode("YQ", .sodiumURLNoPadding) == [0x61])
        #expect(decode("YR", .sodiumURLNoPadding) == nil)
        #expect(decode("YQ==", .sodiumURLNoPadding) == nil)
        #expect(decode("Y Q", .sodiumURLNoPadding) == nil)
        #expect(decode("+/", .sodiumURLNoPadding) == nil)
    }

    @Test func randomInputNeverTraps() {
        var rng = SplitMix64(seed: 42)
        let alphabet = Array("ABCxyz019+/-_= \n*".utf8)
        for round in 0..<20_000 {
            let length = Int(rng.next() % 40)
            let bytes: [UInt8] =
                round % 2 == 0
                ? rng.bytes(length) : (0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            for mode in [Base64.DecodingMode.phpStrict, .phpStrictEitherAlphabet, .phpForgiving, .sodiumURLNoPadding] {
                if let decoded = try? bytes.withUnsafeBytes({ try Base64.decode($0, mode: mode) }) {
                    #expect(decoded.count <= length)
                }
            }
        }
    }
}

@Suite("UTF-8 validation")
struct UTF8ValidationTests {
    @Test func agreesWithTheStandardLibrary() {
        var rng = SplitMix64(seed: 3)
        let samples: [[UInt8]] = [
            Array("héllo wörld 😀 ✓".utf8), [0xED, 0xA0, 0x80], [0xC0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82],
            [0xF0, 0x9F, 0x98, 0x80], Array(repeating: 0x41, count: 17) + [0x80],
        ]
        for bytes in samples + (0..<5000).map({ _ in rng.bytes(Int(rng.next() % 12)) }) {
            let expected = String(validating: bytes, as: UTF8.self) != nil
            #expect(bytes.withUnsafeBytes { UTF8Validation.isValid($0) } == expected, "\(bytes)")
        }
    }
}
