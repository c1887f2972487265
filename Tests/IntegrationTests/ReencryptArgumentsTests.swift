#if Hummingbird && GRDB && PostgresNIO
import Foundation
import LaravelCryptoTestSupport
import ReencryptCore
import Testing

/// `crypto-reencrypt`'s arguments: database URLs, `.pgpass`, column and index specs, and `--help`.
@Suite("crypto-reencrypt: arguments")
struct ReencryptArgumentsTests {
    @Test func databaseURLs() throws {
        #expect(
            try DatabaseLocation(parsing: "sqlite:db/app.sqlite", environment: [:]) == .sqlite(path: "db/app.sqlite"))
        #expect(
            try DatabaseLocation(parsing: "sqlite:///tmp/app.sqlite", environment: [:])
                == .sqlite(path: "/tmp/app.sqlite"))
        let defaults = try DatabaseLocation(
            parsing: "postgres://",
            environment: ["PGHOST": "db", "PGPORT": "6432", "PGUSER": "app", "PGDATABASE": "main"])
        #expect(defaults.displayName == "postgres://app@db:6432/main")
        let explicit = try DatabaseLocation(
            parsing: "postgresql://ops:s%40cret@10.0.0.5/billing?sslmode=require", environment: ["PGPASSWORD": "other"])
        guard case .postgres(let server) = explicit else { Issue.record("not postgres"); return }
        #expect(
            server.password == "s@cret" && server.tls == .require && server.database == "billing" && server.port == 5432
        )
        #expect(!explicit.displayName.contains("cret") && !"\(server)".contains("cret"), "a password is never shown")
        #expect(throws: ReencryptError.self) { try DatabaseLocation(parsing: "mysql://root@db/app") }
        #expect(throws: ReencryptError.self) { try DatabaseLocation(parsing: "postgres://db/app?sslmode=sometimes") }
        #expect(throws: ReencryptError.self) { try DatabaseLocation(parsing: "sqlite:") }
        // An IPv6 address loses its brackets; a port out of range and an unknown parameter are refused.
        guard case .postgres(let ipv6) = try DatabaseLocation(parsing: "postgres://ops@[::1]:6543/app") else {
            Issue.record("not postgres")
            return
        }
        #expect(ipv6.host == "::1" && ipv6.port == 6543)
        #expect(throws: ReencryptError.invalidDatabaseURL("port 99999 is not between 1 and 65535")) {
            try DatabaseLocation(parsing: "postgres://ops@db:99999/app")
        }
        #expect(throws: ReencryptError.invalidDatabaseURL("unsupported parameter \"sslmod\" (only sslmode is read)")) {
            try DatabaseLocation(parsing: "postgres://ops@db/app?sslmod=disable")
        }
        guard case .postgres(let verified) = try DatabaseLocation(parsing: "postgres://ops@db/app?sslmode=verify-full")
        else { return }
        #expect(verified.tls == .require)
    }

    @Test func pgpassIsReadAsLibpqReadsIt() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pgpass-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(
            """
            # comment
            other:5432:app:ops:wrong
            db\\:1:5432:*:ops:colon\\:and\\\\backslash
            escaped:5432:*:ops:pa\\:ss\\\\word
            *:*:*:ops:fallback
            """.utf8
        ).write(to: URL(fileURLWithPath: path))
        func password(_ url: String) throws -> String? {
            guard case .postgres(let server) = try DatabaseLocation(parsing: url, environment: ["PGPASSFILE": path])
            else { return nil }
            return server.password
        }
        #expect(try password("postgres://ops@elsewhere/app") == "fallback")
        #expect(try password("postgres://ops@escaped/app") == "pa:ss\\word")
        #expect(try password("postgres://nobody@elsewhere/app") == nil)
        #expect(try password("postgres://ops:given@other/app") == "given", "the URL's password comes first")
    }

    @Test func columnsIndexesAndPlans() throws {
        #expect(try EncryptedColumn(parsing: "settings:json") == EncryptedColumn(name: "settings", kind: .json))
        #expect(try EncryptedColumn(parsing: "ssn").kind == .string)
        for bad in ["", "1abc", "a-b", "secret:xml", "sec ret", "x\"; DROP TABLE users; --"] {
            #expect(throws: ReencryptError.self) { try EncryptedColumn(parsing: bad) }
        }
        #expect(try IndexColumn(parsing: "email_index=email") == IndexColumn(name: "email_index", source: "email"))
        #expect(throws: ReencryptError.self) { try IndexColumn(parsing: "email_index") }
        let plan = try ReencryptionPlan(
            table: "public.users", key: "id", columns: [EncryptedColumn(name: "ssn")],
            indexes: [IndexColumn(name: "ssn_index", source: "ssn"), IndexColumn(name: "email_index", source: "email")])
        #expect(plan.selectedColumns == ["ssn", "ssn_index", "email_index", "email"])
        #expect(throws: ReencryptError.self) {
            try ReencryptionPlan(table: "users", key: "id", columns: [EncryptedColumn(name: "id")])
        }
        #expect(throws: ReencryptError.self) { try ReencryptionPlan(table: "users", key: "id", columns: []) }
        #expect(throws: ReencryptError.self) {
            try ReencryptionPlan(table: "a.b.c", key: "id", columns: [EncryptedColumn(name: "x")])
        }
    }

    @Test func helpDocumentsEveryOption() throws {
        let text = try ProcessRunner.run(ReencryptCLI.executable, ["--help"]).stdout
        for option in [
            "--database", "--table", "--key", "--column", "--index", "--env", "--cipher", "--from-cipher", "--batch",
            "--workers",
            "--dry-run", "--strict", "--json", "--quiet", "Examples:", "Exit status",
        ] {
            #expect(text.contains(option), "--help mentions \(option)")
        }
    }
}
#endif
