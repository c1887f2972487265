#if Hummingbird && GRDB && PostgresNIO
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LaravelCrypto
import LaravelCryptoHummingbird
import LaravelCryptoTestSupport
import Testing

/// ``LaravelCookiesMiddleware`` on a live Hummingbird server against Laravel's real `EncryptCookies`
/// (`Fixtures/php/cookies.php`: Debian's php-illuminate-cookie 8.83 on Symfony 5.4).
@Suite("Hummingbird: Laravel cookies middleware")
struct CookiesMiddlewareTests {
    static let script = Repository.root.appendingPathComponent("Fixtures/php/cookies.php").path

    /// Laravel's middleware: encrypts `encrypt` as response cookies, decrypts `decrypt` (raw values).
    func laravel(
        key: EncryptionKey, serialize: Bool, encrypt: [String: String] = [:], decrypt: [String: String] = [:]
    ) throws -> (set: [String: String], decrypted: [String: Any]) {
        let request: [String: Any] = [
            "cipher": "aes-256-cbc", "key": key.withUnsafeBytes { Data($0).base64EncodedString() },
            "serialize": serialize,
            "encrypt": encrypt, "decrypt": decrypt,
        ]
        let result = try ProcessRunner.run(
            command: "php", [Self.script], input: try JSONSerialization.data(withJSONObject: request))
        guard result.status == 0, let answer = try JSONSerialization.jsonObject(with: result.output) as? [String: Any],
            let set = answer["set_cookie"] as? [String: [String: String]],
            let decrypted = answer["decrypted"] as? [String: Any]
        else { throw Peer.PeerError(message: "cookies.php failed: \(String(decoding: result.errors, as: UTF8.self))") }
        // The raw (percent-encoded) value from each `Set-Cookie: name=value; …` header.
        let values = set.mapValues { String($0["header"]!.split(separator: "=", maxSplits: 1)[1].prefix { $0 != ";" }) }
        return (values, decrypted)
    }

    /// A server that echoes what the middleware decrypted and sets `outgoing` cookies (plain values).
    func app(_ encrypter: CookieEncrypter, except: Set<String> = [], outgoing: [(String, String)] = [])
        -> some ApplicationProtocol
    {
        let router = Router(context: AppContext.self)
        router.add(middleware: LaravelCookiesMiddleware(encrypter: encrypter, except: except))
        router.get("/cookies") { _, context -> String in
            let cookies = context.laravelCookies
            let answer: [String: Any] = [
                "cookies": cookies.all, "rejected": cookies.rejected.sorted(), "xsrf": cookies.xsrfToken ?? NSNull(),
            ]
            return String(decoding: try JSONSerialization.data(withJSONObject: answer), as: UTF8.self)
        }
        router.get("/set") { _, _ -> Response in
            var response = Response(status: .ok)
            for (name, value) in outgoing {
                response.setCookie(Cookie(name: name, value: PercentEncoding.encode(value)))
            }
            return response
        }
        return Application(router: router)
    }

    static let values = [
        "laravel_session": "k2ZZpVfVxYpQn3tJc8eH0aBcDeFgHiJkLmNoPqRs", "XSRF-TOKEN": "csrf+/=token",
        "prefs": "Zoë; 😀 = a&b",
    ]

    @Test(arguments: [false, true])
    func laravelCookiesReachHandlers(serialize: Bool) async throws {
        guard peerIsUsable(.php, requirement: "PHP") else { return }
        let key = try EncryptionKey.generate(for: .laravelAES256CBC)
        let made = try laravel(key: key, serialize: serialize, encrypt: Self.values).set
        let encrypter = try CookieEncrypter(key: key.exportedString(), serializesValues: serialize)
        // Laravel's XSRF-TOKEN cookie value, as its JavaScript sends it back (URI-decoded).
        let xsrfCookie = try #require(made["XSRF-TOKEN"])
        let xsrf = try #require(PercentEncoding.decode(xsrfCookie))
        let swapped = try #require(made["prefs"])  // made for "prefs", sent as "theme"
        let cookies =
            made.map { ($0.key, $0.value) } + [
                ("theme", swapped), ("forged", "eyJpdiI6IkFBQUEifQ%3D%3D"), ("plain", "a%20b"),
            ]
        try await app(encrypter, except: ["plain"]).test(.live) { client in
            try await client.execute(
                uri: "/cookies", method: .get, headers: .with(cookies: cookies, [("X-XSRF-TOKEN", xsrf)])
            ) { response in
                #expect(response.status == .ok)
                let answer = try #require(
                    try JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [String: Any])
                var expected = Self.values
                expected["plain"] = "a b"
                #expect(answer["cookies"] as? [String: String] == expected)
                #expect(answer["rejected"] as? [String] == ["forged", "theme"])
                #expect(answer["xsrf"] as? String == "csrf+/=token")
            }
        }
    }

    @Test(arguments: [false, true])
    func serverCookiesReachLaravel(serialize: Bool) async throws {
        guard peerIsUsable(.php, requirement: "PHP") else { return }
        let key = try EncryptionKey.generate(for: .laravelAES256CBC)
        let encrypter = try CookieEncrypter(key: key.exportedString(), serializesValues: serialize)
        let outgoing = Self.values.map { ($0.key, $0.value) } + [("plain", "left alone")]
        let received = try await app(encrypter, except: ["plain"], outgoing: outgoing).test(.live) { client in
            try await client.execute(uri: "/set", method: .get) { response in
                #expect(response.setCookieValue("plain") == PercentEncoding.encode("left alone"))
                return Self.values.keys.reduce(into: [String: String]()) { $0[$1] = response.setCookieValue($1) }
            }
        }
        let decrypted = try laravel(key: key, serialize: serialize, decrypt: received).decrypted
        #expect(decrypted as? [String: String] == Self.values)
    }

    /// Names are read as PHP reads them: never percent-decoded, `.` as `_`, and a name that only
    /// those rules turn into `__Host-…` dropped (PHP's fix for CVE-2022-31629). A cookie set
    /// without the browser's `__Host-` guarantees (from a sibling subdomain, or over plain HTTP)
    /// cannot replace one: the middleware used to decode `%5F_Host-session` into `__Host-session`,
    /// and the later of the two won.
    @Test func lookAlikeNamesCannotReplaceAHostCookie() async throws {
        guard peerIsUsable(.php, requirement: "PHP") else { return }
        let key = try EncryptionKey.generate(for: .laravelAES256CBC)
        let victim = try laravel(key: key, serialize: false, encrypt: ["__Host-session": "victim", "a.b": "dotted"]).set
        // The attacker's own, valid `__Host-session` value, planted under look-alike names.
        let planted = try #require(
            try laravel(key: key, serialize: false, encrypt: ["__Host-session": "attacker"]).set["__Host-session"])
        let cookies = [
            ("__Host-session", try #require(victim["__Host-session"])), ("%5F_Host-session", planted),
            ("_.Host-session", planted), ("a.b", try #require(victim["a.b"])),
        ]
        let encrypter = try CookieEncrypter(key: key.exportedString())
        try await app(encrypter).test(.live) { client in
            try await client.execute(uri: "/cookies", method: .get, headers: .with(cookies: cookies)) { response in
                let answer = try #require(
                    try JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [String: Any])
                #expect(answer["cookies"] as? [String: String] == ["__Host-session": "victim"])
                // PHP names the `a.b` cookie `a_b`, so its prefix (made for `a.b`) fails there too.
                #expect(answer["rejected"] as? [String] == ["%5F_Host-session", "a_b"])
            }
        }
    }

    /// Array cookies as Laravel 9+'s `EncryptCookies` reads them (Debian's 8.83 skips them, so the
    /// values come from ``CookieEncrypter``): each element under its own name; one made for another
    /// name is dropped alone, one that does not decrypt drops its whole cookie.
    @Test func arrayCookiesFollowLaravelsRules() async throws {
        let encrypter = try CookieEncrypter(key: EncryptionKey.generate(for: .laravelAES256CBC).exportedString())
        func made(_ value: String, for name: String) throws -> String {
            try encrypter.headerValue(value, forCookieNamed: name)
        }
        let cookies = [
            ("cart[id]", try made("7", for: "cart[id]")), ("cart[qty]", try made("2", for: "cart[qty]")),
            ("list[x]", try made("moved", for: "list[y]")), ("list[y]", try made("kept", for: "list[y]")),
            ("other[a]", try made("lost", for: "other[a]")), ("other[b]", "eyJpdiI6IkFBQUEifQ%3D%3D"),
            ("a.b[c]", try made("dotted", for: "a_b[c]")),
        ]
        try await app(encrypter).test(.live) { client in
            try await client.execute(uri: "/cookies", method: .get, headers: .with(cookies: cookies)) { response in
                let answer = try #require(
                    try JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [String: Any])
                #expect(
                    answer["cookies"] as? [String: String]
                        == ["cart[id]": "7", "cart[qty]": "2", "list[y]": "kept", "a_b[c]": "dotted"])
                #expect(answer["rejected"] as? [String] == ["list[x]", "other[a]", "other[b]"])
            }
        }
    }

    /// A cookie made under the previous key still reads while keys rotate; new ones use the current key.
    @Test func previousKeysKeepCookiesReadable() async throws {
        guard peerIsUsable(.php, requirement: "PHP") else { return }
        let old = try EncryptionKey.generate(for: .laravelAES256CBC),
            new = try EncryptionKey.generate(for: .laravelAES256CBC)
        let made = try laravel(key: old, serialize: false, encrypt: ["laravel_session": "s1"]).set
        let ring = try CookieEncrypter(key: new.exportedString(), previousKeys: [old.exportedString()])
        try await app(ring, outgoing: [("fresh", "v2")]).test(.live) { client in
            try await client.execute(
                uri: "/cookies", method: .get, headers: .with(cookies: made.map { ($0.key, $0.value) })
            ) { response in
                let answer = try #require(
                    try JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [String: Any])
                #expect(answer["cookies"] as? [String: String] == ["laravel_session": "s1"])
            }
            try await client.execute(uri: "/set", method: .get) { response in
                let value = try #require(response.setCookieValue("fresh"))
                #expect(
                    try laravel(key: new, serialize: false, decrypt: ["fresh": value]).decrypted["fresh"] as? String
                        == "v2")
            }
        }
    }
}
#endif
