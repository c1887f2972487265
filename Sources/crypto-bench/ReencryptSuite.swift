#if GRDB && PostgresNIO
import Foundation
import GRDB
import LaravelCrypto
import Logging
import PostgresNIO
import ReencryptCore

/// `crypto-bench --suite reencrypt` (built with `--traits GRDB,PostgresNIO`): rows/s of a rotation
/// of one 200-byte encrypted column, beside the database floor (the same scan, batches and
/// conditional `UPDATE`s writing each value back unchanged, no crypto) and the crypto alone, in the
/// same run, on SQLite and on PostgreSQL (`PGHOST`/`PGPORT`/`PGUSER`/`PGDATABASE`).
struct ReencryptSuite {
    struct Line {
        let name: String
        let rowsPerSecond: Double
        /// The floor: each value written back unchanged.
        let floorRowsPerSecond: Double
        /// Each value replaced by another of the same length (its last byte flipped), no crypto:
        /// what any rotation must write (SQLite skips writing a record that did not change).
        let changedFloorRowsPerSecond: Double
        var share: Double { rowsPerSecond / floorRowsPerSecond }
        var changedShare: Double { rowsPerSecond / changedFloorRowsPerSecond }
    }

    let rows: Int
    let batch = 1000

    func run() async throws -> (lines: [Line], cryptoRowsPerSecond: Double, peakRSS: Int) {
        let keys = try (0..<3).map { _ in try EncryptionKey.generate(for: .laravelAES256CBC).exportedString() }
        let plan = try ReencryptionPlan(
            table: "bench_reencrypt", key: "id", columns: [EncryptedColumn(name: "secret")], batchSize: batch)
        var lines: [Line] = []

        CryptoBench.progress("reencrypt: the crypto alone")
        let crypto = try cryptoAlone(keys: keys, plan: plan)

        CryptoBench.progress("reencrypt: SQLite, \(rows) rows")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "crypto-bench-reencrypt-\(UUID().uuidString).sqlite"
        ).path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(sql: "CREATE TABLE bench_reencrypt (id INTEGER PRIMARY KEY, secret TEXT)")
        }
        try await fill(keys[0]) { chunk in
            try await queue.write { db in
                for (id, secret) in chunk {
                    try db.execute(sql: "INSERT INTO bench_reencrypt VALUES (?, ?)", arguments: [id, secret])
                }
            }
        }
        let sqlite = try SQLiteReencryptionDatabase(path: path)
        lines.append(
            try await compare(
                "SQLite (GRDB), 1 worker", sqlite, plan: plan, writer: keys[1], previous: keys[0], workers: 1
            ) {})

        if let configuration = Self.postgresConfiguration() {
            CryptoBench.progress("reencrypt: PostgreSQL, \(rows) rows")
            let client = PostgresClient(configuration: configuration)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                defer { group.cancelAll() }
                try await client.query("DROP TABLE IF EXISTS bench_reencrypt")
                try await client.query("CREATE TABLE bench_reencrypt (id bigint PRIMARY KEY, secret text)")
                try await fill(keys[0]) { chunk in
                    try await client.query(
                        "INSERT INTO bench_reencrypt SELECT * FROM unnest(\(chunk.map(\.0)), \(chunk.map(\.1)))")
                }
                // A freshly filled table has full pages, so the first pass over it cannot update in
                // place (no HOT updates) and every later pass can: one untimed pass first, so the
                // floors and the rotation all meet the table in the same state.
                try await client.query("UPDATE bench_reencrypt SET secret = secret")
                try await client.query("VACUUM ANALYZE bench_reencrypt")
                let postgres = try await PostgresReencryptionDatabase.connect(
                    client: client, displayName: "postgres", plan: plan)
                // Every pass leaves a dead version of each row behind; without this, a pass ran
                // faster or slower depending on where autovacuum and the checkpointer happened to
                // be, and the first pass (the floor) met a table the later ones did not.
                let settle: @Sendable () async throws -> Void = {
                    try await client.query("VACUUM bench_reencrypt")
                    _ = try? await client.query("CHECKPOINT")  // needs a superuser; best effort
                }
                lines.append(
                    try await compare(
                        "PostgreSQL, 1 worker", postgres, plan: plan, writer: keys[1], previous: keys[0], workers: 1,
                        settle: settle))
                lines.append(
                    try await compare(
                        "PostgreSQL, 2 workers", postgres, plan: plan, writer: keys[2], previous: keys[1], workers: 2,
                        settle: settle))
                try await client.query("DROP TABLE bench_reencrypt")
            }
        } else {
            FileHandle.standardError.write(
                Data("crypto-bench: PGHOST is not set; the PostgreSQL lines are left out\n".utf8))
        }
        CryptoBench.progress(nil)
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return (lines, crypto, Int(usage.ru_maxrss) * 1024)
    }

    /// Inserts `rows` rows of one 200-byte value encrypted under `key`, 10 000 at a time.
    private func fill(_ key: String, insert: ([(Int64, String)]) async throws -> Void) async throws {
        let crypt = try Cipher.laravelAES256CBC.makeEncrypter(key: key)
        let plaintext = String(repeating: "x", count: 200)
        for start in stride(from: 1, through: rows, by: 10_000) {
            let chunk = try (start..<min(start + 10_000, rows + 1)).map {
                (Int64($0), try crypt.encryptString(plaintext))
            }
            try await insert(chunk)
        }
    }

    /// The floor (each value written back unchanged) then the rotation, on the same table, each
    /// pass after `settle` (which brings the table back to the same physical state, untimed).
    private func compare(
        _ name: String, _ database: any ReencryptionDatabase, plan: ReencryptionPlan, writer: String, previous: String,
        workers: Int, settle: () async throws -> Void
    ) async throws -> Line {
        try await settle()
        let floor = Reencryptor(database: database, plan: plan, workers: workers) { row, _ in
            let states = row.cells.map { $0 == .null ? ValueState.null : .stale }
            let update = RowUpdate(key: row.key, old: row.cells, new: row.cells.map { $0 == .null ? nil : $0 })
            return (update, RowReport(key: row.key, columns: states, indexes: []))
        }
        let floorSummary = try await floor.run(progressEvery: .infinity)
        // Flipped twice: the table holds its payloads again afterwards.
        var changedSeconds = 0.0
        for _ in 0..<2 {
            let changed = Reencryptor(database: database, plan: plan, workers: workers) { row, _ in
                let new: [ReencryptCore.Cell?] = row.cells.map { cell in
                    guard case .text(let text) = cell else { return nil }
                    var bytes = Array(text.utf8)
                    bytes[bytes.count - 1] ^= 1  // ASCII stays ASCII; twice restores it
                    return .text(String(decoding: bytes, as: UTF8.self))
                }
                return (
                    RowUpdate(key: row.key, old: row.cells, new: new),
                    RowReport(key: row.key, columns: row.cells.map { _ in .stale }, indexes: [])
                )
            }
            try await settle()
            changedSeconds += try await changed.run(progressEvery: .infinity).seconds / 2
        }
        try await settle()
        let rewriter = try RowRewriter(
            plan: plan, migration: try migration(writer: writer, previous: previous), blindIndex: nil)
        let summary = try await Reencryptor(database: database, rewriter: rewriter, workers: workers).run(
            progressEvery: .infinity)
        guard summary.rowsRewritten == rows, floorSummary.rowsRewritten == rows else {
            throw BenchFailure(
                "\(name): rewrote \(summary.rowsRewritten) (floor \(floorSummary.rowsRewritten)) of \(rows) rows")
        }
        return Line(
            name: name, rowsPerSecond: Double(rows) / summary.seconds,
            floorRowsPerSecond: Double(rows) / floorSummary.seconds,
            changedFloorRowsPerSecond: Double(rows) / changedSeconds)
    }

    private func migration(writer: String, previous: String) throws -> MigrationEncrypter {
        try MigrationEncrypter(
            writing: CipherConfiguration(cipher: .laravelAES256CBC, key: writer, previousKeys: [previous]))
    }

    /// Rows/s of the rewrite decision alone (decrypt, re-encrypt) on 100 000 in-memory rows.
    private func cryptoAlone(keys: [String], plan: ReencryptionPlan) throws -> Double {
        let crypt = try Cipher.laravelAES256CBC.makeEncrypter(key: keys[0])
        let plaintext = String(repeating: "x", count: 200)
        let sample = try (0..<min(rows, 100_000)).map {
            TableRow(key: .integer(Int64($0)), cells: [.text(try crypt.encryptString(plaintext))])
        }
        let rewriter = try RowRewriter(
            plan: plan, migration: try migration(writer: keys[1], previous: keys[0]), blindIndex: nil)
        let start = Sampler.now()
        var rewritten = 0
        for row in sample where rewriter.rewrite(row).0 != nil { rewritten += 1 }
        guard rewritten == sample.count else { throw BenchFailure("the crypto-alone pass rewrote \(rewritten) rows") }
        let single = Double(sample.count) / ((Sampler.now() - start) / 1e9)
        let parallelStart = Sampler.now()
        for batch in stride(from: 0, to: sample.count, by: batch) {
            let decisions = ParallelRows.map(Array(sample[batch..<min(batch + self.batch, sample.count)])) {
                rewriter.rewrite($0).0 != nil
            }
            guard decisions.allSatisfy({ $0 }) else { throw BenchFailure("the parallel crypto pass missed rows") }
        }
        FileHandle.standardError.write(
            Data(
                String(
                    format: "crypto alone: %.0f rows/s on one thread, %.0f rows/s on %d cores\n", single,
                    Double(sample.count) / ((Sampler.now() - parallelStart) / 1e9),
                    ProcessInfo.processInfo.activeProcessorCount
                ).utf8))
        return single
    }

    static func postgresConfiguration() -> PostgresClient.Configuration? {
        let environment = ProcessInfo.processInfo.environment
        guard let host = environment["PGHOST"] else { return nil }
        return PostgresClient.Configuration(
            host: host, port: environment["PGPORT"].flatMap { Int($0) } ?? 5432,
            username: environment["PGUSER"] ?? "postgres",
            password: environment["PGPASSWORD"], database: environment["PGDATABASE"] ?? "postgres", tls: .disable)
    }

    static func markdown(
        _ result: (lines: [Line], cryptoRowsPerSecond: Double, peakRSS: Int), rows: Int, machine: Machine
    ) -> String {
        var out = "# crypto-bench --suite reencrypt\n\n"
        out += "Machine: \(machine.summary).\n\n"
        out += "\(rows) rows, one 200-byte value each (Laravel AES-256-CBC, key rotation), batches of 1000.\n\n"
        out +=
            "| Database | crypto-reencrypt | floor: value written back | share (target ≥ 70%) | floor: value changed | "
            + "share |\n"
        out += "|---|---:|---:|---:|---:|---:|\n"
        for line in result.lines {
            out += String(
                format: "| %@ | %.0f rows/s | %.0f rows/s | %.0f%% %@ | %.0f rows/s | %.0f%% |\n",
                line.name, line.rowsPerSecond, line.floorRowsPerSecond, line.share * 100, line.share >= 0.7 ? "✓" : "✗",
                line.changedFloorRowsPerSecond, line.changedShare * 100)
        }
        let one = result.lines.first { $0.name == "PostgreSQL, 1 worker" },
            two = result.lines.first { $0.name == "PostgreSQL, 2 workers" }
        if let one, let two {
            out += String(
                format: "\nPostgreSQL, 2 workers vs 1: %.2f× (floor %.2f×; target ≥ 1.6× where the floor scales).\n",
                two.rowsPerSecond / one.rowsPerSecond, two.floorRowsPerSecond / one.floorRowsPerSecond)
        }
        out += String(
            format:
                "\nThe crypto alone (decrypt + re-encrypt, one thread): %.0f rows/s. Peak RSS of the whole run: %.0f "
                + "MiB.\n",
            result.cryptoRowsPerSecond, Double(result.peakRSS) / 1_048_576)
        return out
    }
}
#endif
