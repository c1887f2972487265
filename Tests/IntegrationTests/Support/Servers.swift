#if Hummingbird && GRDB && PostgresNIO
import Foundation
import LaravelCrypto
import LaravelCryptoTestSupport
import Logging
import PostgresNIO
import Testing

/// The real servers and peers these tests use. Each is optional on a developer's machine (the test
/// prints a notice and returns) and required in CI (`REQUIRE_PHP=1`, `REQUIRE_POSTGRES=1`).
enum Servers {
    /// PHP with Debian's php-illuminate-database and the PDO drivers.
    static var eloquentIsUsable: Bool {
        guard peerIsUsable(.php, requirement: "PHP") else { return false }
        let probe = [
            "-r",
            "require '/usr/share/php/Illuminate/Database/autoload.php'; "
                + "exit(class_exists('Illuminate\\\\Database\\\\Capsule\\\\Manager') && extension_loaded('pdo_sqlite') && extension_loaded('pdo_pgsql') ? 0 : 1);",
        ]
        if (try? ProcessRunner.run(command: "php", probe, input: Data()))?.status == 0 { return true }
        return required("PHP", "php-illuminate-database with php-sqlite3 and php-pgsql is not installed")
    }

    /// The PostgreSQL server named by `PGHOST`/`PGPORT`/`PGUSER`/`PGDATABASE` (`.ci/run` starts one).
    static var postgres: PostgresClient.Configuration? {
        let environment = ProcessInfo.processInfo.environment
        guard let host = environment["PGHOST"], let port = environment["PGPORT"].flatMap(Int.init) else {
            _ = required("POSTGRES", "PGHOST/PGPORT are not set (scripts/test-postgres.sh start)")
            return nil
        }
        return PostgresClient.Configuration(
            host: host, port: port, username: environment["PGUSER"] ?? "postgres", password: environment["PGPASSWORD"],
            database: environment["PGDATABASE"] ?? "postgres", tls: .disable)
    }

    /// Whether a missing `what` fails the test run (CI) or only skips (with a notice).
    private static func required(_ what: String, _ reason: String) -> Bool {
        if ProcessInfo.processInfo.environment["REQUIRE_\(what)"] == "1" {
            Issue.record("REQUIRE_\(what)=1 but \(reason)")
            return false
        }
        print("⚠️  SKIPPING: \(reason) (CI sets REQUIRE_\(what)=1).")
        return false
    }

    /// Runs `body` with a connected client; `nil` (after a notice) when no server is configured.
    static func withPostgres<R: Sendable>(_ body: (PostgresClient) async throws -> R) async throws -> R? {
        guard let configuration = postgres else { return nil }
        let client = PostgresClient(configuration: configuration, backgroundLogger: Logger(label: "tests"))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }

    /// A fresh table name, so runs and parallel tests never share rows.
    static func uniqueTable(_ prefix: String) -> String {
        "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// A temporary SQLite file path, removed by the caller.
    static func temporarySQLitePath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("lc-\(UUID().uuidString).sqlite").path
    }
}

/// `Fixtures/php/eloquent.php`: real Eloquent models with `encrypted` casts.
enum Eloquent {
    static let script = Repository.root.appendingPathComponent("Fixtures/php/eloquent.php").path

    /// Eloquent's connection settings for a SQLite file or the test PostgreSQL server.
    static func connection(sqlite path: String) -> [String: Any] { ["driver": "sqlite", "database": path] }

    static func connection(postgres configuration: PostgresClient.Configuration) -> [String: Any] {
        [
            "driver": "pgsql", "host": configuration.host ?? "127.0.0.1", "port": configuration.port ?? 5432,
            "database": configuration.database ?? "postgres", "username": configuration.username,
            "password": configuration.password ?? "",
        ]
    }

    /// Has Eloquent write `rows` (if any) with `key` under `cipher`, then returns every row as
    /// Eloquent reads it back, as JSON.
    static func run(
        connection: [String: Any], table: String, cipher: Cipher = .laravelAES256CBC, key: EncryptionKey,
        write rows: [[String: Any]] = []
    ) throws -> Data {
        let request: [String: Any] = [
            "connection": connection, "table": table, "cipher": cipher.rawValue,
            "key": key.withUnsafeBytes { Data($0).base64EncodedString() }, "write": rows,
        ]
        let result = try ProcessRunner.run(
            command: "php", [script], input: try JSONSerialization.data(withJSONObject: request))
        guard result.status == 0 else {
            throw Peer.PeerError(
                message: "eloquent.php failed: \(String(decoding: result.errors + result.output, as: UTF8.self))")
        }
        return result.output
    }
}
#endif
