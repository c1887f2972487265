#if Hummingbird && GRDB && PostgresNIO
import Foundation
import GRDB
import LaravelCrypto
import LaravelCryptoTestSupport
import Logging
import PostgresNIO
import ReencryptCore
import Testing

/// How `crypto-reencrypt` reaches PostgreSQL: over TCP with each `sslmode`, and through the
/// server's Unix-domain socket.
///
/// The test server has TLS on with a self-signed certificate for localhost
/// (`scripts/test-postgres.sh`), which is how Debian's and Ubuntu's packages install it. `sslmode`
/// must mean what it means to libpq, the Laravel app's driver: `prefer`, the default, connects
/// over TLS without checking the certificate, and `verify-*` check it. The role `tls_only` is
/// refused on a plain connection, so a run as that role proves it used TLS.
@Suite("crypto-reencrypt: connections", .serialized)
struct ReencryptConnectionTests {
    static let logger = Logger(label: "tests")

    /// A setting `scripts/test-postgres.sh start` exports (`LARAVEL_CRYPTO_PGCERT`, the server's
    /// self-signed certificate; `LARAVEL_CRYPTO_PGDIR`, the folder of its socket).
    static func serverSetting(_ name: String) -> String? {
        let value = ProcessInfo.processInfo.environment[name]
        if value == nil, ProcessInfo.processInfo.environment["REQUIRE_POSTGRES"] == "1" {
            Issue.record("REQUIRE_POSTGRES=1 but \(name) is not set (scripts/test-postgres.sh start)")
        }
        return value
    }

    /// The role `role` (a superuser, made once), two keys and a fresh table of `count` rows
    /// under the old one: what a run connecting as that role rotates.
    static func rotationAsRole(_ role: String, table prefix: String, count: Int) async throws -> (
        old: EncryptionKey, new: EncryptionKey, table: String
    ) {
        let old = try EncryptionKey.generate(for: .laravelAES256CBC),
            new = try EncryptionKey.generate(for: .laravelAES256CBC)
        _ = try await Servers.withPostgres { client in
            try await client.query(
                """
                DO $$ BEGIN CREATE ROLE \(unescaped: role) LOGIN SUPERUSER;
                EXCEPTION WHEN duplicate_object THEN NULL; END $$
                """, logger: Self.logger)
        }
        return (old, new, try await makeTable(prefix, count: count, key: old))
    }

    /// A fresh table of `count` rows whose `secret` is "v1", "v2", … encrypted under `key`.
    static func makeTable(_ prefix: String, count: Int, key: EncryptionKey) async throws -> String {
        let crypt = try Cipher.laravelAES256CBC.makeEncrypter(key: key.exportedString())
        let table = Servers.uniqueTable(prefix)
        _ = try await Servers.withPostgres { client in
            try await client.query(
                "CREATE TABLE \(unescaped: table) (id bigint PRIMARY KEY, secret text)", logger: Self.logger)
            for id in 1...count {
                try await client.query(
                    "INSERT INTO \(unescaped: table) VALUES (\(id), \(try crypt.encryptString("v\(id)")))",
                    logger: Self.logger)
            }
        }
        return table
    }

    @Test func sslModesConnectAsLibpqWould() async throws {
        guard let configuration = Servers.postgres, let certificate = Self.serverSetting("LARAVEL_CRYPTO_PGCERT")
        else { return }
        let (old, new, table) = try await Self.rotationAsRole("tls_only", table: "tls", count: 5)
        // A home without ~/.postgresql/root.crt, so only the URL decides what is trusted.
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("lc-home-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let keys = try ReencryptCLI(key: new, previous: [old], cipher: .laravelAES256CBC)
        var environment = keys.environment
        environment["HOME"] = home.path
        environment["PGSSLMODE"] = ""
        environment["PGSSLROOTCERT"] = ""
        let cli = ReencryptCLI(environment: environment)
        let port = configuration.port ?? 5432, database = configuration.database ?? "postgres"
        func dryRun(host: String = "127.0.0.1", _ query: String) throws -> ProcessResult {
            let url = "postgres://tls_only@\(host):\(port)/\(database)\(query.isEmpty ? "" : "?" + query)"
            return try cli.run(
                ["--database", url, "--table", table, "--column", "secret", "--dry-run"], timeLimit: 120)
        }

        let plain = try dryRun("sslmode=disable")
        #expect(plain.status == 1 && plain.stderr.contains("cannot connect"), "tls_only is refused without TLS")
        for query in ["", "sslmode=prefer", "sslmode=allow", "sslmode=require"] {
            let run = try dryRun(query)
            #expect(run.status == 0, "\(query): TLS without a certificate check, as libpq: \(run.stderr)")
        }
        let untrusted = try dryRun("sslmode=verify-full")
        #expect(untrusted.status == 1, "a self-signed certificate is not in the system's trust store")
        #expect(untrusted.stderr.contains("sslrootcert"), "\(untrusted.stderr)")
        #expect(
            untrusted.stderr.contains("CERTIFICATE_VERIFY_FAILED") && !untrusted.stderr.contains(" at /"),
            "the reason without BoringSSL's source path: \(untrusted.stderr)")
        let rooted = "sslrootcert=" + (certificate.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        // The certificate names localhost only: verify-full accepts it there, and at 127.0.0.1
        // only verify-ca (and require given a root, which libpq makes verify-ca) do.
        for (host, query) in [
            ("localhost", "sslmode=verify-full&\(rooted)"), ("127.0.0.1", "sslmode=verify-ca&\(rooted)"),
            ("127.0.0.1", "sslmode=require&\(rooted)"),
        ] {
            let run = try dryRun(host: host, query)
            #expect(run.status == 0, "\(host) \(query): \(run.stderr)")
        }
        let wrongName = try dryRun(host: "127.0.0.1", "sslmode=verify-full&\(rooted)")
        #expect(wrongName.status == 1 && wrongName.stderr.contains("name the host"), "\(wrongName.stderr)")

        // libpq's default root certificate file makes require check the chain, as verify-ca.
        let postgresFolder = home.appendingPathComponent(".postgresql")
        try FileManager.default.createDirectory(at: postgresFolder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: certificate, toPath: postgresFolder.appendingPathComponent("root.crt").path)
        let homeRoot = try dryRun(host: "localhost", "sslmode=verify-full")
        #expect(homeRoot.status == 0, "\(homeRoot.stderr)")
    }

    /// `cert` authentication (the role `cert_only`): the client certificate and key come from
    /// `sslcert`/`sslkey`, `PGSSLCERT`/`PGSSLKEY`, or `~/.postgresql/postgresql.crt` and `.key`, as
    /// libpq finds them; an encrypted key opens with `sslpassword`. A key others may read, a named
    /// certificate that does not exist and a wrong passphrase are clear errors.
    @Test func clientCertificatesAsLibpqFindsThem() async throws {
        guard let configuration = Servers.postgres, let certificate = Self.serverSetting("LARAVEL_CRYPTO_PGCLIENTCERT"),
            let key = Self.serverSetting("LARAVEL_CRYPTO_PGCLIENTKEY")
        else { return }
        let (old, new, table) = try await Self.rotationAsRole("cert_only", table: "cert", count: 3)
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("lc-home-\(UUID().uuidString)")
        let files = home.appendingPathComponent(".postgresql")
        try FileManager.default.createDirectory(at: files, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        func file(_ name: String, mode: Int) throws -> String {
            let path = home.appendingPathComponent(name).path
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
            return path
        }
        try FileManager.default.copyItem(atPath: key, toPath: home.appendingPathComponent("open.key").path)
        let openKey = try file("open.key", mode: 0o644)
        let encrypted = try ProcessRunner.run(
            command: "openssl",
            [
                "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", key, "-passout", "pass:s3cret", "-out",
                home.appendingPathComponent("encrypted.key").path,
            ])
        try #require(encrypted.status == 0, "openssl: \(String(decoding: encrypted.errors, as: UTF8.self))")
        let encryptedKey = try file("encrypted.key", mode: 0o600)

        var environment = try ReencryptCLI(key: new, previous: [old], cipher: .laravelAES256CBC).environment
        environment["HOME"] = home.path
        for name in ["PGSSLMODE", "PGSSLROOTCERT", "PGSSLCERT", "PGSSLKEY", "PGSSLPASSWORD"] { environment[name] = "" }
        let port = configuration.port ?? 5432, database = configuration.database ?? "postgres"
        func dryRun(_ query: String, _ extra: [String: String] = [:]) throws -> ProcessResult {
            let url = "postgres://cert_only@127.0.0.1:\(port)/\(database)\(query.isEmpty ? "" : "?" + query)"
            return try ReencryptCLI(environment: environment.merging(extra) { $1 }).run(
                ["--database", url, "--table", table, "--column", "secret", "--dry-run"], timeLimit: 120)
        }
        func encoded(_ path: String) -> String {
            path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        }

        let none = try dryRun("")
        #expect(none.status == 1 && none.stderr.contains("certificate"), "no certificate: \(none.stderr)")
        let named = try dryRun("sslcert=\(encoded(certificate))&sslkey=\(encoded(key))")
        #expect(named.status == 0, "sslcert and sslkey: \(named.stderr)")
        let fromEnvironment = try dryRun("sslmode=require", ["PGSSLCERT": certificate, "PGSSLKEY": key])
        #expect(fromEnvironment.status == 0, "PGSSLCERT and PGSSLKEY: \(fromEnvironment.stderr)")
        let passphrase = try dryRun(
            "sslcert=\(encoded(certificate))&sslkey=\(encoded(encryptedKey))&sslpassword=s3cret")
        #expect(passphrase.status == 0, "an encrypted key and its sslpassword: \(passphrase.stderr)")

        let wrongPassphrase = try dryRun("sslcert=\(encoded(certificate))&sslkey=\(encoded(encryptedKey))")
        #expect(
            wrongPassphrase.status == 1 && wrongPassphrase.stderr.contains("give sslpassword"),
            "\(wrongPassphrase.stderr)")
        // Refused before connecting, as a bad --database is (exit 64).
        let readable = try dryRun("sslcert=\(encoded(certificate))&sslkey=\(encoded(openKey))")
        #expect(readable.status == 64 && readable.stderr.contains("group or world access"), "\(readable.stderr)")
        let missing = try dryRun("sslcert=%2Fnowhere%2Fclient.crt")
        #expect(missing.status == 64 && missing.stderr.contains("does not exist (sslcert)"), "\(missing.stderr)")
        let plain = try dryRun("sslmode=disable&sslcert=%2Fnowhere%2Fclient.crt")
        #expect(plain.status == 1 && plain.stderr.contains("cannot connect"), "no TLS, no certificate read")

        // A Laravel app's DB_URL: the certificate and key Laravel passes to libpq, with paths taken
        // from the app's folder (where artisan runs), not from where crypto-reencrypt started.
        let app = home.appendingPathComponent("app")
        try FileManager.default.createDirectory(
            at: app.appendingPathComponent("storage"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: certificate, toPath: app.appendingPathComponent("storage/c.crt").path)
        try FileManager.default.copyItem(atPath: key, toPath: app.appendingPathComponent("storage/c.key").path)
        _ = try file("app/storage/c.key", mode: 0o600)
        let envFile = app.appendingPathComponent(".env").path
        try Data(
            "DB_URL=pgsql://cert_only@127.0.0.1:\(port)/\(database)?sslcert=storage/c.crt&sslkey=storage/c.key\n".utf8
        ).write(to: URL(fileURLWithPath: envFile))
        let fromDotenv = try ReencryptCLI(environment: environment).run(
            ["--table", table, "--column", "secret", "--dry-run"], timeLimit: 120, envFile: envFile)
        #expect(fromDotenv.status == 0, "DB_URL's sslcert and sslkey: \(fromDotenv.stderr)")

        // libpq's default files in the home folder.
        try FileManager.default.copyItem(
            atPath: certificate, toPath: files.appendingPathComponent("postgresql.crt").path)
        try FileManager.default.copyItem(atPath: key, toPath: files.appendingPathComponent("postgresql.key").path)
        _ = try file(".postgresql/postgresql.key", mode: 0o600)
        let fromHome = try dryRun("")
        #expect(fromHome.status == 0, "~/.postgresql/postgresql.crt and .key: \(fromHome.stderr)")
    }

    /// Without `--database`, the app's `.env` names the database as Laravel's default
    /// `config/database.php` reads it: a SQLite file relative to the app's folder, then PostgreSQL
    /// from the `DB_*` settings. The keys come from the same file.
    @Test func laravelEnvNamesTheDatabase() async throws {
        let old = try EncryptionKey.generate(for: .laravelAES256CBC),
            new = try EncryptionKey.generate(for: .laravelAES256CBC)
        let crypt = try Cipher.laravelAES256CBC.makeEncrypter(key: old.exportedString())
        let app = FileManager.default.temporaryDirectory.appendingPathComponent("lc-app-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: app.appendingPathComponent("database"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: app) }
        let queue = try DatabaseQueue(path: app.appendingPathComponent("database/app.sqlite").path)
        try await queue.write { db in
            try db.execute(sql: "CREATE TABLE users (id INTEGER PRIMARY KEY, secret TEXT)")
            for id in 1...6 {
                try db.execute(
                    sql: "INSERT INTO users VALUES (?, ?)", arguments: [id, try crypt.encryptString("v\(id)")])
            }
        }
        let keys = """
            APP_KEY=\(new.exportedString())
            APP_PREVIOUS_KEYS=\(old.exportedString())
            APP_CIPHER=aes-256-cbc

            """
        let envFile = app.appendingPathComponent(".env").path
        try Data((keys + "DB_CONNECTION=sqlite\nDB_DATABASE=database/app.sqlite\n").utf8)
            .write(to: URL(fileURLWithPath: envFile))
        let cli = ReencryptCLI(environment: [:])
        let run = try cli.run(["--table", "users", "--column", "secret", "--json"], envFile: envFile, quiet: false)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try run.rowsRewritten() == 6)
        #expect(
            run.stderr.contains("database from \(envFile): sqlite:\(app.path)/database/app.sqlite"), "\(run.stderr)")
        let fresh = try Cipher.laravelAES256CBC.makeEncrypter(key: new.exportedString())
        let secrets = try await queue.read { try String.fetchAll($0, sql: "SELECT secret FROM users ORDER BY id") }
        #expect(try secrets.map { try fresh.decryptString($0) } == (1...6).map { "v\($0)" })

        guard let configuration = Servers.postgres else { return }
        let table = try await Self.makeTable("dotenv", count: 4, key: old)
        let postgres = """
            DB_CONNECTION=pgsql
            DB_HOST=\(configuration.host ?? "127.0.0.1")
            DB_PORT=\(configuration.port ?? 5432)
            DB_DATABASE=\(configuration.database ?? "postgres")
            DB_USERNAME=\(configuration.username)

            """
        try Data((keys + postgres).utf8).write(to: URL(fileURLWithPath: envFile))
        let onPostgres = try cli.run(
            ["--table", table, "--column", "secret", "--json"], envFile: envFile, quiet: false)
        #expect(onPostgres.status == 0, "\(onPostgres.stderr)")
        #expect(try onPostgres.rowsRewritten() == 4)
        #expect(onPostgres.stderr.contains("database from \(envFile): postgres://"), "\(onPostgres.stderr)")

        // A .env that is there but cannot be read is an error, not a run with other keys.
        let folderAsEnv = try cli.run(["--table", "users", "--column", "secret"], envFile: app.path)
        #expect(folderAsEnv.status == 1 && folderAsEnv.stderr.contains(app.path), "\(folderAsEnv.stderr)")

        try Data((keys + "DB_CONNECTION=mysql\n").utf8).write(to: URL(fileURLWithPath: envFile))
        let mysql = try cli.run(["--table", "users", "--column", "secret"], envFile: envFile)
        #expect(mysql.status == 1 && mysql.stderr.contains("DB_CONNECTION=mysql"), "\(mysql.stderr)")
    }

    /// On the database server, libpq's `host=/folder` reaches the Unix-domain socket there (where
    /// peer authentication works); the test server's socket is in its temporary folder.
    @Test func unixSocketConnects() async throws {
        guard let configuration = Servers.postgres, let folder = Self.serverSetting("LARAVEL_CRYPTO_PGDIR") else {
            return
        }
        let old = try EncryptionKey.generate(for: .laravelAES256CBC),
            new = try EncryptionKey.generate(for: .laravelAES256CBC)
        let table = try await Self.makeTable("socket", count: 7, key: old)
        let cli = try ReencryptCLI(key: new, previous: [old], cipher: .laravelAES256CBC)
        let port = configuration.port ?? 5432, database = configuration.database ?? "postgres"
        let url = "postgres://\(configuration.username)@/\(database)?host=\(folder)&port=\(port)"
        let run = try cli.run(["--database", url, "--table", table, "--column", "secret", "--json"], timeLimit: 120)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try run.rowsRewritten() == 7)
        let rows: [String] =
            try await Servers.withPostgres { client -> [String] in
                var secrets: [String] = []
                let rows = try await client.query(
                    "SELECT secret FROM \(unescaped: table) ORDER BY id", logger: Self.logger)
                for try await secret in rows.decode(String.self) { secrets.append(secret) }
                return secrets
            } ?? []
        let fresh = try Cipher.laravelAES256CBC.makeEncrypter(key: new.exportedString())
        #expect(try rows.map { try fresh.decryptString($0) } == (1...7).map { "v\($0)" })

        let missing = try cli.run(
            ["--database", "postgres://app@/app?host=/nonexistent&port=5432", "--table", table, "--column", "secret"],
            timeLimit: 120)
        #expect(missing.status == 1, "\(missing.stderr)")
        #expect(missing.stderr.contains("postgres://app@/app?host=/nonexistent&port=5432"), "\(missing.stderr)")

        // No host at all: libpq's default, the server's socket in the first folder that has one for
        // the port; a regular file of that name is not a socket; with none, localhost over TCP.
        let decoy = FileManager.default.temporaryDirectory.appendingPathComponent("lc-decoy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: decoy, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: decoy) }
        try Data().write(to: decoy.appendingPathComponent(".s.PGSQL.\(port)"))
        let noHost = ["PGPORT": String(port), "PGUSER": configuration.username]
        guard
            case .postgres(let found) = try DatabaseLocation(
                parsing: "postgres:///\(database)", environment: noHost,
                socketFolders: ["/nonexistent", decoy.path, folder]),
            case .postgres(let fallback) = try DatabaseLocation(
                parsing: "postgres:///\(database)", environment: noHost, socketFolders: [decoy.path])
        else {
            Issue.record("not PostgreSQL locations")
            return
        }
        #expect(found.socketPath == "\(folder)/.s.PGSQL.\(port)" && found.tls == .disable)
        #expect(fallback.host == "localhost" && fallback.socketPath == nil)
    }
}
#endif
