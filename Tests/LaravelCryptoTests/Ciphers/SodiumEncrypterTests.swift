import LaravelCryptoTestSupport
import Testing

@testable import LaravelCrypto

@Suite("Sodium ciphers: round trips, tampering, rotation")
struct SodiumEncrypterTests {
    static let sodiumCiphers: [Cipher] = [.aegis256, .aegis128L, .aes256GCM, .xChaCha20Poly1305, .secretBox]

    static func makeKey(_ cipher: Cipher) throws -> EncryptionKey { try EncryptionKey.generate(for: cipher) }

    static func encrypter(_ cipher: Cipher, current: EncryptionKey, previous: [EncryptionKey] = []) throws
        -> (any Encrypter)?
    {
        guard KnownAnswerTests.usable(cipher) else { return nil }
        return try cipher.makeEncrypter(keyRing: KeyRing(current: current, previous: previous))
    }

    @Test(arguments: sodiumCiphers, [0, 1, 1024, 1 << 20])
    func roundTrip(cipher: Cipher, size: Int) throws {
        guard let encrypter = try Self.encrypter(cipher, current: try Self.makeKey(cipher)) else { return }
        var rng = SplitMix64(seed: UInt64(size))
        let bytes = rng.bytes(size)
        let payload = try encrypter.encryptBytes(bytes)
        let algorithm = try #require(cipher.sodiumAlgorithm)
        #expect(
            payload.utf8.count
                == Base64.encodedCount(of: algorithm.nonceByteCount + size + algorithm.tagByteCount, padded: false))
        #expect(try encrypter.decryptBytes(payload) == bytes)
        let text = String(repeating: "é", count: size / 2)
        #expect(try encrypter.decryptString(try encrypter.encryptString(text)) == text)
        #expect(try encrypter.encryptBytes(bytes) != payload, "a fresh nonce every time")
    }

    @Test(arguments: sodiumCiphers)
    func everySingleByteFlipIsRejected(cipher: Cipher) throws {
        guard let encrypter = try Self.encrypter(cipher, current: try Self.makeKey(cipher)) else { return }
        let raw = try Base64.decode(try encrypter.encryptString("attack at dawn"), mode: .sodiumURLNoPadding)
        for index in raw.indices {
            for bit in [0x01, 0x80] as [UInt8] {
                var tampered = raw
                tampered[index] ^= bit
                let payload = tampered.withUnsafeBytes { Base64.encode($0, alphabet: .url, padded: false) }
                #expect(throws: DecryptionError.authenticationFailed, "byte \(index) bit \(bit)") {
                    try encrypter.decryptString(payload)
                }
            }
        }
    }

    @Test(arguments: sodiumCiphers)
    func truncationAtEveryLengthIsATypedError(cipher: Cipher) throws {
        guard let encrypter = try Self.encrypter(cipher, current: try Self.makeKey(cipher)) else { return }
        let algorithm = try #require(cipher.sodiumAlgorithm)
        let raw = try Base64.decode(try encrypter.encryptString("x"), mode: .sodiumURLNoPadding)
        for length in 0..<raw.count {
            let payload = raw.prefix(length).withUnsafeBytes { Base64.encode($0, alphabet: .url, padded: false) }
            let minimum = algorithm.nonceByteCount + algorithm.tagByteCount
            let expected: DecryptionError =
                length < minimum ? .payloadTooShort(minimum: minimum, actual: length) : .authenticationFailed
            #expect(throws: expected, "length \(length)") { try encrypter.decryptBytes(payload) }
        }
    }

    @Test(arguments: sodiumCiphers)
    func malformedTextIsATypedError(cipher: Cipher) throws {
        guard let encrypter = try Self.encrypter(cipher, current: try Self.makeKey(cipher)) else { return }
        let good = try encrypter.encryptString("hello")
        #expect(throws: DecryptionError.invalidEncoding(reason: "invalid character at offset 1")) {
            try encrypter.decryptString("a*b")
        }
        #expect(throws: DecryptionError.self) { try encrypter.decryptString("") }
        #expect(throws: DecryptionError.self) { try encrypter.decryptString(good + "===") }
        #expect(throws: DecryptionError.self) { try encrypter.decryptString("😀" + good) }
        // laravel-crypto decodes leniently: the standard alphabet, padding and whitespace are accepted.
        let raw = try Base64.decode(good, mode: .sodiumURLNoPadding)
        let standard = raw.withUnsafeBytes { Base64.encode($0, alphabet: .standard, padded: true) }
        #expect(try encrypter.decryptString(standard) == "hello")
        #expect(try encrypter.decryptString(" " + good + "\n") == "hello")
    }

    @Test(arguments: sodiumCiphers)
    func wrongKeyFails(cipher: Cipher) throws {
        guard let a = try Self.encrypter(cipher, current: try Self.makeKey(cipher)),
            let b = try Self.encrypter(cipher, current: try Self.makeKey(cipher))
        else { return }
        #expect(throws: DecryptionError.authenticationFailed) { try b.decryptString(try a.encryptString("secret")) }
    }

    @Test(arguments: sodiumCiphers)
    func rotation(cipher: Cipher) throws {
        let old = try Self.makeKey(cipher), older = try Self.makeKey(cipher), new = try Self.makeKey(cipher)
        guard let before = try Self.encrypter(cipher, current: old),
            let evenBefore = try Self.encrypter(cipher, current: older),
            let rotated = try Self.encrypter(cipher, current: new, previous: [old, older]),
            let dropped = try Self.encrypter(cipher, current: new, previous: [older])
        else { return }
        let oldPayload = try before.encryptString("old data")
        #expect(try rotated.decryptString(oldPayload) == "old data")
        #expect(try rotated.decryptString(try evenBefore.encryptString("older")) == "older")
        #expect(throws: DecryptionError.authenticationFailed) { try dropped.decryptString(oldPayload) }
        #expect(throws: DecryptionError.authenticationFailed) {
            try before.decryptString(try rotated.encryptString("new"))
        }
    }

    @Test func wrongKeyLengthNamesTheCipher() throws {
        let key16 = try EncryptionKey.generate(byteCount: 16)
        #expect(throws: KeyError.invalidLength(for: .cipher(.xChaCha20Poly1305), expected: 32, actual: 16)) {
            try Cipher.xChaCha20Poly1305.makeEncrypter(keyRing: KeyRing(current: key16))
        }
        guard Sodium.hasAEGIS else { return }
        let key32 = try EncryptionKey.generate(byteCount: 32)
        #expect(throws: KeyError.invalidLength(for: .cipher(.aegis128L), expected: 16, actual: 32)) {
            try Cipher.aegis128L.makeEncrypter(keyRing: KeyRing(current: key16, previous: [key32]))
        }
    }

    @Test func nonUTF8PlaintextIsATypedErrorForStrings() throws {
        let encrypter = try Cipher.xChaCha20Poly1305.makeEncrypter(
            keyRing: KeyRing(current: try EncryptionKey.generate()))
        let payload = try encrypter.encryptBytes([0xFF, 0xFE, 0x41])
        #expect(throws: DecryptionError.invalidUTF8) { try encrypter.decryptString(payload) }
        #expect(try encrypter.decryptBytes(payload) == [0xFF, 0xFE, 0x41])
    }

    struct Profile: Codable, Equatable {
        let id: Int
        let name: String
        let admin: Bool
        let score: Double
        let tags: [String]
        let manager: String?
    }

    @Test func codableValuesRoundTrip() throws {
        let encrypter = try Cipher.secretBox.makeEncrypter(keyRing: KeyRing(current: try EncryptionKey.generate()))
        let profile = Profile(id: 1, name: "Zoë", admin: false, score: 0.1, tags: ["a", "b"], manager: nil)
        #expect(try encrypter.decrypt(try encrypter.encrypt(profile), as: Profile.self) == profile)
        #expect(try encrypter.decrypt(try encrypter.encrypt(42), as: Int.self) == 42)
        #expect(throws: DecryptionError.self) { try encrypter.decrypt(try encrypter.encrypt("x"), as: Int.self) }
    }
}

/// Both branches of the AEGIS check: with `make deps`' libsodium AEGIS works; on an older one (run
/// the suite with `PKG_CONFIG_PATH` unset on Debian 12) it throws this exact error. CI checks the
/// old-libsodium path through `make check-downstream`, as a user's package sees it.
@Suite("SystemLibsodium")
struct SystemLibsodiumTests {
    @Test func aegisIsUsableOrFailsClearly() throws {
        let key = "base64:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
        if Sodium.hasAEGIS {
            _ = try Cipher.aegis256.makeEncrypter(key: key)
        } else {
            #expect(
                throws: CipherError.unavailable(
                    cipher: .aegis256,
                    reason:
                        "AEGIS needs libsodium ≥ 1.0.19, but \(Sodium.versionString) is linked. Install a newer "
                        + "libsodium "
                        + "(your system's libsodium-dev or Homebrew's libsodium) or build one with LaravelCrypto's "
                        + "scripts/build-libsodium.sh, point PKG_CONFIG_PATH at it and rebuild (README: \"Using "
                        + "LaravelCrypto in "
                        + "your package\"); every other cipher works with this libsodium")
            ) { try Cipher.aegis256.makeEncrypter(key: key) }
        }
        let others = try Cipher.xChaCha20Poly1305.makeEncrypter(key: key)
        #expect(try others.decryptString(try others.encryptString("still works")) == "still works")
        print(
            "SystemLibsodium: libsodium \(Sodium.versionString), AEGIS \(Sodium.hasAEGIS ? "available" : "unavailable")"
        )
    }
}
