import Testing

@testable import LaravelCrypto

/// `EncrypterOptions.maximumPayloadByteCount`: every decrypt entry point refuses a longer payload
/// before decoding it, and accepts one exactly at the limit.
@Suite("Payload size limit")
struct PayloadSizeLimitTests {
    static let ciphers = Cipher.allCases.filter { $0.unavailabilityReason == nil }

    func encrypter(_ cipher: Cipher, key: EncryptionKey, limit: Int?, wrapping: Bool = false) throws -> any Encrypter {
        try cipher.makeEncrypter(
            keyRing: KeyRing(current: key),
            options: EncrypterOptions(usesLaravelCryptoWrapping: wrapping, maximumPayloadByteCount: limit))
    }

    @Test(arguments: ciphers)
    func refusesOneByteOverTheLimitAndAcceptsTheLimit(cipher: Cipher) throws {
        let key = try EncryptionKey.generate(for: cipher)
        for wrapping in cipher.sodiumAlgorithm == nil ? [false, true] : [false] {
            let payload = try encrypter(cipher, key: key, limit: nil, wrapping: wrapping).encryptString(
                "a secret of some length")
            let count = payload.utf8.count
            let atLimit = try encrypter(cipher, key: key, limit: count, wrapping: wrapping)
            #expect(try atLimit.decryptString(payload) == "a secret of some length")
            #expect(try atLimit.decryptBytes(payload) == Array("a secret of some length".utf8))
            let below = try encrypter(cipher, key: key, limit: count - 1, wrapping: wrapping)
            for attempt in [
                { _ = try below.decryptString(payload) }, { _ = try below.decryptBytes(payload) },
                { _ = try below.decrypt(payload, as: String.self) },
            ] {
                let error = #expect(throws: DecryptionError.self) { try attempt() }
                #expect(
                    error
                        == .invalidPayload(
                            reason:
                                "it is \(count) bytes long, over the \(count - 1)-byte limit this encrypter was "
                                + "configured with"
                        ))
            }
        }
    }

    @Test func userValuesHonourTheLimit() throws {
        let key = try UserKey.generate()
        let payload = try key.makeEncrypter().encryptString("ssn 123-45-6789")
        let count = payload.utf8.count
        #expect(
            try key.makeEncrypter(options: EncrypterOptions(maximumPayloadByteCount: count)).decryptString(payload)
                == "ssn 123-45-6789")
        #expect(
            throws: DecryptionError.invalidPayload(
                reason: "it is \(count) bytes long, over the \(count - 1)-byte limit this encrypter was configured with"
            )
        ) {
            try key.makeEncrypter(options: EncrypterOptions(maximumPayloadByteCount: count - 1)).decryptString(payload)
        }
    }

    @Test func aHugePayloadIsRefusedBeforeItIsRead() throws {
        let cipher = Cipher.xChaCha20Poly1305
        let limited = try encrypter(cipher, key: try EncryptionKey.generate(for: cipher), limit: 1 << 20)
        // Not even base64: refused for its length, not its content.
        let huge = String(repeating: "!", count: 8 << 20)
        #expect(
            throws: DecryptionError.invalidPayload(
                reason: "it is 8388608 bytes long, over the 1048576-byte limit this encrypter was configured with")
        ) {
            try limited.decryptBytes(huge)
        }
    }

    @Test func migrationAppliesTheWritersLimitToEveryFamily() throws {
        let old = CipherConfiguration(
            cipher: .laravelAES256CBC, keys: KeyRing(current: try EncryptionKey.generate(for: .laravelAES256CBC)))
        let oldPayload = try old.makeEncrypter().encryptString(String(repeating: "x", count: 600))
        let writing = CipherConfiguration(
            cipher: .xChaCha20Poly1305, keys: KeyRing(current: try EncryptionKey.generate(for: .xChaCha20Poly1305)),
            options: EncrypterOptions(maximumPayloadByteCount: 512))
        let migration = try MigrationEncrypter(writing: writing, reading: [old])
        #expect(throws: DecryptionError.self) { try migration.decryptString(oldPayload) }
        let roomy = try MigrationEncrypter(
            writing: CipherConfiguration(cipher: writing.cipher, keys: writing.keys), reading: [old])
        #expect(try roomy.decryptString(oldPayload) == String(repeating: "x", count: 600))
    }

    @Test func cookiesHonourTheConfigurationsLimit() throws {
        let configuration = CipherConfiguration(
            cipher: .laravelAES256CBC, keys: KeyRing(current: try EncryptionKey.generate(for: .laravelAES256CBC)),
            options: EncrypterOptions(maximumPayloadByteCount: 300))
        let cookies = try CookieEncrypter(configuration: configuration)
        let small = try cookies.encrypt("ok", forCookieNamed: "session")
        #expect(try cookies.decrypt(small, forCookieNamed: "session") == "ok")
        let big = try cookies.encrypt(String(repeating: "v", count: 400), forCookieNamed: "session")
        #expect(throws: DecryptionError.self) { try cookies.decrypt(big, forCookieNamed: "session") }
    }
}
