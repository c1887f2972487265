// A Hummingbird 2 server beside a Laravel app (README, "Server integration"): it reads Laravel's
// session cookie, serves the signed-in user's profile — encrypted under their per-user key — from
// PostgreSQL, and finds users by blind index while APP_KEY rotates. Needs the traits:
//   swift run --traits Hummingbird,PostgresNIO ProfileServer          demo: seed, serve, call itself, clean up
//   swift run --traits Hummingbird,PostgresNIO ProfileServer serve    serve the Laravel app's own database
// PostgreSQL from PGHOST/PGPORT/PGUSER/PGPASSWORD/PGDATABASE; keys from APP_KEY/APP_PREVIOUS_KEYS/
// APP_CIPHER as in Laravel's .env. The tables are Laravel's (`users`, `sessions` of the database
// session driver) plus `users.email_index` (bytea) and `profiles(user_id, phone, address)`.
#if Hummingbird && PostgresNIO
import Foundation
import Hummingbird
import LaravelCrypto
import LaravelCryptoHummingbird
import LaravelCryptoPostgres
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import PostgresNIO
import ServiceLifecycle

// snippet.show
/// What a request carries through the middleware: Laravel's decrypted cookies, the signed-in user
/// and, once found, their key.
struct ProfileContext: LaravelCookiesRequestContext, PerUserEncryptionRequestContext {
    var coreContext: CoreRequestContextStorage
    var laravelCookies = LaravelRequestCookies()
    var encryptionUserID: String?
    var userKey: UserKey?
    init(source: Source) { coreContext = .init(source: source) }
}

/// Laravel's `database` session driver: the decrypted `laravel_session` cookie is a `sessions.id`
/// whose `user_id` is the signed-in user.
struct LaravelSessionUser: RouterMiddleware {
    let database: PostgresClient

    func handle(
        _ request: Request, context: ProfileContext, next: (Request, ProfileContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        if let sessionID = context.laravelCookies["laravel_session"] {
            let rows = try await database.query("SELECT user_id FROM sessions WHERE id = \(sessionID)")
            for try await userID in rows.decode(Int64?.self) { context.encryptionUserID = userID.map { String($0) } }
        }
        return try await next(request, context)
    }
}

/// A postal address, stored the way laravel-crypto's `UserEncryptedJson` cast stores it.
struct Address: Codable, Sendable, Equatable {
    var street: String
    var city: String
}

/// `GET /profile`: the user's fields, decrypted with their key.
struct Profile: ResponseCodable, Equatable {
    var phone: String
    var address: Address
}

/// `GET /users/search?email=…`: who has that address, found without decrypting anything.
struct SearchResult: ResponseCodable, Equatable {
    var userIDs: [Int64]
}

/// Laravel's cookies → the session's user → their key (header, cookie, stored blob, enrolment) → handlers.
func makeRouter(database: PostgresClient, environment: AppConfiguration) throws -> Router<ProfileContext> {
    let crypt = try environment.cipherConfiguration()  // Laravel's `Crypt`: APP_CIPHER, APP_KEY, APP_PREVIOUS_KEYS
    let appKey = environment["APP_KEY"] ?? ""
    let previousKeys = (environment["APP_PREVIOUS_KEYS"] ?? "").split(separator: ",").map(String.init)
    let emailIndex = try RotatingBlindIndex(appKey: appKey, previousKeys: previousKeys)

    let router = Router(context: ProfileContext.self)
    router.add(middleware: LaravelCookiesMiddleware(encrypter: try CookieEncrypter(configuration: crypt)))
    router.add(middleware: LaravelSessionUser(database: database))
    router.add(middleware: try PerUserEncryptionMiddleware(
        vault: try UserKeyVault(appKey: appKey), appEncrypter: try crypt.makeEncrypter(),
        store: PostgresUserKeyStore(client: database)))

    router.get("profile") { _, context -> Profile in
        guard let userID = context.encryptionUserID.flatMap({ Int64($0) }), let key = context.userKey else {
            throw HTTPError(.unauthorized)
        }
        let rows = try await database.query("SELECT phone, address FROM profiles WHERE user_id = \(userID)")
        for try await (phone, address) in rows.decode((UserEncryptedString, UserEncryptedJSON<Address>).self) {
            return Profile(phone: try phone.decrypt(key: key), address: try address.decrypt(key: key))
        }
        throw HTTPError(.notFound)
    }
    router.get("users/search") { request, _ -> SearchResult in
        let email = try request.uri.queryParameters.require("email")
        let candidates = try emailIndex.postgresCandidates(for: email, column: "email")  // current and previous keys
        let rows = try await database.query("SELECT id FROM users WHERE email_index = ANY(\(candidates)) ORDER BY id")
        var ids: [Int64] = []
        for try await id in rows.decode(Int64.self) { ids.append(id) }
        return SearchResult(userIDs: ids)
    }
    return router
}
// snippet.end

// snippet.hide
/// A failed demo step.
struct DemoFailure: Error, CustomStringConvertible {
    let description: String
}

/// PostgreSQL from the libpq variables, or `nil` (with a notice) when none is configured.
func postgresConfiguration(searchPath: String?) -> PostgresClient.Configuration? {
    let environment = ProcessInfo.processInfo.environment
    guard let host = environment["PGHOST"] else { return nil }
    var configuration = PostgresClient.Configuration(
        host: host, port: environment["PGPORT"].flatMap { Int($0) } ?? 5432,
        username: environment["PGUSER"] ?? "postgres",
        password: environment["PGPASSWORD"], database: environment["PGDATABASE"] ?? "postgres", tls: .disable)
    if let searchPath { configuration.options.additionalStartupParameters = [("search_path", searchPath)] }
    return configuration
}

/// Runs `body` with a running client.
func withDatabase<R: Sendable>(
    _ configuration: PostgresClient.Configuration, _ body: @escaping @Sendable (PostgresClient) async throws -> R
) async throws -> R {
    let client = PostgresClient(configuration: configuration)
    return try await withThrowingTaskGroup(of: R?.self) { group in
        group.addTask {
            await client.run()
            return nil
        }
        defer { group.cancelAll() }
        return try await body(client)
    }
}

/// One HTTP/1.1 GET on its own loopback connection: status, headers and body.
func get(
    _ path: String, port: Int, headers: [(String, String)] = []
) async throws -> (HTTPResponseStatus, HTTPHeaders, String) {
    let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .connect(host: "127.0.0.1", port: port) { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHTTPClientHandlers()
                return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                    wrappingChannelSynchronously: channel)
            }
        }
    return try await channel.executeThenClose { inbound, outbound in
        var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path)
        head.headers.add(name: "Host", value: "127.0.0.1")
        head.headers.add(name: "Connection", value: "close")
        for (name, value) in headers { head.headers.add(name: name, value: value) }
        try await outbound.write(.head(head))
        try await outbound.write(.end(nil))
        var response: HTTPResponseHead?
        var body = ByteBuffer()
        for try await part in inbound {
            switch part {
            case .head(let head): response = head
            case .body(var chunk): body.writeBuffer(&chunk)
            case .end: break
            }
        }
        guard let response else { throw DemoFailure(description: "no response to GET \(path)") }
        return (response.status, response.headers, String(buffer: body))
    }
}

/// Seeds a throw-away schema, serves it on an ephemeral port, makes the requests a browser and an
/// API client would, checks the answers and drops the schema.
func runDemo() async throws {
    let schema = "laravel_crypto_profile_demo"
    guard let setup = postgresConfiguration(searchPath: nil),
        let configuration = postgresConfiguration(searchPath: schema)
    else {
        if ProcessInfo.processInfo.environment["REQUIRE_POSTGRES"] == "1" {
            throw DemoFailure(description: "REQUIRE_POSTGRES=1 but PGHOST is not set")
        }
        print("skipped: set PGHOST (and PGPORT, PGUSER, PGDATABASE) to run the demo against PostgreSQL")
        return
    }
    // The app's keys: APP_KEY was rotated once, so Ada's search index is still under the old key.
    let oldKey = try EncryptionKey.generate(for: .xChaCha20Poly1305).exportedString()
    let appKey = try EncryptionKey.generate(for: .xChaCha20Poly1305).exportedString()
    let environment = AppConfiguration(variables: [
        "APP_KEY": appKey, "APP_PREVIOUS_KEYS": oldKey, "APP_CIPHER": "Sodium_XChaCha20Poly1305",
    ])
    try await withDatabase(setup) { database in
        try await database.query("DROP SCHEMA IF EXISTS \(unescaped: schema) CASCADE")
        try await database.query("CREATE SCHEMA \(unescaped: schema)")
    }
    do {
        try await exercise(configuration: configuration, environment: environment, appKey: appKey, oldKey: oldKey)
    } catch {
        try? await withDatabase(setup) { _ = try await $0.query("DROP SCHEMA IF EXISTS \(unescaped: schema) CASCADE") }
        throw error
    }
    try await withDatabase(setup) { _ = try await $0.query("DROP SCHEMA IF EXISTS \(unescaped: schema) CASCADE") }
}

/// Seeds the schema, serves it and checks the answers.
func exercise(
    configuration: PostgresClient.Configuration, environment: AppConfiguration, appKey: String, oldKey: String
) async throws {
    let (laravelSession, expected) = try await withDatabase(configuration) { database in
        for statement in [
            "CREATE TABLE users (id bigint PRIMARY KEY, email_index bytea, encryption_key bytea)",
            "CREATE TABLE sessions (id varchar(255) PRIMARY KEY, user_id bigint, payload text NOT NULL, last_activity integer NOT NULL)",
            "CREATE TABLE profiles (user_id bigint PRIMARY KEY, phone text, address text)",
        ] {
            try await database.query(PostgresQuery(unsafeSQL: statement))
        }
        // What the Laravel app wrote: Ada enrolled (server-wrapped key) with a profile, Grace not yet.
        let vault = try UserKeyVault(appKey: appKey)
        let ada = try UserKey.generate()
        let adaIndex = try RotatingBlindIndex(appKey: oldKey).current(for: "ada@example.com", column: "email")
        let graceIndex = try RotatingBlindIndex(appKey: appKey).current(for: "grace@example.com", column: "email")
        let blob = ByteBuffer(bytes: try vault.wrap(ada, userID: "1"))
        try await database.query("INSERT INTO users VALUES (1, \(adaIndex), \(blob)), (2, \(graceIndex), NULL)")
        let profile = Profile(
            phone: "+44 20 7946 0000", address: Address(street: "12 St James's Square", city: "London"))
        let phone = try UserEncryptedString(sealing: profile.phone, key: ada)
        let address = try UserEncryptedJSON(sealing: profile.address, key: ada)
        try await database.query("INSERT INTO profiles VALUES (1, \(phone), \(address))")
        let sessionID = String((0..<40).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789".randomElement() ?? "a" })
        try await database.query(
            "INSERT INTO sessions VALUES (\(sessionID), 1, '', \(Int(Date().timeIntervalSince1970)))")
        // The cookie Laravel's EncryptCookies sets for that session.
        let cookie = try CookieEncrypter(configuration: environment.cipherConfiguration())
            .headerValue(sessionID, forCookieNamed: "laravel_session")
        return (cookie, profile)
    }

    try await withDatabase(configuration) { database in
        var logger = Logger(label: "ProfileServer")
        logger.logLevel = .warning
        let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: try makeRouter(database: database, environment: environment),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { portContinuation.yield($0.localAddress?.port ?? 0) },
            logger: logger)
        let services = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            defer { group.cancelAll() }
            var ports = portStream.makeAsyncIterator()
            guard let port = await ports.next() else { throw DemoFailure(description: "the server did not start") }

            // 1. A browser with Laravel's session cookie: the key comes from the stored blob, and the
            //    response hands the token back (header and enc_token cookie).
            let cookie = "laravel_session=\(laravelSession)"
            let (status, headers, body) = try await get("/profile", port: port, headers: [("Cookie", cookie)])
            guard status == .ok, try JSONDecoder().decode(Profile.self, from: Data(body.utf8)) == expected,
                let token = headers.first(name: "X-Encryption-Token"),
                headers["Set-Cookie"].contains(where: { $0.hasPrefix("enc_token=") })
            else { throw DemoFailure(description: "GET /profile with the session cookie: \(status) \(body)") }
            print("profile via session cookie: \(body)")

            // 2. An API client sends the token back: no database read for the key, nothing set.
            let (again, againHeaders, againBody) = try await get(
                "/profile", port: port, headers: [("Cookie", cookie), ("X-Encryption-Token", token)])
            let decoded = try JSONDecoder().decode(Profile.self, from: Data(againBody.utf8))
            guard again == .ok, decoded == expected, againHeaders.first(name: "X-Encryption-Token") == nil else {
                throw DemoFailure(description: "GET /profile with the token: \(again) \(againBody)")
            }
            print("profile via X-Encryption-Token: same")

            // 3. Search across the rotation: Ada's index is under the previous key, Grace's the current.
            for (email, id) in [("Ada@Example.com", Int64(1)), ("grace@example.com", 2)] {
                let (_, _, found) = try await get("/users/search?email=\(email)", port: port)
                guard try JSONDecoder().decode(SearchResult.self, from: Data(found.utf8)).userIDs == [id] else {
                    throw DemoFailure(description: "search for \(email): \(found)")
                }
                print("search \(email): \(found)")
            }
            // 4. No session: no user, no key.
            let (guest, _, _) = try await get("/profile", port: port)
            guard guest == .unauthorized else {
                throw DemoFailure(description: "GET /profile without a session: \(guest)")
            }
            print("without a session: \(guest.code)")
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
        }
    }
}

/// Serves the Laravel app's own database on 127.0.0.1:8080 until interrupted.
func serve() async throws {
    guard let configuration = postgresConfiguration(searchPath: nil) else {
        throw DemoFailure(description: "set PGHOST, PGPORT, PGUSER, PGPASSWORD and PGDATABASE")
    }
    try await withDatabase(configuration) { database in
        let app = Application(
            router: try makeRouter(database: database, environment: .fromEnvironment()),
            configuration: .init(address: .hostname("127.0.0.1", port: 8080)))
        try await app.runService()
    }
}

do {
    if CommandLine.arguments.dropFirst().first == "serve" { try await serve() } else { try await runDemo() }
} catch {
    print("ProfileServer: \(error)")
    exit(1)
}
#else
print("skipped: build with --traits Hummingbird,PostgresNIO")
#endif
