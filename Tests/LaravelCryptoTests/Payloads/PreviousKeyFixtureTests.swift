import Foundation
import LaravelCrypto
import LaravelCryptoTestSupport
import Testing

/// Laravel 11/12 previous-key behaviour against payloads recorded from the real Laravel Encrypter
/// (`Fixtures/laravel/previous-keys.json`, made by `Fixtures/php/make-previous-key-fixtures.php`).
@Suite("Recorded Laravel previous-key fixtures")
struct PreviousKeyFixtureTests {
    struct Fixtures: Decodable {
        let cases: [Case]
        let cookies: [CookieCase]
    }

    struct CookieCase: Decodable {
        let name: String
        let serialize: Bool
        let cookie_value: String
        let read_as: String
        let APP_KEY: String
        let APP_PREVIOUS_KEYS: String
        let expected: String?
    }

    static func load() throws -> Fixtures {
        let url = Repository.root.appendingPathComponent("Fixtures/laravel/previous-keys.json")
        return try JSONDecoder().decode(Fixtures.self, from: Data(contentsOf: url))
    }

    /// Cookies from the real EncryptCookies middleware, read as Laravel 11+ reads them (a value
    /// is `null` there wherever we throw).
    @Test func everyRecordedCookie() throws {
        let fixtures = try Self.load()
        #expect(fixtures.cookies.count >= 5)
        for fixture in fixtures.cookies {
            let cookies = try CookieEncrypter(
                cipher: .laravelAES256CBC, key: fixture.APP_KEY, previousKeys: [fixture.APP_PREVIOUS_KEYS],
                serializesValues: fixture.serialize)
            let value = try? cookies.decrypt(fixture.cookie_value, forCookieNamed: fixture.read_as)
            #expect(value == fixture.expected, "\(fixture.name)")
        }
    }

    struct Case: Decodable {
        let name: String
        let cipher: String
        let APP_KEY: String
        let APP_PREVIOUS_KEYS: String
        let payload: String
        let outcome: String
        let plaintext_base64: String?
    }

    @Test func everyRecordedCase() throws {
        let fixtures = try Self.load()
        #expect(fixtures.cases.count >= 10)
        var outcomes: [String: Int] = [:]
        for fixture in fixtures.cases {
            let cipher = try #require(Cipher(configName: fixture.cipher))
            // The same path an app takes: the variables as they stand in `.env`.
            let configuration = AppConfiguration(variables: [
                "APP_KEY": fixture.APP_KEY, "APP_PREVIOUS_KEYS": fixture.APP_PREVIOUS_KEYS,
                "APP_CIPHER": fixture.cipher,
            ])
            let encrypter: any Encrypter
            do {
                encrypter = try configuration.makeEncrypter()
            } catch {
                #expect(fixture.outcome == "config-error", "\(fixture.name): \(error)")
                outcomes["config-error", default: 0] += 1
                continue
            }
            #expect(encrypter.cipher == cipher)
            switch fixture.outcome {
            case "decrypts":
                let expected = try #require(Data(base64Encoded: fixture.plaintext_base64 ?? ""))
                #expect(try encrypter.decryptBytes(fixture.payload) == Array(expected), "\(fixture.name)")
            case "decrypt-error":
                #expect(throws: DecryptionError.authenticationFailed, "\(fixture.name)") {
                    try encrypter.decryptBytes(fixture.payload)
                }
            default:
                Issue.record("\(fixture.name): expected \(fixture.outcome) but the configuration was accepted")
            }
            outcomes[fixture.outcome, default: 0] += 1
        }
        print("Recorded Laravel previous-key fixtures: \(outcomes)")
        #expect(outcomes.count == 3)
    }
}
