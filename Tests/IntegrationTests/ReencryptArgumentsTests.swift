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
        #expect(
            throws: ReencryptError.invalidDatabaseURL(
                "unsupported parameter \"sslmod\" (only sslmode, sslrootcert, sslcert, sslkey, sslpassword, host and port are read)"
            )
        ) {
            try DatabaseLocation(parsing: "postgres://ops@db/app?sslmod=disable")
        }
        // Neither password of a URL that cannot be read is repeated.
        #expect(
            throws: ReencryptError.invalidDatabaseURL(
                "expected sqlite:PATH or postgres://USER@HOST:PORT/DATABASE, got \"mysql://ops:***@db/app?sslpassword=***&x=1\""
            )
        ) {
            try DatabaseLocation(parsing: "mysql://ops:pw@db/app?sslpassword=s3cret&x=1")
        }
    }

    /// A host that is a folder names the server's Unix-domain socket, as in libpq: from the
    /// `host` parameter, a percent-encoded host, or `PGHOST`.
    @Test func unixSocketURLs() throws {
        func server(_ url: String, _ environment: [String: String] = [:]) throws -> PostgresLocation? {
            guard case .postgres(let server) = try DatabaseLocation(parsing: url, environment: environment) else {
                return nil
            }
            return server
        }
        let byParameter = try server("postgres://app@/billing?host=/var/run/postgresql&sslmode=require")
        #expect(byParameter?.socketPath == "/var/run/postgresql/.s.PGSQL.5432")
        #expect(byParameter?.tls == .disable, "libpq uses no TLS on a Unix-domain socket")
        #expect(byParameter?.database == "billing" && byParameter?.user == "app")
        #expect(byParameter?.description == "postgres://app@/billing?host=/var/run/postgresql&port=5432")
        #expect(try server("postgres://app@%2Ftmp%2Fpg:6000/billing")?.socketPath == "/tmp/pg/.s.PGSQL.6000")
        #expect(
            try server("postgres:///billing?port=6001", ["PGHOST": "/tmp/pg"])?.socketPath == "/tmp/pg/.s.PGSQL.6001")
        #expect(try server("postgres://app@db/billing?port=6002")?.port == 6002)
        #expect(
            try server("postgres://app@db/billing", ["PGHOST": "/tmp/pg"])?.socketPath == nil, "the URL's host wins")
        #expect(throws: ReencryptError.invalidDatabaseURL("port \"five\" is not a number")) {
            try server("postgres://app@db/billing?port=five")
        }
        // .pgpass calls a socket's host localhost.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pgpass-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("localhost:5432:billing:app:from-pgpass\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(
            try server("postgres://app@/billing?host=/var/run/postgresql", ["PGPASSFILE": path])?.password
                == "from-pgpass")
    }

    /// Without `--database`: the database Laravel's default `config/database.php` reads from `.env`.
    @Test func laravelDatabaseSettings() throws {
        func location(_ variables: [String: String], _ environment: [String: String] = [:]) throws -> DatabaseLocation {
            try DatabaseLocation(laravel: variables, folder: "/srv/app", environment: environment)
        }
        #expect(try location([:]) == .sqlite(path: "/srv/app/database/database.sqlite"), "Laravel 11's default")
        #expect(try location(["DB_DATABASE": "/var/db/app.sqlite"]) == .sqlite(path: "/var/db/app.sqlite"))
        #expect(
            try location(["DB_CONNECTION": "sqlite", "DB_DATABASE": "storage/a.sqlite"])
                == .sqlite(path: "/srv/app/storage/a.sqlite"))
        let fields = try location([
            "DB_CONNECTION": "pgsql", "DB_HOST": "db.internal", "DB_PORT": "6432", "DB_DATABASE": "shop",
            "DB_USERNAME": "shop", "DB_PASSWORD": "p@ss",
        ])
        guard case .postgres(let server) = fields else {
            Issue.record("not postgres")
            return
        }
        #expect(
            server.host == "db.internal" && server.port == 6432 && server.database == "shop" && server.user == "shop")
        #expect(server.password == "p@ss" && server.tls == .prefer, "Laravel's pgsql connection uses sslmode=prefer")
        #expect(!fields.displayName.contains("p@ss"))
        guard case .postgres(let defaults) = try location(["DB_CONNECTION": "pgsql"], ["PGPASSWORD": "from-env"]) else {
            return
        }
        #expect(defaults.description == "postgres://root@127.0.0.1:5432/laravel" && defaults.password == "from-env")
        guard case .postgres(let socket) = try location(["DB_CONNECTION": "pgsql", "DB_HOST": "/var/run/postgresql"])
        else { return }
        #expect(socket.socketPath == "/var/run/postgresql/.s.PGSQL.5432" && socket.tls == .disable)

        // DB_URL (DATABASE_URL before Laravel 11) wins, with Laravel's scheme names; parameters Laravel
        // does not pass to libpq are dropped.
        guard
            case .postgres(let url) = try location([
                "DB_CONNECTION": "sqlite",
                "DB_URL": "pgsql://ops:secret@10.0.0.5:5433/billing?charset=utf8&sslmode=require",
            ])
        else { return }
        #expect(url.host == "10.0.0.5" && url.port == 5433 && url.password == "secret" && url.tls == .require)
        // Laravel's default pgsql connection adds sslmode=prefer, so the app never reads PGSSLMODE;
        // its connector passes sslrootcert/sslcert/sslkey on but not sslpassword; the parts a URL
        // leaves out keep the DB_* settings.
        let merged = try LaravelConnection(
            variables: [
                "DB_CONNECTION": "pgsql", "DB_PORT": "6432", "DB_USERNAME": "shop",
                "DB_URL": "pgsql://db/app?sslrootcert=ca.pem&sslcert=/etc/c.crt&sslkey=k+1.key&sslpassword=x&charset=a",
            ], folder: "/srv/app")
        #expect(merged.driver == "pgsql")
        #expect(
            merged.settings == [
                "host": "db", "port": "6432", "database": "app", "username": "shop", "password": "",
                "sslmode": "prefer", "sslrootcert": "ca.pem", "sslcert": "/etc/c.crt", "sslkey": "k 1.key",
            ])
        guard case .postgres(let preferred) = try location(["DB_URL": "pgsql://ops@db/app"], ["PGSSLMODE": "disable"])
        else { return }
        #expect(preferred.tls == .disable, "the sqlite connection sets no sslmode, so libpq's PGSSLMODE applies")
        guard
            case .postgres(let pgsql) = try location(
                ["DB_CONNECTION": "pgsql", "DB_URL": "pgsql://ops@db/app"], ["PGSSLMODE": "disable"])
        else { return }
        #expect(pgsql.tls == .prefer, "Laravel's sslmode=prefer, not PGSSLMODE")
        #expect(
            try location(["DATABASE_URL": "sqlite:///database/x.sqlite"])
                == .sqlite(path: "/srv/app/database/x.sqlite"),
            "Laravel drops the path's first character, so three slashes make a relative path")
        #expect(try location(["DB_URL": "sqlite:////var/db/x.sqlite"]) == .sqlite(path: "/var/db/x.sqlite"))
        #expect(
            throws: ReencryptError.configuration(
                "DB_CONNECTION=mysql: a mysql database; crypto-reencrypt reads SQLite and PostgreSQL only")
        ) { try location(["DB_CONNECTION": "mysql"]) }
        #expect(
            throws: ReencryptError.configuration(
                "DB_CONNECTION=tenant: crypto-reencrypt reads the sqlite and pgsql connections of Laravel's default "
                    + "config/database.php; give --database")
        ) { try location(["DB_CONNECTION": "tenant"]) }
        #expect(throws: ReencryptError.self) { try location(["DB_URL": "mysql://root:pw@db/app"]) }
        do {
            _ = try location(["DB_URL": "mysql://root:hunter2@db/app"])
        } catch {
            #expect(!"\(error)".contains("hunter2"), "a password in DB_URL is never repeated")
        }
        #expect(throws: ReencryptError.configuration("DB_CONNECTION=pgsql: port \"x\" is not a number")) {
            try location(["DB_CONNECTION": "pgsql", "DB_PORT": "x"])
        }
    }

    /// `sslmode` and `sslrootcert` mean what they mean to libpq (and so to the Laravel app).
    @Test func sslModesFollowLibpq() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("lc-home-\(UUID().uuidString)")
        let rootFile = home.appendingPathComponent(".postgresql/root.crt").path
        defer { try? FileManager.default.removeItem(at: home) }
        func mode(_ query: String, _ environment: [String: String] = [:]) throws -> PostgresLocation.TLSMode? {
            let url = "postgres://ops@db/app" + (query.isEmpty ? "" : "?" + query)
            guard case .postgres(let server) = try DatabaseLocation(parsing: url, environment: environment) else {
                return nil
            }
            return server.tls
        }
        #expect(try mode("") == .prefer, "libpq's default")
        #expect(try mode("sslmode=allow") == .prefer)
        #expect(try mode("sslmode=disable") == .disable)
        #expect(try mode("sslmode=require") == .require, "TLS, certificate unchecked")
        #expect(try mode("sslmode=verify-ca") == .verifyCA(roots: .system))
        #expect(try mode("sslmode=verify-full&sslrootcert=system") == .verifyFull(roots: .system))
        #expect(try mode("", ["PGSSLMODE": "disable"]) == .disable)
        #expect(try mode("sslmode=require", ["PGSSLMODE": "disable"]) == .require, "the URL wins")
        #expect(throws: ReencryptError.self) { try mode("sslmode=sometimes") }
        #expect(throws: ReencryptError.self) { try mode("", ["PGSSLMODE": "verify"]) }
        #expect(
            throws: ReencryptError.invalidDatabaseURL(
                "root certificate file \"/nonexistent/ca.pem\" does not exist (sslrootcert)")
        ) { try mode("sslmode=verify-full&sslrootcert=/nonexistent/ca.pem") }
        #expect(try mode("sslmode=prefer&sslrootcert=/nonexistent/ca.pem") == .prefer, "not read by prefer")

        // A root certificate file: given, from PGSSLROOTCERT, or libpq's default in the home folder.
        try FileManager.default.createDirectory(
            atPath: (rootFile as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data("not read until a connection is made".utf8).write(to: URL(fileURLWithPath: rootFile))
        #expect(try mode("sslmode=verify-full&sslrootcert=\(rootFile)") == .verifyFull(roots: .file(rootFile)))
        #expect(try mode("sslmode=verify-ca", ["PGSSLROOTCERT": rootFile]) == .verifyCA(roots: .file(rootFile)))
        #expect(try mode("sslmode=verify-full", ["HOME": home.path]) == .verifyFull(roots: .file(rootFile)))
        // As in libpq, require with a root certificate checks the chain (verify-ca).
        #expect(try mode("sslmode=require", ["HOME": home.path]) == .verifyCA(roots: .file(rootFile)))
        #expect(try mode("sslmode=require&sslrootcert=\(rootFile)") == .verifyCA(roots: .file(rootFile)))
        #expect(try mode("sslmode=prefer", ["HOME": home.path]) == .prefer)
        #expect(
            try mode("sslmode=verify-full&sslrootcert=system", ["HOME": home.path]) == .verifyFull(roots: .system))
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
