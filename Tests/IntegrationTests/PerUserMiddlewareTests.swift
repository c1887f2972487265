#if Hummingbird && GRDB && PostgresNIO
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LaravelCrypto
import LaravelCryptoGRDB
import LaravelCryptoHummingbird
import LaravelCryptoTestSupport
import Testing

/// ``PerUserEncryptionMiddleware`` on a live Hummingbird server with a real SQLite users table
/// (GRDB), checked against the per-user PHP peer (laravel-crypto's wrapping) and Symfony's own
/// `Set-Cookie` rendering.
@Suite("Hummingbird: per-user encryption middleware")
struct PerUserMiddlewareTests {
    static let appKey = "base64:" + Data((0..<32).map { UInt8($0 * 7 % 256) }).base64EncodedString()
    static let perUserPeer = Peer(
        executable: "php", script: Repository.root.appendingPathComponent("Fixtures/php/per-user.php").path)

    let vault: UserKeyVault
    let crypt: any Encrypter

    init() throws {
        vault = try UserKeyVault(appKey: Self.appKey, cost: Argon2Cost(opsLimit: 1, memLimit: 8192 * 1024))
        crypt = try CipherConfiguration(cipher: .xChaCha20Poly1305, key: Self.appKey).makeEncrypter()
    }

    /// A server whose `/key` answers the request's key token (or `none`) and records the key, and
    /// whose `/fail` throws after recording it.
    func app(
        _ store: any UserKeyStore, log: KeyLog, configuration: PerUserEncryptionConfiguration = .init(),
        cookies: CookieEncrypter? = nil
    ) throws -> some ApplicationProtocol {
        let router = Router(context: AppContext.self)
        if let cookies { router.add(middleware: LaravelCookiesMiddleware(encrypter: cookies)) }
        router.add(middleware: HeaderAuthentication())
        router.add(
            middleware: try PerUserEncryptionMiddleware(
                vault: vault, appEncrypter: crypt, store: store, configuration: configuration))
        router.get("/key") { _, context -> String in
            guard let key = context.userKey else { return "none" }
            await log.record(key)
            #expect(UserKeyContext.current == key)
            try await Task.sleep(for: .milliseconds(5))  // lets parallel requests overlap
            return key.token
        }
        router.get("/fail") { _, context -> String in
            if let key = context.userKey { await log.record(key) }
            throw HTTPError(.internalServerError)
        }
        return Application(router: router)
    }

    /// What Symfony (Debian's php-symfony-http-foundation under Laravel 8.83) writes for Laravel's
    /// `cookie($name, $value, $minutes, '/', null, $secure, true, false, $sameSite)`.
    func symfonySetCookie(name: String, value: String, expires: Int, secure: Bool, sameSite: String?) throws -> String {
        let code = """
            require '/usr/share/php/Illuminate/Cookie/autoload.php';
            $i = json_decode(stream_get_contents(STDIN), true);
            echo (string) new Symfony\\Component\\HttpFoundation\\Cookie($i['name'], $i['value'], $i['expires'], '/', \
            null, $i['secure'], true, false, $i['sameSite']);
            """
        let input: [String: Any] = [
            "name": name, "value": value, "expires": expires, "secure": secure, "sameSite": sameSite ?? NSNull(),
        ]
        let result = try ProcessRunner.run(
            command: "php", ["-r", code], input: try JSONSerialization.data(withJSONObject: input))
        return String(decoding: result.output, as: UTF8.self)
    }

    /// `Max-Age=N` depends on the second each side rendered it, so it is compared apart. Symfony 5.4
    /// (Debian's) writes the date `03-Dec-2026`; Symfony 7, under the Laravel 11+ that laravel-crypto
    /// requires, writes `03 Dec 2026` as we do — the one difference allowed.
    func withoutMaxAge(_ line: String) -> String {
        line.replacingOccurrences(of: #"Max-Age=\d+"#, with: "Max-Age=N", options: .regularExpression)
            .replacingOccurrences(
                of: #"(\d\d)-([A-Z][a-z][a-z])-(\d{4})"#, with: "$1 $2 $3", options: .regularExpression)
    }

    @Test func enrolThenHeaderThenCookieThenStoredBlob() async throws {
        guard peerIsUsable(.php, requirement: "PHP") else { return }
        let users = try UsersDatabase(userIDs: [1])
        defer { users.remove() }
        let log = KeyLog()
        try await app(GRDBUserKeyStore(writer: users.queue), log: log).test(.live) { client in
            // 1. No blob: enrolled; the response carries the token and the cookie.
            let (token, cookieValue, setCookie) = try await client.execute(
                uri: "/key", method: .get, headers: .with([("X-User", "1")])
            ) { response in
                let token = try #require(response.headers[HTTPField.Name("X-Encryption-Token")!])
                #expect(response.text == token)
                return (
                    token, try #require(response.setCookieValue("enc_token")),
                    try #require(response.setCookie("enc_token"))
                )
            }
            #expect(token.utf8.count == 43)
            let blob = try #require(try users.blob(of: 1))
            let unwrapped = try Self.perUserPeer.call(
                cipher: "", key: [],
                items: [
                    [
                        "op": "unwrap_server", "blob": Data(blob).base64EncodedString(), "userId": "1",
                        "appKey": Self.appKey,
                    ]
                ])
            #expect(
                unwrapped.first as? String
                    == (try UserKey(token: token)).withUnsafeBytes { Data($0).base64EncodedString() })
            #expect(try crypt.decryptString(try #require(PercentEncoding.decode(cookieValue))) == token)
            let expires = try #require(Int(setCookie.split(separator: "Max-Age=")[1].prefix { $0.isNumber }))
            #expect(expires == 7200)
            let now = Int(Date().timeIntervalSince1970)
            let candidates = try (now - 2...now + 2).map {
                withoutMaxAge(
                    try symfonySetCookie(
                        name: "enc_token", value: try #require(PercentEncoding.decode(cookieValue)), expires: $0 + 7200,
                        secure: false, sameSite: "lax"))
            }
            #expect(candidates.contains(withoutMaxAge(setCookie)), "\(setCookie) vs \(candidates[2])")

            // 2. Header token: the same key, nothing written back.
            try await client.execute(
                uri: "/key", method: .get, headers: .with([("X-User", "1"), ("X-Encryption-Token", token)])
            ) { response in
                #expect(response.text == token)
                #expect(
                    response.headers[HTTPField.Name("X-Encryption-Token")!] == nil
                        && response.setCookie("enc_token") == nil)
            }
            // 3. Cookie token: the same key, nothing written back.
            try await client.execute(
                uri: "/key", method: .get, headers: .with(cookies: [("enc_token", cookieValue)], [("X-User", "1")])
            ) { response in
                #expect(response.text == token)
                #expect(response.setCookie("enc_token") == nil)
            }
            // 4. Neither: the stored server blob is unwrapped and the token sent again.
            try await client.execute(uri: "/key", method: .get, headers: .with([("X-User", "1")])) { response in
                #expect(response.text == token)
                #expect(response.headers[HTTPField.Name("X-Encryption-Token")!] == token)
            }
            #expect(try users.blob(of: 1) == blob, "the blob is written once")
            // A guest gets no key and no token.
            try await client.execute(uri: "/key", method: .get) { response in
                #expect(response.text == "none" && response.setCookie("enc_token") == nil)
            }
        }
        let keys = await log.keys
        #expect(keys.count == 4 && keys.allSatisfy(\.isWiped))
    }

    /// A token in the header or the cookie needs no database: the store is read only when the
    /// request carries no usable token, and written only on enrolment.
    @Test func tokenInTheRequestSkipsTheStore() async throws {
        let users = try UsersDatabase(userIDs: [1])
        defer { users.remove() }
        let store = CountingStore(GRDBUserKeyStore(writer: users.queue))
        try await app(store, log: KeyLog()).test(.live) { client in
            let (token, cookie) = try await client.execute(uri: "/key", method: .get, headers: .with([("X-User", "1")]))
            { response in
                (
                    try #require(response.headers[HTTPField.Name("X-Encryption-Token")!]),
                    try #require(response.setCookieValue("enc_token"))
                )
            }
            #expect(await store.counts == (1, 1))
            for _ in 0..<3 {
                try await client.execute(
                    uri: "/key", method: .get, headers: .with([("X-User", "1"), ("X-Encryption-Token", token)])
                ) { response in
                    #expect(response.text == token)
                }
                try await client.execute(
                    uri: "/key", method: .get, headers: .with(cookies: [("enc_token", cookie)], [("X-User", "1")])
                ) { response in
                    #expect(response.text == token)
                }
            }
            #expect(await store.counts == (1, 1))
            // A forged token falls through to the stored blob: one more read, no write.
            try await client.execute(
                uri: "/key", method: .get, headers: .with([("X-User", "1"), ("X-Encryption-Token", "forged")])
            ) { response in
                #expect(response.text == token)
            }
            #expect(await store.counts == (2, 1))
        }
    }

    /// A password-wrapped blob is never replaced (upstream would, losing the data): without a token
    /// the request runs without a key, or is refused when so configured; with its token it works.
    @Test func passwordBlobIsNeverReplaced() async throws {
        let users = try UsersDatabase(userIDs: [2])
        defer { users.remove() }
        let key = try UserKey.generate()
        let token = key.token
        let blob = try vault.wrap(key, password: "correct horse")
        try users.setBlob(blob, of: 2)
        let store = GRDBUserKeyStore(writer: users.queue)
        try await app(store, log: KeyLog()).test(.live) { client in
            try await client.execute(uri: "/key", method: .get, headers: .with([("X-User", "2")])) { response in
                #expect(response.status == .ok && response.text == "none")
                #expect(response.setCookie("enc_token") == nil)
            }
            try await client.execute(
                uri: "/key", method: .get, headers: .with([("X-User", "2"), ("X-Encryption-Token", token)])
            ) { response in
                #expect(response.text == token)
            }
        }
        var strict = PerUserEncryptionConfiguration()
        strict.missingKeyPolicy = .reject(status: 423)
        try await app(store, log: KeyLog(), configuration: strict).test(.live) { client in
            try await client.execute(uri: "/key", method: .get, headers: .with([("X-User", "2")])) { response in
                #expect(response.status.code == 423)
            }
        }
        #expect(try users.blob(of: 2) == blob)
    }

    /// Forged headers and cookies are ignored (the stored blob answers); a damaged stored blob
    /// follows the policy; a handler that throws still has its key wiped. Nothing crashes.
    @Test func forgedInputsAndErrors() async throws {
        let users = try UsersDatabase(userIDs: [3, 4])
        defer { users.remove() }
        let key = try UserKey.generate()
        let token = key.token
        try users.setBlob(try vault.wrap(key, userID: "3"), of: 3)
        var damaged = try vault.wrap(try UserKey.generate(), userID: "4")
        damaged[damaged.count - 1] ^= 1
        try users.setBlob(damaged, of: 4)
        let log = KeyLog()
        try await app(GRDBUserKeyStore(writer: users.queue), log: log).test(.live) { client in
            let forged: [[(String, String)]] = [
                [("X-Encryption-Token", "!!!")], [("X-Encryption-Token", String(repeating: "A", count: 42))],
                [("X-Encryption-Token", "")], [("Cookie", "enc_token=garbage")],
                [("Cookie", "enc_token=" + (try crypt.encryptString("short")))],
                [("Cookie", "enc_token=%FF%FE")],
            ]
            for fields in forged {
                try await client.execute(uri: "/key", method: .get, headers: .with([("X-User", "3")] + fields)) {
                    response in
                    #expect(response.status == .ok && response.text == token)
                }
            }
            try await client.execute(uri: "/key", method: .get, headers: .with([("X-User", "4")])) { response in
                #expect(response.status == .ok && response.text == "none")
            }
            try await client.execute(uri: "/fail", method: .get, headers: .with([("X-User", "3")])) { response in
                #expect(response.status == .internalServerError)
            }
        }
        let keys = await log.keys
        #expect(keys.count == 7 && keys.allSatisfy(\.isWiped))
        #expect(try users.blob(of: 4) == damaged, "a blob that does not open is never overwritten")
    }

    /// 64 parallel requests on their own connections, each with its user's token, each see only
    /// their own key; 8 parallel first requests of one user all end up with the one stored key.
    @Test func parallelRequestsSeeOnlyTheirOwnKey() async throws {
        let users = try UsersDatabase(userIDs: Array(1...65))
        defer { users.remove() }
        let tokens = try (1...64).map { _ in try UserKey.generate().token }
        try await app(GRDBUserKeyStore(writer: users.queue), log: KeyLog()).test(.live) { client in
            let port = try #require(client.port)
            let answers = try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for (index, token) in tokens.enumerated() {
                    group.addTask {
                        try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
                            let headers = HTTPFields.with([("X-User", "\(index + 1)"), ("X-Encryption-Token", token)])
                            let response = try await client.execute(
                                .init("/key", method: .get, authority: "localhost", headers: headers))
                            return (index, String(buffer: response.body ?? .init()))
                        }
                    }
                }
                return try await group.reduce(into: [Int: String]()) { $0[$1.0] = $1.1 }
            }
            #expect(answers.count == 64 && answers.allSatisfy { tokens[$0.key] == $0.value })

            let racing = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
                            let response = try await client.execute(
                                .init("/key", method: .get, authority: "localhost", headers: .with([("X-User", "65")])))
                            return String(buffer: response.body ?? .init())
                        }
                    }
                }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            let stored = try vault.unwrap(try #require(try users.blob(of: 65)), userID: "65")
            #expect(racing == [stored.token], "every racing enrolment uses the first stored key")
        }
    }

    /// With Laravel's cookie layer around it (EncryptCookies covers `enc_token`, Laravel's default),
    /// the cookie carries both layers, Laravel's middleware opens the outer one, and the cookie
    /// sent back works.
    @Test func underLaravelsCookieLayer() async throws {
        guard peerIsUsable(.php, requirement: "PHP") else { return }
        let users = try UsersDatabase(userIDs: [7])
        defer { users.remove() }
        let cookieKey = try EncryptionKey.generate(for: .laravelAES256CBC)
        let cookies = try CookieEncrypter(key: cookieKey.exportedString())
        try await app(GRDBUserKeyStore(writer: users.queue), log: KeyLog(), cookies: cookies).test(.live) { client in
            let (token, outer) = try await client.execute(uri: "/key", method: .get, headers: .with([("X-User", "7")]))
            { response in
                (response.text, try #require(response.setCookieValue("enc_token")))
            }
            let opened = try CookiesMiddlewareTests().laravel(
                key: cookieKey, serialize: false, decrypt: ["enc_token": outer]
            ).decrypted
            let inner = try #require(opened["enc_token"] as? String)
            #expect(try crypt.decryptString(inner) == token)
            try await client.execute(
                uri: "/key", method: .get, headers: .with(cookies: [("enc_token", outer)], [("X-User", "7")])
            ) { response in
                #expect(response.text == token && response.setCookie("enc_token") == nil)
            }
        }
    }

    @Test func configurationFromEnvironment() throws {
        let configuration = try PerUserEncryptionConfiguration(environment: [
            "CRYPTO_PER_USER_TOKEN_HEADER": "X-Key", "CRYPTO_PER_USER_COOKIE_NAME": "null",
            "CRYPTO_PER_USER_COOKIE_ENCRYPT": "false",
            "CRYPTO_PER_USER_COOKIE_TTL": "0", "SESSION_SECURE_COOKIE": "true",
            "CRYPTO_PER_USER_COOKIE_SAME_SITE": "Strict",
        ])
        #expect(
            configuration.tokenHeader == "X-Key" && configuration.cookieName == nil && !configuration.encryptsCookie)
        #expect(
            configuration.cookieLifetimeMinutes == 0 && configuration.secureCookie && configuration.sameSite == .strict)
        #expect(
            throws: PerUserEncryptionConfigurationError.invalidValue(
                variable: "CRYPTO_PER_USER_COOKIE_TTL", value: "two")
        ) {
            try PerUserEncryptionConfiguration(environment: ["CRYPTO_PER_USER_COOKIE_TTL": "two"])
        }
        let defaults = try PerUserEncryptionConfiguration(environment: [:])
        #expect(
            defaults.tokenHeader == "X-Encryption-Token" && defaults.cookieName == "enc_token"
                && defaults.cookieLifetimeMinutes == 120)
    }
}
#endif
