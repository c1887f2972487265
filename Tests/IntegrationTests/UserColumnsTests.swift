#if Hummingbird && GRDB && PostgresNIO
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LaravelCrypto
import LaravelCryptoGRDB
import LaravelCryptoPostgres
import LaravelCryptoTestSupport
import Logging
import PostgresNIO
import Testing

/// laravel-crypto's user casts (`UserEncrypted`, `UserEncryptedJson`, `UserEncryptedWithIndex`)
/// stored through GRDB and PostgresNIO, checked against the per-user PHP peer; blind-index search
/// across an `APP_KEY` rotation; the PostgreSQL user-key store behind the middleware.
@Suite("User-encrypted columns and blind-index search")
struct UserColumnsTests {
    struct Prefs: Codable, Equatable, Sendable {
        var city: String
        var tags: [String]
    }

    struct Contact: Codable, FetchableRecord, PersistableRecord, Sendable {
        static let databaseTableName = "contacts"
        enum CodingKeys: String, CodingKey {
            case id, email, prefs
            case emailIndex = "email_index"
        }

        var id: Int64
        var email: UserEncryptedString
        var emailIndex: BlindIndexValue
        var prefs: UserEncryptedJSON<Prefs>
    }

    static let peer = PerUserMiddlewareTests.perUserPeer
    static let logger = Logger(label: "UserColumnsTests")

    func peer(_ items: [[String: Any]]) throws -> [Any] {
        try Self.peer.call(cipher: "", key: [], items: items)
    }

    func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    @Test func userCastsMatchThePeerThroughSQLite() async throws {
        guard peerIsUsable(.php, requirement: "PHP") else { return }
        let path = Servers.temporarySQLitePath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(
                sql: "CREATE TABLE contacts (id INTEGER PRIMARY KEY, email TEXT, email_index BLOB, prefs TEXT)")
        }
        let key = try UserKey.generate()
        let rawKey = key.withUnsafeBytes { Data($0).base64EncodedString() }
        let email = "  Ada.Lovelace@Example.COM ", prefs = Prefs(city: "Zürich/Genève", tags: ["ü", "😀"])

        // Swift writes inside the user's context, PHP reads.
        try await UserKeyContext.withUserKey(try UserKey(token: key.token)) {
            let contact = Contact(
                id: 1, email: try UserEncryptedString(sealing: email),
                emailIndex: try BlindIndexValue(
                    of: email, column: "email", using: BlindIndex(userKey: try UserKeyContext.requireCurrent())),
                prefs: try UserEncryptedJSON(sealing: prefs))
            try await queue.write { try contact.insert($0) }
        }
        let stored = try #require(try await queue.read { try Contact.fetchOne($0, key: 1) })
        let answers = try peer([
            ["op": "user_decrypt", "key": rawKey, "payload": stored.email.ciphertext],
            ["op": "user_json_decrypt", "key": rawKey, "payload": stored.prefs.ciphertext],
            [
                "op": "blind_index", "mode": "user", "key": rawKey, "value": base64(email), "column": "email",
                "normalise": true, "context": [],
            ],
            ["op": "user_encrypt", "key": rawKey, "text": base64("from PHP")],
            ["op": "user_json_encrypt", "key": rawKey, "json": base64(#"{"city":"Köln","tags":[]}"#)],
        ])
        #expect(answers[0] as? String == base64(email))
        let json = try #require((answers[1] as? [String: Any])?["value"] as? [String: Any])
        #expect(json["city"] as? String == prefs.city && json["tags"] as? [String] == prefs.tags)
        #expect(answers[2] as? String == Data(stored.emailIndex.bytes).base64EncodedString())

        // PHP writes, Swift reads; the blind index finds the row.
        let phpEmail = try #require(answers[3] as? String), phpPrefs = try #require(answers[4] as? String)
        try await queue.write { db in
            try db.execute(
                sql: "INSERT INTO contacts (id, email, email_index, prefs) VALUES (2, ?, ?, ?)",
                arguments: [
                    phpEmail, Data(try BlindIndex(userKey: key).compute("from PHP", column: "email")), phpPrefs,
                ])
        }
        let lookup = try BlindIndexValue(of: "FROM php ", column: "email", using: BlindIndex(userKey: key))
        let found = try #require(
            try await queue.read { try Contact.filter(Column("email_index") == lookup).fetchOne($0) })
        #expect(found.id == 2)
        #expect(try found.email.decrypt(key: key) == "from PHP")
        #expect(try found.prefs.decrypt(key: key) == Prefs(city: "Köln", tags: []))
        #expect(throws: UserKeyError.missingContext) { try found.email.decrypt() }
        #expect(throws: DecryptionError.self) { try found.email.decrypt(key: try UserKey.generate()) }
    }

    /// Rows indexed under the old `APP_KEY` (by PHP) and the new one (by Swift) are both found while
    /// the key rotates, in SQLite through GRDB and in PostgreSQL through PostgresNIO.
    @Test func globalIndexSearchAcrossRotation() async throws {
        guard peerIsUsable(.php, requirement: "PHP") else { return }
        let old = try EncryptionKey.generate().exportedString(), new = try EncryptionKey.generate().exportedString()
        let oldAnswer =
            try peer([
                [
                    "op": "blind_index", "mode": "global", "appKey": old, "value": base64("ada@example.com"),
                    "column": "email", "normalise": true, "context": [],
                ]
            ]).first as? String
        let oldIndex = try #require(oldAnswer.flatMap { Data(base64Encoded: $0) })
        let search = try RotatingBlindIndex(appKey: new, previousKeys: [old])
        let newIndex = try search.current(for: "grace@example.com", column: "email")

        let path = Servers.temporarySQLitePath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(sql: "CREATE TABLE people (id INTEGER PRIMARY KEY, email_index BLOB)")
            try db.execute(sql: "INSERT INTO people VALUES (1, ?), (2, ?)", arguments: [oldIndex, newIndex])
        }
        for (email, id) in [("Ada@Example.com", 1), ("grace@example.com ", 2)] {
            let filter = try search.filter("email_index", for: email, column: "email")
            let ids = try await queue.read {
                try Int64.fetchAll($0, Table("people").select(Column("id")).filter(filter))
            }
            #expect(ids == [Int64(id)])
        }

        _ = try await Servers.withPostgres { client in
            let table = Servers.uniqueTable("people")
            try await client.query(
                "CREATE TABLE \(unescaped: table) (id bigint PRIMARY KEY, email_index bytea)", logger: Self.logger)
            let oldValue = try BlindIndexValue(bytes: Array(oldIndex))
            try await client.query(
                "INSERT INTO \(unescaped: table) VALUES (1, \(oldValue)), (2, \(newIndex))", logger: Self.logger)
            for (email, id) in [("ADA@example.com", Int64(1)), ("grace@example.com", 2)] {
                let candidates = try search.postgresCandidates(for: email, column: "email")
                let rows = try await client.query(
                    "SELECT id, email_index FROM \(unescaped: table) WHERE email_index = ANY(\(candidates))",
                    logger: Self.logger)
                var found: [Int64] = []
                for try await (rowID, index) in rows.decode((Int64, BlindIndexValue).self) {
                    #expect(search.indexes.contains { (try? $0.compute(email, column: "email")) == index.bytes })
                    found.append(rowID)
                }
                #expect(found == [id])
            }
        }
    }

    /// The middleware over ``PostgresUserKeyStore``: enrolment stores a `bytea` blob PHP unwraps, a
    /// second request unwraps it, racing enrolments agree, and an unknown user is an error.
    @Test func postgresUserKeyStoreBehindTheMiddleware() async throws {
        guard peerIsUsable(.php, requirement: "PHP") else { return }
        let tests = try PerUserMiddlewareTests()
        _ = try await Servers.withPostgres { client in
            let table = Servers.uniqueTable("users")
            try await client.query(
                "CREATE TABLE \(unescaped: table) (id bigint PRIMARY KEY, encryption_key bytea)", logger: Self.logger)
            try await client.query(
                "INSERT INTO \(unescaped: table) (id) SELECT generate_series(1, 3)", logger: Self.logger)
            let store = PostgresUserKeyStore(client: client, table: table)
            try await tests.app(store, log: KeyLog()).test(.live) { http in
                let token = try await http.execute(uri: "/key", method: .get, headers: .with([("X-User", "1")])) {
                    response in
                    try #require(response.headers[HTTPField.Name("X-Encryption-Token")!])
                }
                let blob = try #require(try await store.storedBlob(forUserID: "1"))
                let unwrapped = try Self.peer.call(
                    cipher: "", key: [],
                    items: [
                        [
                            "op": "unwrap_server", "blob": Data(blob).base64EncodedString(), "userId": "1",
                            "appKey": PerUserMiddlewareTests.appKey,
                        ]
                    ])
                #expect(
                    unwrapped.first as? String
                        == (try UserKey(token: token)).withUnsafeBytes { Data($0).base64EncodedString() })
                try await http.execute(uri: "/key", method: .get, headers: .with([("X-User", "1")])) { response in
                    #expect(response.text == token)
                }
                let port = try #require(http.port)
                let racing = try await withThrowingTaskGroup(of: String.self) { group in
                    for _ in 0..<6 {
                        group.addTask {
                            try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
                                let response = try await client.execute(
                                    .init(
                                        "/key", method: .get, authority: "localhost", headers: .with([("X-User", "2")]))
                                )
                                return String(buffer: response.body ?? .init())
                            }
                        }
                    }
                    return try await group.reduce(into: Set<String>()) { $0.insert($1) }
                }
                #expect(racing.count == 1)
            }
            #expect(try await store.storeNewBlob([1, 2, 3], forUserID: "1") == false)
            await #expect(throws: UserKeyStoreError.unknownUser("99")) {
                try await store.storeNewBlob([1], forUserID: "99")
            }
            #expect(try await store.storedBlob(forUserID: "3") == nil)
        }
    }
}
#endif
