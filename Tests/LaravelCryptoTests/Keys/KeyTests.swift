import Foundation
import Testing

@testable import LaravelCrypto

@Suite("Keys and key rings")
struct KeyTests {
    @Test func laravelCryptoFormatReadsBase64AndHex() throws {
        let fromBase64 = try KeyTextFormat.laravelCrypto.parse("base64:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
        let fromHex = try KeyTextFormat.laravelCrypto.parse(
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
        #expect(fromBase64 == fromHex)
        #expect(fromBase64.byteCount == 32)
        #expect(throws: KeyError.missing(variable: "APP_KEY")) { try KeyTextFormat.laravelCrypto.parse("") }
        #expect(throws: KeyError.self) { try KeyTextFormat.laravelCrypto.parse("0123456789abcdef0123456789abcdeg") }
        #expect(throws: KeyError.self) { try KeyTextFormat.laravelCrypto.parse("base64:A*A=") }
    }

    @Test func laravelFormatReadsRawBytes() throws {
        let raw = try KeyTextFormat.laravel.parse("0123456789abcdef0123456789abcdef")
        #expect(raw == (try EncryptionKey(bytes: Array("0123456789abcdef0123456789abcdef".utf8))))
        #expect(try KeyTextFormat.laravel.parse("base64:*AAECAw==").byteCount == 4, "PHP's forgiving decoder")
    }

    @Test func previousKeysKeepOrderAndDropEmpties() throws {
        let a = try EncryptionKey.generate(), b = try EncryptionKey.generate()
        let list = "\(a.exportedString()),, \(b.exportedString()) ,0"
        #expect(try KeyTextFormat.laravelCrypto.parseList(list) == [a, b])
        // Laravel does not trim: " base64:…" is taken as 53 raw bytes, which no cipher accepts.
        #expect(try KeyTextFormat.laravel.parseList(list).map(\.byteCount) == [32, 53])
    }

    @Test func aBadPreviousKeyIsReportedWhereverItStands() throws {
        let good = try EncryptionKey.generate().exportedString()
        for list in ["\(good),base64:%%%,\(good)", "base64:%%%,\(good)", "\(good),\(good),base64:%%%"] {
            #expect(throws: KeyError.self) { try KeyTextFormat.laravelCrypto.parseList(list) }
        }
        // The first bad entry is the one reported, as before the list was validated up front.
        #expect(throws: KeyError.invalidFormat(reason: "a key without the \"base64:\" prefix must be hex")) {
            try KeyTextFormat.laravelCrypto.parseList("\(good),zz,base64:%%%")
        }
        #expect(KeyTextFormat.laravelCrypto.listEntries(" a ,,0, b") == ["a", "b"])
        #expect(KeyTextFormat.laravel.listEntries(" a ,,0, b") == [" a ", " b"])
    }

    @Test func descriptionsNeverShowKeyBytes() throws {
        let key = try EncryptionKey.generate()
        #expect(key.description == "EncryptionKey(32 bytes)")
        #expect("\(key)" == "EncryptionKey(32 bytes)")
        #expect(String(reflecting: KeyRing(current: key, previous: [key])).contains("base64") == false)
        #expect(KeyRing(current: key, previous: [key]).description == "KeyRing(current + 1 previous)")
    }

    @Test func configurationReadsADotEnvFile() throws {
        let key = try EncryptionKey.generate(), old = try EncryptionKey.generate()
        let dotenv = """
            # comment
            APP_NAME="My App"
            APP_CIPHER=Sodium_XChaCha20Poly1305
            export APP_KEY="\(key.exportedString())"
            APP_PREVIOUS_KEYS='\(old.exportedString())' # inline comment
            """
        let configuration = AppConfiguration(dotEnvContents: dotenv)
        #expect(configuration["APP_NAME"] == "My App")
        let encrypter = try configuration.makeEncrypter()
        #expect(encrypter.cipher == .xChaCha20Poly1305)
        let oldOnly = try Cipher.xChaCha20Poly1305.makeEncrypter(keyRing: KeyRing(current: old))
        #expect(try encrypter.decryptString(try oldOnly.encryptString("rotated")) == "rotated")
        #expect(throws: KeyError.missing(variable: "APP_KEY")) {
            try AppConfiguration(dotEnvContents: "").makeEncrypter()
        }
    }
}

@Suite("A key of the wrong size names what it was for")
struct KeyPurposeTests {
    @Test func everyEntryPointReportsItsPurpose() throws {
        let short = try EncryptionKey(bytes: [UInt8](repeating: 7, count: 16))
        #expect(throws: KeyError.invalidLength(for: .cipher(.laravelAES256GCM), expected: 32, actual: 16)) {
            try Cipher.laravelAES256GCM.makeEncrypter(keyRing: KeyRing(current: short))
        }
        #expect(throws: KeyError.invalidLength(for: .fileDriver(.secretStream), expected: 32, actual: 16)) {
            try FileEncrypter(driver: .secretStream, keys: KeyRing(current: short))
        }
        #expect(throws: KeyError.invalidLength(for: .fileDriver(.native(.xChaCha20Poly1305)), expected: 32, actual: 16))
        {
            try FileEncrypter(driver: .native(.xChaCha20Poly1305), keys: KeyRing(current: short))
        }
        #expect(throws: KeyError.invalidLength(for: .userKey, expected: 32, actual: 16)) {
            try UserKey(bytes: [UInt8](repeating: 7, count: 16))
        }
    }

    @Test func messagesReadAsBefore() {
        let cases: [(KeyPurpose, String)] = [
            (.cipher(.aegis256), "Sodium_AEGIS256GCM needs a 32-byte key, but the key has 16 bytes."),
            (.fileDriver(.secretStream), "The secretstream file driver needs a 32-byte key, but the key has 16 bytes."),
            (
                .fileDriver(.xsalsaHMAC),
                "The XSalsa20 + HMAC file driver needs a 32-byte key, but the key has 16 bytes."
            ),
            (.fileDriver(.native(.laravelAES256CBC)), "aes-256-cbc needs a 32-byte key, but the key has 16 bytes."),
            (.userKey, "A user key needs a 32-byte key, but the key has 16 bytes."),
            (.globalBlindIndex, "A global blind index needs a 32-byte key, but the key has 16 bytes."),
        ]
        for (purpose, message) in cases {
            #expect(KeyError.invalidLength(for: purpose, expected: 32, actual: 16).description == message)
        }
    }
}
