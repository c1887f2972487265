import Testing

@testable import LaravelCrypto

/// One key-text rule for every way of building an encrypter (issue #9): with laravel-crypto's
/// wrapping on, an `aes-*` key without `base64:` is hex on every route, not raw bytes on some.
@Suite("One key-format rule")
struct KeyFormatRuleTests {
    static let hexKey = String(repeating: "0f", count: 32)  // 64 hex digits = 32 bytes; 64 raw bytes otherwise
    static let wrapping = EncrypterOptions(usesLaravelCryptoWrapping: true)

    @Test("Cipher, CipherConfiguration, AppConfiguration and MigrationEncrypter read the same key")
    func everyRouteAgrees() throws {
        let direct = try Cipher.laravelAES256CBC.makeEncrypter(key: Self.hexKey, options: Self.wrapping)
        let configuration = try CipherConfiguration(cipher: .laravelAES256CBC, key: Self.hexKey, options: Self.wrapping)
        let app = AppConfiguration(variables: ["APP_KEY": Self.hexKey, "APP_CIPHER": "aes-256-cbc"])
        let fromApp = try app.makeEncrypter(options: Self.wrapping)
        let migration = try MigrationEncrypter(writing: configuration, reading: [])
        let payload = try direct.encryptString("same key")
        #expect(try configuration.makeEncrypter().decryptString(payload) == "same key")
        #expect(try fromApp.decryptString(payload) == "same key")
        #expect(try migration.decryptString(payload) == "same key")
        #expect(try app.keyRing(for: .laravelAES256CBC, options: Self.wrapping).current.byteCount == 32)
        // Without wrapping, Laravel reads an unprefixed key as raw text: 64 bytes, the wrong size.
        #expect(try app.keyRing(for: .laravelAES256CBC).current.byteCount == 64)
    }

    @Test("every cipher's key size comes from its backend")
    func backendFacts() {
        for cipher in Cipher.allCases {
            switch cipher.backend {
            case .sodium(let algorithm):
                #expect(cipher.keyByteCount == algorithm.keyByteCount && !cipher.isLaravelEnvelope)
                #expect(OpenSSLAES(laravelCipher: cipher) == nil)
            case .laravel(let aes):
                #expect(cipher.keyByteCount == aes.keyByteCount && cipher.isLaravelEnvelope)
                #expect(cipher.sodiumAlgorithm == nil)
            }
        }
    }
}
