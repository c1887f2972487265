import ArgumentParser
import Foundation
import LaravelCrypto
import ReencryptCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Rotates the encrypted columns of a live database to the current APP_KEY and cipher.
@main
struct CryptoReencrypt: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crypto-reencrypt",
        abstract: "Re-encrypt a table's encrypted columns under the current APP_KEY / APP_CIPHER, in place, resumably.",
        discussion: """
            Keys come from the .env file and the environment exactly as the app reads them: new values are written \
            with APP_CIPHER (or --cipher) and the current APP_KEY; values are read with APP_KEY, every \
            APP_PREVIOUS_KEYS entry, and, for a cipher migration, each --from-cipher with the same keys. A value \
            already under the current key and cipher is left alone, so a rerun — or a run resumed after a crash or \
            kill — does only what is left. Each batch of rows is one transaction; a row is written only if it still \
            holds what was read (a row the app changed meanwhile is read again, never clobbered). A value no key \
            opens is reported (row and column, never the value) and left untouched; NULL stays NULL.

            PostgreSQL: --workers N runs N transactions at once, and several processes on several machines may run on \
            the same table at the same time: each batch locks its rows with FOR UPDATE SKIP LOCKED, and ranges where \
            rows were skipped are swept again at the end. SQLite has one writer at a time: --workers is ignored, and \
            the app's writes wait for each batch (milliseconds).

            The database is --database, or, without it, the one the app's .env names (DB_URL or DB_CONNECTION \
            with the DB_* settings, as Laravel's default config/database.php reads them; it is named on stderr \
            before anything starts). The password of postgres:// URLs comes from PGPASSWORD or ~/.pgpass (a \
            password in the URL works but stays in your shell history); it is never printed.

            Exit status: 0 done (untouched values are listed), 64 bad arguments, 65 a --column kind that does not \
            match the data (nothing written) or --strict with untouched values, 69 a driver missing from this build, \
            1 a database or key error.

            Examples:
              crypto-reencrypt --table users --column ssn --dry-run     (in the app's folder: its .env's keys and database)
              crypto-reencrypt --database sqlite:database/database.sqlite --table users --column ssn --column settings:json --dry-run
              crypto-reencrypt --database postgres://app@db.internal/app --table users --column ssn --index ssn_index=ssn --workers 4
              crypto-reencrypt --database postgres://app@db.internal/app --table jobs --column payload:serialized --from-cipher aes-256-cbc --json
            """)

    @Option(
        help: """
            sqlite:PATH, postgres://USER@HOST[:PORT]/DATABASE[?sslmode=MODE&sslrootcert=PATH], or \
            postgres://USER@/DATABASE?host=/var/run/postgresql for the server's Unix-domain socket (peer \
            authentication; no TLS there; with no host and no PGHOST, the socket in /var/run/postgresql or \
            /tmp, as psql, else localhost). sslmode as \
            in libpq and Laravel: disable, allow, prefer (the default: TLS when offered, certificate \
            unchecked), require (TLS, unchecked), verify-ca (certificate chains to sslrootcert), verify-full \
            (and names the host). sslrootcert defaults to PGSSLROOTCERT, then ~/.postgresql/root.crt, then \
            the system's trust store; sslmode to PGSSLMODE. For cert authentication, sslcert=PATH and \
            sslkey=PATH (PEM; the key 0600, or 0640 if root owns it; sslpassword=TEXT or PGSSLPASSWORD for an \
            encrypted one), defaulting to PGSSLCERT/PGSSLKEY, then ~/.postgresql/postgresql.crt and .key. \
            Without --database, the app's own database, resolved from the .env as Laravel resolves its \
            default config/database.php: the DB_CONNECTION connection (sqlite: DB_DATABASE, default \
            database/database.sqlite; pgsql: DB_HOST, DB_PORT, DB_DATABASE, DB_USERNAME, DB_PASSWORD, \
            sslmode=prefer), then DB_URL over it by Laravel's rules (a part the URL leaves out keeps its DB_* \
            setting; sqlite:///relative/path, sqlite:////absolute/path); relative paths from the .env's folder.
            """)
    var database: String?

    @Option(help: "The table (NAME or SCHEMA.NAME).")
    var table: String

    @Option(
        help: """
            Its primary key column (integer, uuid, text, bytea, …): the scan is ordered by it and each \
            write finds its row by it, so it must hold no NULL (SQLite: rowid also works).
            """)
    var key: String = "id"

    @Option(
        name: .customLong("column"),
        help: """
            An encrypted column, NAME[:string|json|serialized] (repeat for more). string: `encrypted` cast; \
            json: `encrypted:array/json/object`; serialized: Crypt::encrypt.
            """)
    var columns: [String] = []

    @Option(
        name: .customLong("index"),
        help: "A global blind-index column to recompute under the current APP_KEY, COLUMN=SOURCE (repeatable).")
    var indexes: [String] = []

    @Option(help: "The .env file to read (the environment wins, as in Laravel); skipped when it does not exist.")
    var env: String = ".env"

    @Option(help: "The cipher to write (default: APP_CIPHER).")
    var cipher: String?

    @Option(
        name: .customLong("from-cipher"),
        help: "Also read values of this cipher, with the same keys (a cipher migration; repeatable).")
    var fromCiphers: [String] = []

    @Option(help: "Rows per transaction.")
    var batch: Int = 1000

    @Option(help: "Concurrent transactions in this process (PostgreSQL).")
    var workers: Int = 1

    @Flag(help: "Read and count only: current, stale and unreadable values per column.")
    var dryRun = false

    @Flag(help: "Exit with status 65 when a value no key opens was found.")
    var strict = false

    @Flag(help: "Print the summary as JSON on stdout.")
    var json = false

    @Flag(help: "No progress on stderr.")
    var quiet = false

    func validate() throws {
        guard !columns.isEmpty else { throw ValidationError("Give at least one --column NAME[:KIND].") }
        guard (1...64).contains(workers) else { throw ValidationError("--workers must be between 1 and 64.") }
        guard (1...100_000).contains(batch) else { throw ValidationError("--batch must be between 1 and 100000.") }
    }

    func run() async throws {
        do {
            try await reencrypt()
        } catch let error as ReencryptError {
            FileHandle.standardError.write(Data("crypto-reencrypt: \(error)\n".utf8))
            throw ExitCode(error.exitCode)
        }
    }

    private func reencrypt() async throws {
        let plan = try ReencryptionPlan(
            table: table, key: key, columns: try columns.map { try EncryptedColumn(parsing: $0) },
            indexes: try indexes.map { try IndexColumn(parsing: $0) }, batchSize: batch)
        let location = try databaseLocation()
        let rewriter = try RowRewriter(plan: plan, migration: try migration(), blindIndex: try blindIndex(plan))
        let terminal = isatty(STDERR_FILENO) == 1
        let (quiet, dryRun, workers) = (self.quiet, self.dryRun, self.workers)
        let summary = try await DatabaseConnector.withDatabase(location, plan: plan) { database in
            let reencryptor = Reencryptor(database: database, rewriter: rewriter, workers: workers, dryRun: dryRun)
            try await reencryptor.preflight()
            if workers > 1 && !database.supportsConcurrentWriters && !quiet {
                FileHandle.standardError.write(
                    Data("crypto-reencrypt: SQLite has one writer; running one worker\n".utf8))
            }
            let summary = try await reencryptor.run(progressEvery: terminal ? 0.2 : 5) { progress in
                guard !quiet else { return }
                let line = ProgressLine.render(progress, terminal: terminal)
                FileHandle.standardError.write(Data((terminal ? "\r\u{1B}[K" + line : line + "\n").utf8))
            }
            if terminal && !quiet { FileHandle.standardError.write(Data("\n".utf8)) }
            return summary
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(
                String(
                    decoding: try encoder.encode(
                        Report(database: location.displayName, table: table, summary: summary)), as: UTF8.self))
        } else {
            print(summary.text)
        }
        if strict && summary.untouchedCount > 0 { throw ReencryptError.unreadableRows(count: summary.untouchedCount) }
    }

    /// The writer (current APP_KEY, APP_CIPHER or --cipher) and the readers (previous keys, --from-cipher).
    private func migration() throws(ReencryptError) -> MigrationEncrypter {
        let app = try appConfiguration()
        guard let name = cipher ?? app["APP_CIPHER"], !name.isEmpty else {
            throw .configuration("no cipher to write: set APP_CIPHER in \(env) or the environment, or pass --cipher")
        }
        guard let writing = Cipher(configName: name) else { throw .configuration("unknown cipher \"\(name)\"") }
        do {
            let readers = try fromCiphers.map { name throws(ReencryptError) in
                guard let cipher = Cipher(configName: name) else {
                    throw .configuration("--from-cipher: unknown cipher \"\(name)\"")
                }
                return try configuration(cipher, app)
            }
            return try MigrationEncrypter(writing: try configuration(writing, app), reading: readers)
        } catch let error as ReencryptError {
            throw error
        } catch {
            throw .configuration("the keys cannot be used: \(error)")
        }
    }

    private func configuration(_ cipher: Cipher, _ app: AppConfiguration) throws(ReencryptError) -> CipherConfiguration
    {
        guard let key = app["APP_KEY"], !key.isEmpty else {
            throw .configuration("APP_KEY is not set in \(env) or the environment")
        }
        do {
            return CipherConfiguration(cipher: cipher, keys: try app.keyRing(for: cipher))
        } catch {
            throw .configuration("APP_KEY / APP_PREVIOUS_KEYS for \(cipher.rawValue): \(error)")
        }
    }

    private func blindIndex(_ plan: ReencryptionPlan) throws(ReencryptError) -> BlindIndex? {
        guard !plan.indexes.isEmpty else { return nil }
        do {
            return try BlindIndex(appKey: try appConfiguration()["APP_KEY"] ?? "")
        } catch {
            throw .configuration("--index: APP_KEY cannot key a blind index: \(error)")
        }
    }

    /// `--database`, or the database the app's `.env` names (said on stderr, so an operator sees
    /// which database is about to be rewritten).
    private func databaseLocation() throws(ReencryptError) -> DatabaseLocation {
        if let database { return try DatabaseLocation(parsing: database) }
        let folder = URL(fileURLWithPath: env).deletingLastPathComponent().path
        let location = try DatabaseLocation(laravel: try appConfiguration().variables, folder: folder)
        if !quiet {
            FileHandle.standardError.write(
                Data("crypto-reencrypt: database from \(env): \(location.displayName)\n".utf8))
        }
        return location
    }

    /// The `.env` file's variables under the process environment's; the environment alone when the
    /// file does not exist. A file that exists but cannot be read as a `.env` (a folder, a FIFO, a
    /// huge file) is an error, not a silent fallback to other keys.
    private func appConfiguration() throws(ReencryptError) -> AppConfiguration {
        guard FileManager.default.fileExists(atPath: env) else { return .fromEnvironment() }
        do {
            return try AppConfiguration.fromDotEnvFile(atPath: env)
        } catch {
            throw .configuration("\(env): \(error)")
        }
    }
}

/// The `--json` output.
struct Report: Encodable {
    let database: String
    let table: String
    let summary: ReencryptionSummary
}
