import LaravelCryptoTestSupport
import Testing

@testable import LaravelCrypto

/// Fixed-key, fixed-nonce vectors from the laravel-crypto spec §9.2 (computed there with PHP's
/// sodium functions and, for AEGIS, the independent `aeg` package).
@Suite("Known answers (spec §9.2)")
struct KnownAnswerTests {
    static let key32 = "base64:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
    static let key16 = "000102030405060708090a0b0c0d0e0f"  // hex, as laravel-crypto also accepts

    static func nonce(_ count: Int) -> [UInt8] { (0..<count).map { UInt8(0x40 + $0) } }

    static let v3: [(Cipher, String, String)] = [
        (.xChaCha20Poly1305, key32, "QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXvFxpHL_ADnn9mON0U8LGZu6mDKoyDDGVUn1l"),
        (.aes256GCM, key32, "QEFCQ0RFRkdISUpLitzCT0kc8Gy_qHNieLA5LYZsozxSvXdGGTDd"),
        (.secretBox, key32, "QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXIZXDwAYeGoSOYc0IndaBeCJyORVVccxFtDUV"),
        (
            .aegis256, key32,
            "QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl-gzTVeugo9846l-icxQwGlyI2kTcInKWkqw0r2qx3pPJm8iRtoPhvm1Z9n"
        ),
        (.aegis128L, key16, "QEFCQ0RFRkdISUpLTE1OTz7KS-FenzO3WOzEoLx2ixsob1qfGlVhA-QMFFjvyLf6c4HRJ4xwCTbl1ao"),
    ]

    static func encrypter(_ cipher: Cipher, _ key: String, options: EncrypterOptions = .init()) throws
        -> SodiumEncrypter?
    {
        try cipher.makeEncrypter(key: key, options: options) as? SodiumEncrypter
    }

    static func usable(_ cipher: Cipher) -> Bool {
        guard let reason = cipher.unavailabilityReason else { return true }
        if cipher == .aegis256 || cipher == .aegis128L { #expect(!isRequired("AEGIS"), "\(reason)") }
        return false
    }

    @Test("encryptString(\"hello world\") with a fixed nonce", arguments: 0..<5)
    func encryptStringMatchesPHP(index: Int) throws {
        let (cipher, key, expected) = Self.v3[index]
        guard Self.usable(cipher) else { return }
        let encrypter = try #require(try Self.encrypter(cipher, key))
        let nonce = Self.nonce(cipher.sodiumAlgorithm?.nonceByteCount ?? 0)
        let payload = try Array("hello world".utf8).withUnsafeBytes { p in
            try nonce.withUnsafeBytes { n in try encrypter.seal(p, nonce: n) }
        }
        #expect(payload == expected)
        #expect(try encrypter.decryptString(expected) == "hello world")
    }

    @Test func serializedValueMatchesPHP() throws {
        let encrypter = try #require(try Self.encrypter(.xChaCha20Poly1305, Self.key32))
        let payload = "QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXpwM0QerCEXPjmOie2PMX_vaYltBamfJPA3TZjHes91Hpav8"
        #expect(try encrypter.decrypt(payload, as: String.self) == "hello world")
        #expect(try encrypter.decryptString(payload) == "s:11:\"hello world\";")
    }

    static let legacyV2: [(Cipher, String)] = [
        (.xChaCha20Poly1305, "QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXvFxpHL_ADnn9mOMcXqfAcQxgeb7HZPHVD-D8"),
        (.aes256GCM, "QEFCQ0RFRkdISUpLitzCT0kc8Gy_qHMEAcLiSd1RMaRWTqrrMOQB"),
        (
            .aegis256,
            "QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl-T1Cn3KLKYcWIFb9Bbr9ecIBaCT_hKylPNEqi7ewEJ04TTxKxLPtVmKIVk"
        ),
    ]

    @Test("v1.2/v2 payloads (empty AD) only with the explicit legacy option", arguments: 0..<3)
    func legacyPayloads(index: Int) throws {
        let (cipher, payload) = Self.legacyV2[index]
        guard Self.usable(cipher) else { return }
        let strict = try cipher.makeEncrypter(key: Self.key32)
        #expect(throws: DecryptionError.authenticationFailed) { try strict.decryptString(payload) }
        let legacy = try cipher.makeEncrypter(
            key: Self.key32, options: EncrypterOptions(readsLegacyEmptyAssociatedData: true))
        #expect(try legacy.decryptString(payload) == "hello world")
    }
}
