import Foundation
import LaravelCrypto
import LaravelCryptoTestSupport
import Testing

/// Cookies cross between this package and Laravel's real `EncryptCookies` middleware (Debian's
/// php-illuminate-cookie 8.83 on a Symfony Request/Response), both ways.
@Suite("Cookie interop with Laravel's EncryptCookies")
struct CookieInteropTests {
    static let script = Repository.root.appendingPathComponent("Fixtures/php/cookies.php").path

    static var middlewareIsUsable: Bool {
        guard peerIsUsable(.php, requirement: "PHP") else { return false }
        let probe = [
            "-r",
            "require '/usr/share/php/Illuminate/Cookie/autoload.php'; "
                + "exit(class_exists('Illuminate\\\\Cookie\\\\Middleware\\\\EncryptCookies') ? 0 : 1);",
        ]
        if (try? ProcessRunner.run(command: "php", probe, input: Data()))?.status == 0 { return true }
        let required = ProcessInfo.processInfo.environment["REQUIRE_PHP"] == "1"
        if !required { print("⚠️  SKIPPING cookie interop: php-illuminate-cookie is not installed.") }
        return required
    }

    func middleware(
        cipher: Cipher, key: [UInt8], serialize: Bool, encrypt: [String: String], decrypt: [String: String]
    ) throws -> (setCookie: [String: [String: String]], decrypted: [String: Any]) {
        let request: [String: Any] = [
            "cipher": cipher.rawValue, "key": Data(key).base64EncodedString(), "serialize": serialize,
            "encrypt": encrypt, "decrypt": decrypt,
        ]
        let result = try ProcessRunner.run(
            command: "php", [Self.script], input: try JSONSerialization.data(withJSONObject: request))
        guard result.status == 0, let answer = try JSONSerialization.jsonObject(with: result.output) as? [String: Any],
            let set = answer["set_cookie"] as? [String: [String: String]],
            let decrypted = answer["decrypted"] as? [String: Any]
        else { throw Peer.PeerError(message: "cookies.php failed: \(String(decoding: result.errors, as: UTF8.self))") }
        return (set, decrypted)
    }

    @Test(arguments: [Cipher.laravelAES256CBC, .laravelAES128GCM])
    func bothWays(cipher: Cipher) throws {
        guard Self.middlewareIsUsable else { return }
        let key = try EncryptionKey.generate(for: cipher)
        let raw = key.withUnsafeBytes { Array($0) }
        let values = [
            "laravel_session": "k2ZZpVfVxYpQn3tJc8eH0aBcDeFgHiJkLmNoPqRs", "XSRF-TOKEN": "tok+/=",
            "prefs": "Zoë; 😀 = a&b",
        ]
        for serialize in [false, true] {
            let cookies = try CookieEncrypter(
                configuration: CipherConfiguration(cipher: cipher, keys: KeyRing(current: key)),
                serializesValues: serialize)
            // Laravel sets cookies; we read the Set-Cookie headers as a browser would send them back.
            let fromLaravel = try middleware(
                cipher: cipher, key: raw, serialize: serialize, encrypt: values, decrypt: [:])
            for (name, value) in values {
                let set = try #require(fromLaravel.setCookie[name])
                let header = try #require(set["header"])
                let sent = String(header.dropFirst("Set-Cookie: \(name)=".count).prefix { $0 != ";" })
                #expect(sent == PercentEncoding(set["value"] ?? ""), "Symfony percent-encodes as we do")
                #expect(
                    try cookies.decrypt(sent, forCookieNamed: name) == value, "\(cipher) serialize=\(serialize) \(name)"
                )
                #expect(throws: DecryptionError.cookiePrefixMismatch(cookieName: "other")) {
                    try cookies.decrypt(sent, forCookieNamed: "other")
                }
            }
            // We set cookies; Laravel's middleware reads them from a Cookie header.
            var ours: [String: String] = [:]
            for (name, value) in values { ours[name] = try cookies.headerValue(value, forCookieNamed: name) }
            ours["swapped"] = ours["prefs"]
            let fromSwift = try middleware(cipher: cipher, key: raw, serialize: serialize, encrypt: [:], decrypt: ours)
            for (name, value) in values {
                #expect(
                    fromSwift.decrypted[name] as? String == value, "Laravel read our \(name) (serialize=\(serialize))")
            }
            #expect(fromSwift.decrypted["swapped"] is NSNull, "Laravel rejects a value made for another name")
        }
        print("Cookie interop \(cipher.rawValue) with Laravel's EncryptCookies: \(values.count * 4) cookies each way")
    }

    /// Percent-encoding as PHP's rawurlencode, written here independently of the package.
    func PercentEncoding(_ text: String) -> String {
        text.addingPercentEncoding(
            withAllowedCharacters: CharacterSet(
                charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")) ?? ""
    }
}
