import Foundation
import LaravelCryptoTestSupport
import Testing

@testable import LaravelCrypto

/// The vectorised blocks (AVX2 where available) must give exactly what the portable loops give,
/// for every mode, on valid text and on text with a foreign character anywhere.
@Suite("Vectorised base64 agrees with the portable codec")
struct VectorBase64Tests {
    static let modes: [Base64.DecodingMode] = [
        .phpStrict, .phpStrictEitherAlphabet, .phpForgiving, .sodiumURLNoPadding,
    ]

    func encode(_ bytes: [UInt8], _ alphabet: Base64.Alphabet, padded: Bool, vectorized: Bool) -> [UInt8] {
        let count = Base64.encodedCount(of: bytes.count, padded: padded)
        var out = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeBytes { input in
            out.withUnsafeMutableBytes {
                Base64.encode(input, alphabet: alphabet, padded: padded, into: $0, vectorized: vectorized)
            }
        }
        return out
    }

    func decode(_ text: [UInt8], _ mode: Base64.DecodingMode, vectorized: Bool) -> Result<
        [UInt8], Base64.DecodingFailure
    > {
        var out = [UInt8](repeating: 0, count: Base64.decodingCapacity(for: text.count))
        let result = text.withUnsafeBytes { input in
            out.withUnsafeMutableBytes { buffer in
                Result { () throws(Base64.DecodingFailure) in
                    try Base64.decode(input, mode: mode, into: buffer, vectorized: vectorized)
                }
            }
        }
        return result.map { Array(out[0..<$0]) }
    }

    @Test func encodingAgreesForEveryLengthAndAlphabet() {
        print("Vector base64: \(VectorBase64.isAvailable ? "AVX2" : "not available on this CPU (portable loops only)")")
        var rng = SplitMix64(seed: 99)
        for length in Array(0...400) + [1023, 1024, 1025, 4096, 65537] {
            let bytes = rng.bytes(length)
            for alphabet in [Base64.Alphabet.standard, .url] {
                for padded in [true, false] {
                    #expect(
                        encode(bytes, alphabet, padded: padded, vectorized: true)
                            == encode(bytes, alphabet, padded: padded, vectorized: false),
                        "length \(length) \(alphabet) padded \(padded)")
                }
            }
            let standard = Data(bytes).base64EncodedString()
            #expect(
                String(decoding: encode(bytes, .standard, padded: true, vectorized: true), as: UTF8.self) == standard)
        }
    }

    @Test func decodingAgreesOnValidAndDamagedText() {
        var rng = SplitMix64(seed: 1234)
        let specials: [UInt8] =
            Array(" \t\r\n=+/-_.%\u{0B}\0".utf8) + [0x80, 0xC3, 0xFF, 0x7F, 0x40, 0x5B, 0x60, 0x7B, 0x2F, 0x3A]
        var checked = 0
        for round in 0..<3000 {
            let length = Int(rng.next() % 300) + (round % 10 == 0 ? 2000 : 0)
            let bytes = rng.bytes(length)
            let alphabet: Base64.Alphabet = rng.next() % 2 == 0 ? .standard : .url
            var text = encode(bytes, alphabet, padded: rng.next() % 2 == 0, vectorized: false)
            // Damage some texts: one or two foreign bytes anywhere, or mixed alphabets.
            let damage = rng.next() % 4
            if damage > 0, !text.isEmpty {
                for _ in 0..<damage {
                    text[Int(rng.next() % UInt64(text.count))] = specials[Int(rng.next() % UInt64(specials.count))]
                }
            }
            for mode in Self.modes {
                let vector = decode(text, mode, vectorized: true), portable = decode(text, mode, vectorized: false)
                #expect(vector == portable, "round \(round) mode \(mode) length \(text.count)")
                checked += 1
            }
        }
        print("Vector base64: \(checked) decodes compared with the portable loops")
    }

    @Test func everyCharacterInEveryPositionOfABlock() {
        // Each of the 256 byte values at each of 64 positions of a 96-character valid text.
        let base = Array(String(repeating: "QUJD", count: 24).utf8)
        for position in 0..<64 {
            for value in 0...255 {
                var text = base
                text[position] = UInt8(value)
                for mode in Self.modes {
                    #expect(
                        decode(text, mode, vectorized: true) == decode(text, mode, vectorized: false),
                        "byte \(value) at \(position) in \(mode)")
                }
            }
        }
    }
}
