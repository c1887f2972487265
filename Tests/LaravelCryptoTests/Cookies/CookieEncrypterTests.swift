import Foundation
import Testing

@testable import LaravelCrypto

/// Laravel's cookie values (spec laravel-native.md §8); the real middleware is in PHPInteropTests.
@Suite("Laravel cookie values")
struct CookieEncrypterTests {
    /// Spec §8.3: K = 00 01 … 1f, aes-256-cbc.
    static let key = "base64:" + Data((0..<32).map { UInt8($0) }).base64EncodedString()
    static let value = "k2ZZpVfVxYpQn3tJc8eH0aBcDeFgHiJkLmNoPqRs"
    static let cookie =
        "eyJpdiI6IkFBRUNBd1FGQmdjSUNRb0xEQTBPRHc9PSIsInZhbHVlIjoid082OXBKcjFRZU92Sm5YcE85K3hJZFlHOFpQMmdZRjdqdUluZVhBOWpZUWw1MDlOYVd1ZWxGTmtPU0lFMHJqejFUK3NuVTBFUHlWK3BjdDV3RGthL0JQR1IxNEVRdnJmandCZDE4ZERVUlZ0MWhJQ0xkSk8vM1Z5V3Y5OFdjQ0wiLCJtYWMiOiIxZjRmYjQzNDY1YTE4MDg3OTQ5YzM0MGZkNzQ2OWI0OTRiNmM5NDYyNzNmYzJkYjU2NTM0NGQ2NmNlZTM4Mzk3IiwidGFnIjoiIn0="

    @Test func prefixesMatchTheSpec() throws {
        let cookies = try CookieEncrypter(key: Self.key)
        #expect(cookies.prefix(forCookieNamed: "laravel_session") == "7198b0a1a7564e003b468667d6241918ce65aafa|")
        #expect(cookies.prefix(forCookieNamed: "XSRF-TOKEN") == "3d58370326099bd02ab4e9e66bc0f2f7ac6f29d6|")
    }

    @Test func workedExampleByteForByte() throws {
        let cookies = try CookieEncrypter(key: Self.key)
        let value = try cookies.encrypt(Self.value, forCookieNamed: "laravel_session", iv: Array(0..<16))
        #expect(value == Self.cookie)
        #expect(value.utf8.count == 340)
        #expect(PercentEncoding.encode(value) == String(Self.cookie.dropLast()) + "%3D")
    }

    @Test func aFixedIVIsNeverReplacedByARandomOne() throws {
        let cookies = try CookieEncrypter(key: Self.key)
        #expect(throws: EncryptionError.cipherFailed(reason: "a aes-256-cbc IV has 16 bytes, not 12")) {
            try cookies.encrypt(Self.value, forCookieNamed: "laravel_session", iv: Array(0..<12))
        }
        let sodium = try CookieEncrypter(
            configuration: CipherConfiguration(
                cipher: .xChaCha20Poly1305, keys: KeyRing(current: EncryptionKey.generate(for: .xChaCha20Poly1305))))
        #expect(throws: EncryptionError.self) {
            try sodium.encrypt(Self.value, forCookieNamed: "laravel_session", iv: Array(0..<16))
        }
    }

    @Test func readsTheWorkedExampleEncodedOrNot() throws {
        let cookies = try CookieEncrypter(key: Self.key)
        #expect(try cookies.decrypt(Self.cookie, forCookieNamed: "laravel_session") == Self.value)
        let header = PercentEncoding.encode(Self.cookie)
        #expect(try cookies.decrypt(header, forCookieNamed: "laravel_session") == Self.value)
    }

    @Test func anotherCookieNameIsRejected() throws {
        let cookies = try CookieEncrypter(key: Self.key)
        #expect(throws: DecryptionError.cookiePrefixMismatch(cookieName: "WRONG")) {
            try cookies.decrypt(Self.cookie, forCookieNamed: "WRONG")
        }
        // A value encrypted without any prefix (plain Crypt::encryptString) is not a cookie either.
        let plain = try Cipher.laravelAES256CBC.makeEncrypter(key: Self.key).encryptString("short")
        #expect(throws: DecryptionError.cookiePrefixMismatch(cookieName: "laravel_session")) {
            try cookies.decrypt(plain, forCookieNamed: "laravel_session")
        }
    }

    @Test func undecryptableValuesGiveTypedErrors() throws {
        let cookies = try CookieEncrypter(key: Self.key)
        let other = try CookieEncrypter(key: "base64:" + Data(repeating: 7, count: 32).base64EncodedString())
        #expect(throws: DecryptionError.authenticationFailed) {
            try other.decrypt(Self.cookie, forCookieNamed: "laravel_session")
        }
        for garbage in ["", "%", "%ZZ", "eyJ", "not a cookie", "%FF%FE", String(repeating: "%41", count: 100)] {
            #expect(throws: DecryptionError.self) { try cookies.decrypt(garbage, forCookieNamed: "laravel_session") }
        }
    }

    @Test func previousKeysReadCookiesWrittenBeforeRotation() throws {
        let newKey = "base64:" + Data(repeating: 9, count: 32).base64EncodedString()
        let rotated = try CookieEncrypter(key: newKey, previousKeys: [Self.key])
        // Payload and prefix both under the old key (Laravel 11+ accepts a prefix of any key).
        #expect(try rotated.decrypt(Self.cookie, forCookieNamed: "laravel_session") == Self.value)
        let fresh = try rotated.encrypt("v", forCookieNamed: "laravel_session")
        #expect(throws: DecryptionError.authenticationFailed) {
            try CookieEncrypter(key: Self.key).decrypt(fresh, forCookieNamed: "laravel_session")
        }
    }

    @Test(arguments: [Cipher.laravelAES128CBC, .laravelAES256GCM, .xChaCha20Poly1305, .secretBox])
    func roundTripsWithEveryCipherAndSerialization(cipher: Cipher) throws {
        let keys = KeyRing(current: try EncryptionKey.generate(for: cipher))
        for serializes in [false, true] {
            let cookies = try CookieEncrypter(
                configuration: CipherConfiguration(cipher: cipher, keys: keys), serializesValues: serializes)
            for value in ["", "plain", "Zoë; = + / %3D 😀", String(repeating: "x", count: 4000)] {
                let header = try cookies.headerValue(value, forCookieNamed: "name[a]")
                #expect(!header.contains("=") && !header.contains("+") && !header.contains("/"))
                #expect(try cookies.decrypt(header, forCookieNamed: "name[a]") == value)
                #expect(throws: DecryptionError.self) { try cookies.decrypt(header, forCookieNamed: "name[b]") }
            }
            // The serialized form is PHP's s:N:"prefix|value"; the plain form is the bytes themselves.
            let encrypter = try cipher.makeEncrypter(keyRing: keys)
            let payload = try cookies.encrypt("v", forCookieNamed: "c")
            let plaintext = try encrypter.decryptString(payload)
            let prefix = cookies.prefix(forCookieNamed: "c")
            #expect(plaintext == (serializes ? "s:42:\"\(prefix)v\";" : prefix + "v"))
        }
    }

    @Test func xsrfHeaderLosesItsPrefixUnchecked() throws {
        let cookies = try CookieEncrypter(key: Self.key)
        let header = try cookies.headerValue("csrf-token-value", forCookieNamed: "XSRF-TOKEN")
        #expect(try cookies.decryptXSRFHeader(header) == "csrf-token-value")
        // Laravel does not check the prefix here: a value made for another cookie name still yields its tail.
        let other = try cookies.encrypt("tail", forCookieNamed: "laravel_session")
        #expect(try cookies.decryptXSRFHeader(other) == "tail")
        let short = try Cipher.laravelAES256CBC.makeEncrypter(key: Self.key).encryptString("short")
        #expect(throws: DecryptionError.self) { try cookies.decryptXSRFHeader(short) }
        #expect(throws: DecryptionError.self) { try cookies.decryptXSRFHeader("garbage") }
    }

    @Test func percentEncodingIsPHPs() {
        #expect(PercentEncoding.encode("aZ09-_.~ +/=%ü") == "aZ09-_.~%20%2B%2F%3D%25%C3%BC")
        #expect(PercentEncoding.decode("a%2Bb+c%3d%zz%4") == "a+b+c=%zz%4")
        #expect(PercentEncoding.decode("%FF") == nil)
    }
}
