import Foundation
import LaravelCryptoTestSupport
import Testing

@testable import LaravelCrypto

@Suite("Laravel envelope (aes-*)")
struct LaravelEncrypterTests {
    static let key32 = "base64:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
    static let key16 = "base64:AAECAwQFBgcICQoLDA0ODw=="

    func seal(_ cipher: Cipher, key: String, _ plaintext: [UInt8], iv: String) throws -> String {
        let encrypter = try #require(try cipher.makeEncrypter(key: key) as? LaravelEncrypter)
        return try plaintext.withUnsafeBytes { try encrypter.seal($0, iv: [UInt8](hex: iv)) }
    }

    struct Record: Codable, Equatable {
        let id: Int
        let name: String
        let admin: Bool
        let score: Double
    }

    /// laravel-native.md §4, reproduced there with real PHP and independently.
    @Test func workedExamplesMatchByteForByte() throws {
        let record = Record(id: 1, name: "Zoë", admin: false, score: 0.1)
        #expect(
            try seal(
                .laravelAES256CBC, key: Self.key32, try PHPSerializer().serialize(record),
                iv: "f0e0d0c0b0a090807060504030201000")
                == "eyJpdiI6IjhPRFF3TENna0lCd1lGQkFNQ0FRQUE9PSIsInZhbHVlIjoiNW0wZUNQWWxzb2pDTmtkbWJsYWxPa3ZHMEZMK2YyRVNnNFY1WjhDWVJTWWx1TWpqWXM1aFpnazR2QkVMNmJ4V1huSHp4T3pDYnhIYWF5VXFmenhGNXY4b0xLcjNObGlLVW82ZzVvTGw3VHM9IiwibWFjIjoiM2U0NmEwNDY2MjM5MjYxNTQ4MWE5OGM0NjQ2NzZjZWYyMjUxM2QzNmIyYzZhNTVmNjVmMzFiNDVjYzRiNTVhNSIsInRhZyI6IiJ9"
        )
        #expect(
            try seal(.laravelAES256GCM, key: Self.key32, Array("Zoë says hi/bye".utf8), iv: "f0e0d0c0b0a0908070605040")
                == "eyJpdiI6IjhPRFF3TENna0lCd1lGQkEiLCJ2YWx1ZSI6IjlGZC95VW5BeFcyVkZTbytKTTI4SWc9PSIsIm1hYyI6IiIsInRhZyI6InQ2enAzYU9vR3p0enFjZzR0TW9kVEE9PSJ9"
        )
        #expect(
            try seal(.laravelAES128CBC, key: Self.key16, Array("secret".utf8), iv: "00112233445566778899aabbccddeeff")
                == "eyJpdiI6IkFCRWlNMFJWWm5lSW1hcTd6TjN1L3c9PSIsInZhbHVlIjoiTFUwbnB0eWlxSEZaZlZKMDdCeHFVdz09IiwibWFjIjoiMDcyNDIzOTUxZTM4NDI3YWRmZGVjNTE1OTgwODkyOTM1ZDUwYzAwY2JjMmY0MjM4MTIxNzFiMWM5ZmVkYWE4NCIsInRhZyI6IiJ9"
        )
        #expect(
            try seal(
                .laravelAES128GCM, key: Self.key16, try PHPSerializer().serialize("secret"),
                iv: "00112233445566778899aabb")
                == "eyJpdiI6IkFCRWlNMFJWWm5lSW1hcTciLCJ2YWx1ZSI6Im51bDlVTFdUeTJXTEQzS2xQdz09IiwibWFjIjoiIiwidGFnIjoiZ3pGak94RTEwSXBIbXBzbGNja0g0Zz09In0="
        )
        let ascii = "0123456789abcdef0123456789abcdef"  // a raw (non-base64) key, as Laravel allows
        #expect(
            try seal(.laravelAES256CBC, key: ascii, Array("hello".utf8), iv: "000102030405060708090a0b0c0d0e0f")
                == "eyJpdiI6IkFBRUNBd1FGQmdjSUNRb0xEQTBPRHc9PSIsInZhbHVlIjoiTVlOU2w1dVlWNlY5dE9INVJTWHREQT09IiwibWFjIjoiNTI5ODE5YTViNTZiZmQwMGM1ODQ4YWE5NWQ0YjZjYjljNDQ0NjNiZDhhNzk5NjMwMGI5NDZmYWVkZGYwMTI2ZSIsInRhZyI6IiJ9"
        )
        let decrypter = try Cipher.laravelAES256CBC.makeEncrypter(key: Self.key32)
        let payload = try seal(
            .laravelAES256CBC, key: Self.key32, try PHPSerializer().serialize(record),
            iv: "f0e0d0c0b0a090807060504030201000")
        #expect(try decrypter.decrypt(payload, as: Record.self) == record)
    }

    /// laravel-crypto spec §9.2: the wrapped fallback for AES-256-CBC.
    @Test func laravelCryptoWrappedFallbackDecrypts() throws {
        let wrapped = try Cipher.laravelAES256CBC.makeEncrypter(
            key: Self.key32, options: EncrypterOptions(usesLaravelCryptoWrapping: true))
        let payload =
            "QEFCQ0RFRkdISUpLTE1OT2V5SnBkaUk2SWxsSFJtbFpNbEpzV20xa2IyRlhjSEppUnpGMVluYzlQU0lzSW5aaGJIVmxJam9pTDFscmQyVXhVVEp2U1VWcE5tNXJWbVZ6U2poaFVUMDlJaXdpYldGaklqb2lPRGN4TmprMU5ERmtaRFZtTVROaE5EYzVOalF3TVRNd01tUTBZbUptWTJFNE5UZG1PR0k1WTJReU0yTmhPRGM1WWpabU9EQmhOek16TUdFNE5qUTFaQ0lzSW5SaFp5STZJaUo5"
        #expect(try wrapped.decryptString(payload) == "hello world")
        #expect(try wrapped.decryptString(try wrapped.encryptString("round trip")) == "round trip")
    }

    static func envelope(_ json: String) -> String { Data(json.utf8).base64EncodedString() }

    @Test func olderLaravelPayloadsWithEscapedSlashesAndNoTag() throws {
        // Laravel 5.x–7.x wrote plain json_encode: "\/" escapes and no tag member (spec §9.1).
        let encrypter = try Cipher.laravelAES256GCM.makeEncrypter(key: Self.key32)
        let modern =
            #"{"iv":"8ODQwLCgkIBwYFBA","value":"9Fd/yUnAxW2VFSo+JM28Ig==","mac":"","tag":"t6zp3aOoGztzqcg4tModTA=="}"#
        let escaped = modern.replacingOccurrences(of: "/", with: #"\/"#)
        #expect(try encrypter.decryptString(Self.envelope(escaped)) == "Zoë says hi/bye")
        let reordered =
            #"{ "tag" : "t6zp3aOoGztzqcg4tModTA==", "mac":"x", "extra":[1,{"a":null}], "value":"9Fd\/yUnAxW2VFSo+JM28Ig==", "iv":"8ODQwLCgkIBwYFBA" }"#
        #expect(try encrypter.decryptString(Self.envelope(reordered)) == "Zoë says hi/bye")
        let cbc = try Cipher.laravelAES128CBC.makeEncrypter(key: Self.key16)
        let noTag =
            #"{"iv":"ABEiM0RVZneImaq7zN3u\/w==","value":"LU0nptyiqHFZfVJ07BxqUw==","mac":"072423951e38427adfdec515980892935d50c00cbc2f423812171b1c9fedaa84"}"#
        #expect(try cbc.decryptString(Self.envelope(noTag)) == "secret")
    }

    @Test func tamperingAndMalformedEnvelopesAreTypedErrors() throws {
        let cbc = try Cipher.laravelAES128CBC.makeEncrypter(key: Self.key16)
        let gcm = try Cipher.laravelAES128GCM.makeEncrypter(key: Self.key16)
        let good =
            #"{"iv":"ABEiM0RVZneImaq7zN3u/w==","value":"LU0nptyiqHFZfVJ07BxqUw==","mac":"072423951e38427adfdec515980892935d50c00cbc2f423812171b1c9fedaa84","tag":""}"#
        #expect(try cbc.decryptString(Self.envelope(good)) == "secret")
        let cases: [(String, DecryptionError?)] = [
            (good.replacingOccurrences(of: "072423", with: "172423"), .authenticationFailed),
            (good.replacingOccurrences(of: "072423", with: "072423".uppercased() + "A"), .authenticationFailed),
            (good.replacingOccurrences(of: "LU0n", with: "LU1n"), .authenticationFailed),
            (good.replacingOccurrences(of: "ABEi", with: "ABEj"), .authenticationFailed),
            (good.replacingOccurrences(of: #""tag":"""#, with: #""tag":"AAAA""#), nil),
            (
                good.replacingOccurrences(
                    of: #","mac":"072423951e38427adfdec515980892935d50c00cbc2f423812171b1c9fedaa84""#, with: ""), nil
            ),
            (
                good.replacingOccurrences(of: #""iv":"ABEiM0RVZneImaq7zN3u/w==""#, with: #""iv":"ABEiM0RVZneImaq7""#),
                nil
            ),
            (good.replacingOccurrences(of: #""iv":"ABEiM0RVZneImaq7zN3u/w==""#, with: #""iv":5"#), nil),
            (#"["a","b","c"]"#, nil), ("not json", nil), ("", nil), (good + "x", nil),
        ]
        for (json, expected) in cases {
            if let expected {
                #expect(throws: expected, "\(json)") { try cbc.decryptString(Self.envelope(json)) }
            } else {
                #expect(throws: DecryptionError.self, "\(json)") { try cbc.decryptString(Self.envelope(json)) }
            }
        }
        // A GCM payload presented to CBC and vice versa.
        #expect(throws: DecryptionError.self) { try cbc.decryptString(try gcm.encryptString("x")) }
        #expect(throws: DecryptionError.self) { try gcm.decryptString(try cbc.encryptString("x")) }
        #expect(throws: DecryptionError.self) { try cbc.decryptString("!!!") }
    }

    @Test(arguments: [Cipher.laravelAES128CBC, .laravelAES256CBC, .laravelAES128GCM, .laravelAES256GCM])
    func roundTripsAndRotation(cipher: Cipher) throws {
        let old = try EncryptionKey.generate(for: cipher), new = try EncryptionKey.generate(for: cipher)
        let before = try cipher.makeEncrypter(keyRing: KeyRing(current: old))
        let after = try cipher.makeEncrypter(keyRing: KeyRing(current: new, previous: [old]))
        let dropped = try cipher.makeEncrypter(keyRing: KeyRing(current: new))
        for size in [0, 1, 15, 16, 17, 1024, 1 << 20] {
            var rng = SplitMix64(seed: UInt64(size))
            let bytes = rng.bytes(size)
            let payload = try before.encryptBytes(bytes)
            #expect(try after.decryptBytes(payload) == bytes)
            #expect(throws: DecryptionError.authenticationFailed) { try dropped.decryptBytes(payload) }
        }
        // A single-bit flip anywhere in the JSON envelope never yields other plaintext. Laravel
        // itself accepts the few flips that change nothing it reads: a renamed "tag" member on
        // CBC (the tag is optional there) or a "=" of GCM's value/tag turned into a character
        // PHP's forgiving base64 decoder skips, or a flip in the discarded trailing bits of the
        // last base64 character of value or tag (which bytes those are depends on the random IV).
        let raw = Array(Data(base64Encoded: try before.encryptString("short")) ?? Data())
        var accepted = 0
        for index in raw.indices {
            var tampered = raw
            tampered[index] ^= 0x01
            do {
                #expect(try after.decryptString(Data(tampered).base64EncodedString()) == "short", "byte \(index)")
                accepted += 1
            } catch {
                continue  // refused, with a DecryptionError (the decrypt's typed throws say so)
            }
        }
        #expect(accepted <= 8)
    }

    /// One encrypter shared by many tasks: the pooled OpenSSL contexts (HMAC and AES, restarted
    /// per payload, also after a failed tag check) and the nonce pool must keep every payload
    /// intact and distinct.
    @Test(arguments: [Cipher.laravelAES256CBC, .laravelAES128GCM])
    func concurrentUseOfOneEncrypter(cipher: Cipher) async throws {
        let encrypter = try cipher.makeEncrypter(
            keyRing: KeyRing(
                current: try EncryptionKey.generate(for: cipher), previous: [try EncryptionKey.generate(for: cipher)]))
        let stranger = try cipher.makeEncrypter(keyRing: KeyRing(current: try EncryptionKey.generate(for: cipher)))
        let payloads = try await withThrowingTaskGroup(of: [String].self) { group in
            for task in 0..<8 {
                group.addTask {
                    try (0..<400).map { index in
                        let text = "task \(task) message \(index)"
                        let payload = try encrypter.encryptString(text)
                        if index % 7 == 0 {
                            #expect(throws: DecryptionError.authenticationFailed) {
                                try encrypter.decryptString(try stranger.encryptString(text))
                            }
                        }
                        #expect(try encrypter.decryptString(payload) == text)
                        return payload
                    }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(Set(payloads).count == 3_200)
    }

    @Test func constantTimeUnpadding() {
        func count(_ bytes: [UInt8]) -> Int? { bytes.withUnsafeBytes { PKCS7.unpaddedCount($0) } }
        #expect(count([UInt8](repeating: 16, count: 16)) == 0)
        #expect(count([UInt8](repeating: 0, count: 15) + [1]) == 15)
        #expect(count([UInt8](repeating: 0, count: 14) + [2, 2]) == 14)
        #expect(count([UInt8](repeating: 0, count: 14) + [1, 2]) == nil)
        #expect(count([UInt8](repeating: 0, count: 16)) == nil)
        #expect(count([UInt8](repeating: 17, count: 32)) == nil)
    }
}
