#if Hummingbird && GRDB && PostgresNIO
import Foundation
import GRDB
import LaravelCrypto
import LaravelCryptoTestSupport
import Logging
import PostgresNIO
import ReencryptCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `crypto-reencrypt` against real SQLite files and the test PostgreSQL server: rows written by real
/// Eloquent, rotations read back by Eloquent and PHP's sodium, kill -9 and resume, concurrent
/// processes beside an app that keeps writing, and every refusal.
@Suite("crypto-reencrypt: SQLite and PostgreSQL", .serialized)
struct ReencryptTests {
    static let logger = Logger(label: "tests")
    static let recordColumns = ["--column", "secret", "--column", "settings:json", "--column", "profile:json"]

    /// Where a test's table lives.
    enum Target {
        case sqlite(path: String)
        case postgres(PostgresClient.Configuration, table: String)

        var url: String {
            switch self {
            case .sqlite(let path): "sqlite:\(path)"
            case .postgres(let configuration, _):
                "postgres://\(configuration.username)@\(configuration.host ?? "127.0.0.1"):\(configuration.port ?? 5432)/\(configuration.database ?? "postgres")?sslmode=disable"
            }
        }

        var table: String {
            switch self {
            case .sqlite: "records"
            case .postgres(_, let table): table
            }
        }

        var eloquent: [String: Any] {
            switch self {
            case .sqlite(let path): Eloquent.connection(sqlite: path)
            case .postgres(let configuration, _): Eloquent.connection(postgres: configuration)
            }
        }
    }

    /// Rows that cover NULLs, unicode, `/` and many batches.
    static func rows(_ count: Int) -> [PlainRow] {
        PlainRow.samples
            + (4...count).map { id in
                PlainRow(
                    id: Int64(id), secret: id % 17 == 0 ? nil : "secret \(id) ü/€",
                    settings: Settings(theme: "t\(id)", volume: id, labels: ["a\(id)"]),
                    profile: ["p\(id)"])
            }
    }

    /// Each row's (id, secret, settings, profile) cells as stored.
    static func storedCells(_ target: Target, client: PostgresClient?) async throws -> [(
        Int64, String?, String?, String?
    )] {
        switch target {
        case .sqlite(let path):
            let queue = try DatabaseQueue(path: path)
            return try await queue.read { db in
                try Row.fetchAll(db, sql: "SELECT id, secret, settings, profile FROM records ORDER BY id").map {
                    ($0[0], $0[1], $0[2], $0[3])
                }
            }
        case .postgres(_, let table):
            guard let client else { return [] }
            var cells: [(Int64, String?, String?, String?)] = []
            let rows = try await client.query(
                "SELECT id, secret, settings, profile FROM \(unescaped: table) ORDER BY id", logger: logger)
            for try await row in rows.decode((Int64, String?, String?, String?).self) { cells.append(row) }
            return cells
        }
    }

    /// The table for Eloquent's model on `target`.
    static func createRecords(_ target: Target, client: PostgresClient?) async throws {
        switch target {
        case .sqlite(let path):
            let queue = try DatabaseQueue(path: path)
            try await queue.write(SecretRecord.createTable)
        case .postgres(_, let table):
            try await client?.query(
                "CREATE TABLE \(unescaped: table) (id bigint PRIMARY KEY, secret text, settings text, profile text)",
                logger: logger)
        }
    }

    // MARK: Eloquent → rotate → migrate

    @Test func eloquentRowsOnSQLite() async throws {
        guard Servers.eloquentIsUsable, peerIsUsable(.php, requirement: "PHP") else { return }
        let path = Servers.temporarySQLitePath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await rotateThenMigrate(.sqlite(path: path), client: nil)
    }

    @Test func eloquentRowsOnPostgres() async throws {
        guard Servers.eloquentIsUsable, let configuration = Servers.postgres else { return }
        _ = try await Servers.withPostgres { client in
            try await rotateThenMigrate(.postgres(configuration, table: Servers.uniqueTable("records")), client: client)
        }
    }

    /// Eloquent writes under key A (aes-256-cbc); crypto-reencrypt moves everything to key B, then to
    /// XChaCha20-Poly1305 under B; Eloquent (B only), Swift and PHP's sodium read every value back.
    func rotateThenMigrate(_ target: Target, client: PostgresClient?) async throws {
        let old = try EncryptionKey.generate(for: .laravelAES256CBC),
            new = try EncryptionKey.generate(for: .laravelAES256CBC)
        let rows = Self.rows(150)
        try await Self.createRecords(target, client: client)
        _ = try Eloquent.run(
            connection: target.eloquent, table: target.table, key: old, write: rows.map(\.eloquentAttributes))
        let database = ["--database", target.url, "--table", target.table]

        let rotate = try ReencryptCLI(key: new, previous: [old], cipher: .laravelAES256CBC).run(
            database + Self.recordColumns + ["--batch", "37", "--json"])
        #expect(rotate.status == 0, "\(rotate.stderr)")
        #expect(try rotate.rowsRewritten() == rows.count - 1, "every row but the one of NULLs")
        #expect(
            try PlainRow.fromEloquent(Eloquent.run(connection: target.eloquent, table: target.table, key: new)) == rows)

        let again = try ReencryptCLI(key: new, previous: [old], cipher: .laravelAES256CBC).run(
            database + Self.recordColumns + ["--json"])
        let againRewritten = try again.rowsRewritten()
        #expect(again.status == 0 && againRewritten == 0, "a rerun finds everything current")

        let migrate = try ReencryptCLI(key: new, cipher: .xChaCha20Poly1305)
            .run(
                database + Self.recordColumns + [
                    "--from-cipher", "aes-256-cbc", "--workers", "2", "--batch", "20", "--json",
                ])
        #expect(migrate.status == 0, "\(migrate.stderr)")
        #expect(try migrate.rowsRewritten() == rows.count - 1)

        let xchacha = try CipherConfiguration(cipher: .xChaCha20Poly1305, key: new.exportedString()).makeEncrypter()
        let cells = try await Self.storedCells(target, client: client)
        #expect(cells.count == rows.count)
        var secrets: [(String, String)] = []
        for ((_, secret, settings, profile), row) in zip(cells, rows) {
            #expect(try secret.map { try xchacha.decryptString($0) } == row.secret)
            #expect(
                try settings.map { try JSONDecoder().decode(Settings.self, from: Data(xchacha.decryptString($0).utf8)) }
                    == row.settings)
            #expect(
                try profile.map { try JSONDecoder().decode([String].self, from: Data(xchacha.decryptString($0).utf8)) }
                    == row.profile)
            if let secret, let plain = row.secret { secrets.append((secret, plain)) }
        }
        // PHP 8.2's sodium extension reads laravel-crypto's XChaCha payloads (the interop peer).
        let php = try Peer.php.call(
            cipher: Cipher.xChaCha20Poly1305.rawValue, key: new.withUnsafeBytes { Array($0) },
            items: secrets.map { ["op": "decrypt", "payload": $0.0, "serialized": false] })
        let fromPHP = php.map {
            (($0 as? [String: Any])?["data"] as? String).flatMap { Data(base64Encoded: $0) }.map {
                String(decoding: $0, as: UTF8.self)
            }
        }
        #expect(fromPHP == secrets.map { Optional($0.1) })
    }

    // MARK: kill -9 and resume

    @Test func killedRunsResumeOnSQLite() async throws {
        let path = Servers.temporarySQLitePath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await killAndResume(.sqlite(path: path), client: nil)
    }

    @Test func killedRunsResumeOnPostgres() async throws {
        guard let configuration = Servers.postgres else { return }
        _ = try await Servers.withPostgres { client in
            try await killAndResume(.postgres(configuration, table: Servers.uniqueTable("records")), client: client)
        }
    }

    /// Rows the way `Crypt::encryptString` writes them, under `key`: `secret` = "value N", NULL every 13th.
    static func fillSecrets(_ target: Target, client: PostgresClient?, count: Int, key: EncryptionKey) async throws {
        let crypt = try Cipher.laravelAES256CBC.makeEncrypter(key: key.exportedString())
        let values = try (1...count).map { id in
            (Int64(id), id % 13 == 0 ? nil : try crypt.encryptString("value \(id)"))
        }
        try await createRecords(target, client: client)
        switch target {
        case .sqlite(let path):
            try await DatabaseQueue(path: path).write { db in
                for (id, secret) in values {
                    try db.execute(sql: "INSERT INTO records (id, secret) VALUES (?, ?)", arguments: [id, secret])
                }
            }
        case .postgres(_, let table):
            for chunk in stride(from: 0, to: values.count, by: 500) {
                let slice = values[chunk..<min(chunk + 500, values.count)]
                try await client?.query(
                    "INSERT INTO \(unescaped: table) (id, secret) SELECT * FROM unnest(\(slice.map(\.0)), \(slice.map { $0.1 ?? "" })) AS v(i, s)",
                    logger: logger)
            }
            try await client?.query("UPDATE \(unescaped: table) SET secret = NULL WHERE secret = ''", logger: logger)
        }
    }

    /// Every `secret` opens with `key` alone and reads "value N" (or the app's value); NULLs stay NULL.
    static func expectAllCurrent(
        _ target: Target, client: PostgresClient?, count: Int, key: EncryptionKey, appValues: [Int64: String] = [:]
    ) async throws {
        let crypt = try Cipher.laravelAES256CBC.makeEncrypter(key: key.exportedString())
        let cells = try await storedCells(target, client: client)
        #expect(cells.count >= count)
        var wrong = 0
        for (id, secret, _, _) in cells where id <= Int64(count) {
            let expected = appValues[id] ?? (id % 13 == 0 ? nil : "value \(id)")
            if (try? secret.map { try crypt.decryptString($0) }) != expected { wrong += 1 }
        }
        #expect(wrong == 0, "\(wrong) row(s) do not open with the new key alone to their value")
    }

    func killAndResume(_ target: Target, client: PostgresClient?) async throws {
        let count = 6000
        let old = try EncryptionKey.generate(for: .laravelAES256CBC),
            new = try EncryptionKey.generate(for: .laravelAES256CBC)
        try await Self.fillSecrets(target, client: client, count: count, key: old)
        let cli = try ReencryptCLI(key: new, previous: [old], cipher: .laravelAES256CBC)
        let arguments = ["--database", target.url, "--table", target.table, "--column", "secret", "--batch", "50"]
        var killed = 0
        for _ in 0..<5 {
            let process = try cli.start(arguments)
            // Early enough that the run is still going (a whole run takes a second or more here).
            try await Task.sleep(for: .milliseconds(40 + Int.random(in: 0..<260)))
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                killed += 1
            }
            process.waitUntilExit()
        }
        let resumed = try cli.run(arguments + ["--json"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let tally = try #require((try resumed.summary()["columns"] as? [[String: Any]])?.first)
        let nulls = count / 13
        #expect((tally["current"] as? Int ?? 0) + (tally["rewritten"] as? Int ?? 0) == count - nulls)
        #expect(tally["null"] as? Int == nulls && tally["unreadable"] as? Int == 0)
        #expect(killed >= 1, "at least one run was killed mid-way")
        try await Self.expectAllCurrent(target, client: client, count: count, key: new)
        print(
            "crypto-reencrypt kill -9 test (\(target.url.prefix(6))): \(killed) run(s) killed, resumed run rewrote "
                + "\(tally["rewritten"] ?? 0)"
        )
    }

    // MARK: Concurrent processes and a writing app

    @Test func concurrentProcessesOnPostgres() async throws {
        guard let configuration = Servers.postgres else { return }
        _ = try await Servers.withPostgres { client in
            let count = 3000, nulls = 3000 / 13
            let old = try EncryptionKey.generate(for: .laravelAES256CBC),
                new = try EncryptionKey.generate(for: .laravelAES256CBC)
            let cli = try ReencryptCLI(key: new, previous: [old], cipher: .laravelAES256CBC)

            // Two, then four processes (one with three workers): every row rewritten exactly once.
            for processes in [2, 4] {
                let target = Target.postgres(configuration, table: Servers.uniqueTable("records"))
                try await Self.fillSecrets(target, client: client, count: count, key: old)
                let arguments = [
                    "--database", target.url, "--table", target.table, "--column", "secret", "--batch", "40", "--json",
                ]
                let results = try await withThrowingTaskGroup(of: ProcessResult.self) { group in
                    for index in 0..<processes {
                        group.addTask { try cli.run(arguments + (index == 0 ? ["--workers", "3"] : [])) }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(results.allSatisfy { $0.status == 0 }, "\(results.map(\.stderr))")
                #expect(
                    try results.map { try $0.rowsRewritten() }.reduce(0, +) == count - nulls,
                    "each stale row rewritten exactly once")
                try await Self.expectAllCurrent(target, client: client, count: count, key: new)
            }

            // Two processes while the app changes old rows (under the new key) and adds new ones (old key).
            let target = Target.postgres(configuration, table: Servers.uniqueTable("records"))
            try await Self.fillSecrets(target, client: client, count: count, key: old)
            let appCrypt = try Cipher.laravelAES256CBC.makeEncrypter(key: new.exportedString())
            let oldCrypt = try Cipher.laravelAES256CBC.makeEncrypter(key: old.exportedString())
            let arguments = [
                "--database", target.url, "--table", target.table, "--column", "secret", "--batch", "25", "--json",
            ]
            let changed = Array(Set((0..<300).map { _ in Int64.random(in: 1...Int64(count)) }))
            var appValues: [Int64: String] = [:]
            for id in changed { appValues[id] = "app wrote \(id)" }
            let frozen = appValues
            let results = try await withThrowingTaskGroup(of: [ProcessResult].self) { group in
                for _ in 0..<2 { group.addTask { [try cli.run(arguments)] } }
                group.addTask {
                    for id in changed {
                        let value = try appCrypt.encryptString(frozen[id] ?? "")
                        try await client.query(
                            "UPDATE \(unescaped: target.table) SET secret = \(value) WHERE id = \(id)",
                            logger: Self.logger)
                    }
                    for id in (count + 1)...(count + 200) {
                        try await client.query(
                            "INSERT INTO \(unescaped: target.table) (id, secret) VALUES (\(Int64(id)), \(try oldCrypt.encryptString("value \(id)")))",
                            logger: Self.logger)
                    }
                    return []
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(results.allSatisfy { $0.status == 0 }, "\(results.map(\.stderr))")
            // The app's writes survived; a final run picks up whatever was inserted behind the scan.
            try await Self.expectAllCurrent(target, client: client, count: count, key: new, appValues: frozen)
            let final = try cli.run(arguments)
            #expect(final.status == 0)
            var inserted = frozen
            for id in (count + 1)...(count + 200) { inserted[Int64(id)] = "value \(id)" }
            try await Self.expectAllCurrent(target, client: client, count: count + 200, key: new, appValues: inserted)
            let total = try results.map { try $0.rowsRewritten() }.reduce(0, +) + (try final.rowsRewritten())
            #expect(total <= count - nulls + 200, "no row rewritten twice")
        }
    }

    // MARK: The conditional write

    @Test func conditionalWriteNeverClobbers() async throws {
        let plan = try ReencryptionPlan(table: "records", key: "id", columns: [EncryptedColumn(name: "secret")])
        let path = Servers.temporarySQLitePath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await DatabaseQueue(path: path).write { db in
            try SecretRecord.createTable(db)
            try db.execute(sql: "INSERT INTO records (id, secret) VALUES (1, 'a'), (2, 'b'), (3, NULL)")
        }
        let sqlite = try SQLiteReencryptionDatabase(path: path)
        try await expectConditionalWrite(sqlite, plan: plan)
        let after = try await DatabaseQueue(path: path).read {
            try String?.fetchAll($0, sql: "SELECT secret FROM records ORDER BY id")
        }
        #expect(after == ["a", "B", "C"])

        guard let configuration = Servers.postgres else { return }
        _ = try await Servers.withPostgres { client in
            let table = Servers.uniqueTable("records")
            try await client.query(
                "CREATE TABLE \(unescaped: table) (id bigint PRIMARY KEY, secret text)", logger: Self.logger)
            try await client.query(
                "INSERT INTO \(unescaped: table) VALUES (1, 'a'), (2, 'b'), (3, NULL)", logger: Self.logger)
            let plan = try ReencryptionPlan(table: table, key: "id", columns: [EncryptedColumn(name: "secret")])
            let postgres = try await PostgresReencryptionDatabase.connect(
                client: client, displayName: Target.postgres(configuration, table: table).url, plan: plan)
            try await expectConditionalWrite(postgres, plan: plan)
            var after: [String?] = []
            for try await secret in try await client.query(
                "SELECT secret FROM \(unescaped: table) ORDER BY id", logger: Self.logger
            ).decode(String?.self) {
                after.append(secret)
            }
            #expect(after == ["a", "B", "C"])
        }
    }

    /// Row 1 is "changed by the app" (the update expects another value): not written, reported;
    /// row 2 is written; row 3 goes from NULL to a value only because NULL is what was read.
    func expectConditionalWrite(_ database: any ReencryptionDatabase, plan: ReencryptionPlan) async throws {
        let (reports, result) = try await database.process(
            .between(lower: nil, upper: .integer(3)), plan, lock: .wait
        ) { row in
            let report = RowReport(key: row.key, columns: [], indexes: [])
            switch row.key {
            case .integer(1):
                return (RowUpdate(key: row.key, old: [.text("not what is stored")], new: [.text("A")]), report)
            case .integer(2): return (RowUpdate(key: row.key, old: row.cells, new: [.text("B")]), report)
            default: return (RowUpdate(key: row.key, old: row.cells, new: [.text("C")]), report)
            }
        }
        #expect(reports.map(\.key) == [.integer(1), .integer(2), .integer(3)])
        #expect(result.updated == [.integer(2), .integer(3)])
        #expect(result.conflicts == [.integer(1)])
    }

    // MARK: A batch cut into slices

    /// A 700-row batch is decided and written in slices (the crypto of one overlaps the writes of
    /// the one before): every slice is written, conflicts in any slice are reported, the reports
    /// come back in key order, and a write failing in a later slice rolls back the earlier ones.
    @Test func slicedBatchIsOneTransaction() async throws {
        let rows = 700
        let path = Servers.temporarySQLitePath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await DatabaseQueue(path: path).write { db in
            try db.execute(sql: "CREATE TABLE sliced (id INTEGER PRIMARY KEY, secret TEXT CHECK (secret <> 'refused'))")
            for id in 1...rows { try db.execute(sql: "INSERT INTO sliced VALUES (?, ?)", arguments: [id, "v\(id)"]) }
        }
        let plan = try ReencryptionPlan(
            table: "sliced", key: "id", columns: [EncryptedColumn(name: "secret")], batchSize: rows)
        let sqlite = try SQLiteReencryptionDatabase(path: path)
        try await expectSlicedBatch(sqlite, plan: plan, rows: rows) {
            try await DatabaseQueue(path: path).read { db in
                try String.fetchAll(db, sql: "SELECT secret FROM sliced ORDER BY id")
            }
        }

        guard Servers.postgres != nil else { return }
        _ = try await Servers.withPostgres { client in
            let table = Servers.uniqueTable("sliced")
            try await client.query(
                "CREATE TABLE \(unescaped: table) (id bigint PRIMARY KEY, secret text CHECK (secret <> 'refused'))",
                logger: Self.logger)
            try await client.query(
                "INSERT INTO \(unescaped: table) SELECT i, 'v' || i FROM generate_series(1, \(unescaped: String(rows))) i",
                logger: Self.logger)
            let plan = try ReencryptionPlan(
                table: table, key: "id", columns: [EncryptedColumn(name: "secret")], batchSize: rows)
            let postgres = try await PostgresReencryptionDatabase.connect(
                client: client, displayName: "postgres", plan: plan)
            try await expectSlicedBatch(postgres, plan: plan, rows: rows) {
                var values: [String] = []
                for try await value in try await client.query(
                    "SELECT secret FROM \(unescaped: table) ORDER BY id", logger: Self.logger
                ).decode(String.self) {
                    values.append(value)
                }
                return values
            }
        }
    }

    /// Rows 5, 300 and 650 (three different slices) were "changed by the app"; every other row is
    /// rewritten. Then a run that writes a refused value in its last slice changes nothing.
    func expectSlicedBatch(
        _ database: any ReencryptionDatabase, plan: ReencryptionPlan, rows: Int,
        values: () async throws -> [String]
    ) async throws {
        let changedByApp: Set<PrimaryKeyValue> = [.integer(5), .integer(300), .integer(650)]
        let everything = KeyRange.between(lower: nil, upper: .integer(Int64(rows)))
        let (reports, result) = try await database.process(everything, plan, lock: .wait) { row in
            let old: [Cell] = changedByApp.contains(row.key) ? [.text("not what is stored")] : row.cells
            return (
                RowUpdate(key: row.key, old: old, new: [.text("n\(row.key)")]),
                RowReport(key: row.key, columns: [], indexes: [])
            )
        }
        #expect(reports.map(\.key) == (1...rows).map { .integer(Int64($0)) })
        #expect(result.conflicts == [.integer(5), .integer(300), .integer(650)])
        #expect(result.updated.count == rows - 3)
        let expected = (1...rows).map { changedByApp.contains(.integer(Int64($0))) ? "v\($0)" : "n\($0)" }
        #expect(try await values() == expected)

        await #expect(throws: ReencryptError.self) {
            _ = try await database.process(everything, plan, lock: .wait) { row in
                let new: Cell = row.key == .integer(Int64(rows)) ? .text("refused") : .text("again")
                return (
                    RowUpdate(key: row.key, old: row.cells, new: [new]),
                    RowReport(key: row.key, columns: [], indexes: [])
                )
            }
        }
        #expect(try await values() == expected)
    }

    // MARK: Transient failures

    /// A deadlock or a busy database fails a batch as a whole; the batch is run again, and a run
    /// that keeps failing stops with the error instead of looping.
    @Test func transientFailuresAreRetried() async throws {
        let path = Servers.temporarySQLitePath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let old = try EncryptionKey.generate(for: .laravelAES256CBC),
            new = try EncryptionKey.generate(for: .laravelAES256CBC)
        try await Self.fillSecrets(.sqlite(path: path), client: nil, count: 300, key: old)
        let plan = try ReencryptionPlan(
            table: "records", key: "id", columns: [EncryptedColumn(name: "secret")], batchSize: 50)
        let migration = try MigrationEncrypter(
            writing: CipherConfiguration(
                cipher: .laravelAES256CBC, key: new.exportedString(), previousKeys: [old.exportedString()]))
        let rewriter = try RowRewriter(plan: plan, migration: migration, blindIndex: nil)
        let sqlite = try SQLiteReencryptionDatabase(path: path)

        let flaky = FlakyDatabase(base: sqlite, failures: FailureBudget(3))
        let summary = try await Reencryptor(database: flaky, rewriter: rewriter).run()
        #expect(summary.rowsRewritten == 300 - 300 / 13)
        #expect(await flaky.failures.remaining == 0)
        try await Self.expectAllCurrent(.sqlite(path: path), client: nil, count: 300, key: new)

        let broken = FlakyDatabase(base: sqlite, failures: FailureBudget(1000))
        await #expect(throws: ReencryptError.self) { try await Reencryptor(database: broken, rewriter: rewriter).run() }
        #expect(await broken.failures.remaining == 1000 - Reencryptor.transientRetries - 1)
    }

    // MARK: Refusals and exit codes

    @Test func errorsAndExitCodes() async throws {
        let path = Servers.temporarySQLitePath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let old = try EncryptionKey.generate(for: .laravelAES256CBC),
            new = try EncryptionKey.generate(for: .laravelAES256CBC)
        let oldCrypt = try Cipher.laravelAES256CBC.makeEncrypter(key: old.exportedString())
        let oldIndex = try BlindIndex(appKey: old.exportedString())
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(
                sql: "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, email_index BLOB, secret TEXT)")
            for id in 1...30 {
                let email = "User\(id)@Example.com "
                try db.execute(
                    sql: "INSERT INTO users VALUES (?, ?, ?, ?)",
                    arguments: [
                        id, email, Data(try oldIndex.compute(email, column: "email")),
                        id == 2 ? "garbage" : id == 3 ? nil : try oldCrypt.encryptString("hello \(id)"),
                    ])
            }
        }
        func dump() async throws -> [[String?]] {
            try await queue.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM users ORDER BY id").map { row in
                    row.databaseValues.map(\.description)
                }
            }
        }
        let before = try await dump()
        let cli = try ReencryptCLI(key: new, previous: [old], cipher: .laravelAES256CBC)
        let base = ["--database", "sqlite:\(path)", "--table", "users"]

        let dry = try cli.run(base + ["--column", "secret", "--index", "email_index=email", "--dry-run", "--json"])
        #expect(dry.status == 0, "\(dry.stderr)")
        let dryColumns = try #require(try dry.summary()["columns"] as? [[String: Any]])
        #expect(
            dryColumns.first?["rewritten"] as? Int == 28 && dryColumns.first?["unreadable"] as? Int == 1
                && dryColumns.first?["null"] as? Int == 1)
        #expect(try await dump() == before, "a dry run writes nothing")

        let wrongKind = try cli.run(base + ["--column", "secret:json"])
        #expect(wrongKind.status == 65 && wrongKind.stderr.contains("declared json"), "\(wrongKind.stderr)")
        let wrongKeys = try ReencryptCLI(
            key: try EncryptionKey.generate(for: .laravelAES256CBC), cipher: .laravelAES256CBC
        ).run(base + ["--column", "secret"])
        #expect(wrongKeys.status == 65 && wrongKeys.stderr.contains("wrong keys"), "\(wrongKeys.stderr)")
        let missingTable = try cli.run(["--database", "sqlite:\(path)", "--table", "nope", "--column", "secret"])
        #expect(missingTable.status == 1 && missingTable.stderr.contains("does not exist"))
        let missingColumn = try cli.run(base + ["--column", "ssn"])
        #expect(missingColumn.status == 1 && missingColumn.stderr.contains("has no column \"ssn\""))
        let badURL = try cli.run([
            "--database", "mysql://root:hunter2@db/app", "--table", "users", "--column", "secret",
        ])
        #expect(
            badURL.status == 64 && !badURL.stderr.contains("hunter2"), "the password is never echoed: \(badURL.stderr)")
        let badKind = try cli.run(base + ["--column", "secret:xml"])
        #expect(badKind.status == 64 && badKind.stderr.contains("unknown kind"))
        let missingFile = try cli.run([
            "--database", "sqlite:/nonexistent/app.sqlite", "--table", "users", "--column", "secret",
        ])
        #expect(missingFile.status == 1 && missingFile.stderr.contains("no SQLite database"))
        let noCipher = ReencryptCLI(environment: cli.environment.filter { $0.key != "APP_CIPHER" })
        let withoutCipher = try noCipher.run(base + ["--column", "secret"])
        #expect(withoutCipher.status == 1 && withoutCipher.stderr.contains("APP_CIPHER"))
        let unreachable = try cli.run([
            "--database", "postgres://app@127.0.0.1:1/app?sslmode=disable", "--table", "users", "--column", "secret",
        ])
        #expect(unreachable.status == 1 && unreachable.stderr.contains("cannot connect"), "\(unreachable.stderr)")
        #expect(try await dump() == before, "no refused run wrote anything")

        let run = try cli.run(base + ["--column", "secret", "--index", "email_index=email", "--batch", "7"])
        #expect(run.status == 0 && run.stdout.contains("untouched: secret of row 2"), "\(run.stdout) \(run.stderr)")
        let newCrypt = try Cipher.laravelAES256CBC.makeEncrypter(key: new.exportedString())
        let newIndex = try BlindIndex(appKey: new.exportedString())
        let rows = try queue.read {
            try Row.fetchAll($0, sql: "SELECT id, email, email_index, secret FROM users ORDER BY id")
        }
        for row in rows {
            let id: Int = row[0], email: String = row[1], index: Data = row[2], secret: String? = row[3]
            #expect(Array(index) == (try newIndex.compute(email, column: "email")), "index of row \(id)")
            switch id {
            case 2: #expect(secret == "garbage", "an unreadable value is left as it was")
            case 3: #expect(secret == nil, "NULL stays NULL")
            default: #expect(try secret.map { try newCrypt.decryptString($0) } == "hello \(id)")
            }
        }
        let strict = try cli.run(base + ["--column", "secret", "--strict"])
        #expect(strict.status == 65 && strict.stderr.contains("--strict"))
    }
}

/// How many more transactions ``FlakyDatabase`` fails.
actor FailureBudget {
    private(set) var remaining: Int

    init(_ count: Int) {
        remaining = count
    }

    func take() -> Bool {
        guard remaining > 0 else { return false }
        remaining -= 1
        return true
    }
}

/// A database whose transactions fail as a deadlocked one does, while its budget lasts.
struct FlakyDatabase: ReencryptionDatabase {
    let base: any ReencryptionDatabase
    let failures: FailureBudget

    var displayName: String { base.displayName }
    var supportsConcurrentWriters: Bool { base.supportsConcurrentWriters }
    func check(_ plan: ReencryptionPlan) async throws { try await base.check(plan) }
    func rowCount(_ plan: ReencryptionPlan) async throws -> Int { try await base.rowCount(plan) }

    func rangeEnd(after lower: PrimaryKeyValue?, limit: Int, _ plan: ReencryptionPlan) async throws -> PrimaryKeyValue?
    {
        try await base.rangeEnd(after: lower, limit: limit, plan)
    }

    func process(_ range: KeyRange, _ plan: ReencryptionPlan, lock: LockMode, decide: @escaping RowDecider)
        async throws -> ([RowReport], RangeResult)
    {
        if await failures.take() { throw ReencryptError.transient("deadlock detected") }
        return try await base.process(range, plan, lock: lock, decide: decide)
    }
}

extension ReencryptCLI {
    init(environment: [String: String]) {
        self.environment = environment
    }
}
#endif
