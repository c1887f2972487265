#if Hummingbird && GRDB && PostgresNIO
import Foundation
import GRDB
import LaravelCrypto
import LaravelCryptoTestSupport
import Logging
import PostgresNIO
import ReencryptCore
import Testing

/// `crypto-reencrypt` on tables whose primary key is not an integer: every SQLite storage class
/// (including text a Swift string cannot carry: a NUL byte, bytes that are not UTF-8) and the
/// PostgreSQL key types Laravel apps use (`uuid`, text, `bytea`). A key read inexactly would send
/// the scan back to a range it had done (it used to loop for ever on BLOB keys) and would make
/// each conditional write miss its row.
@Suite("crypto-reencrypt: keys of every kind", .serialized)
struct ReencryptKeyKindsTests {
    static let logger = Logger(label: "tests")

    // MARK: The key type itself

    @Test func textKeysCompareByTheirBytes() {
        let composed = PrimaryKeyValue.text("\u{E9}"), decomposed = PrimaryKeyValue.text("e\u{301}")
        // Swift's String == calls these equal; as database keys they are two rows.
        #expect(composed != decomposed)
        #expect(Set([composed, decomposed]).count == 2)
        #expect(PrimaryKeyValue.textBytes([0x6B, 0xFF]) != .blob([0x6B, 0xFF]))
        #expect(PrimaryKeyValue.integer(1) != .real(1))
    }

    @Test func keysDescribeThemselvesWithoutRawBytes() {
        #expect(PrimaryKeyValue.integer(42).description == "42")
        #expect(PrimaryKeyValue.text("9b2c-uuid").description == "9b2c-uuid")
        #expect(PrimaryKeyValue.text("a\u{0}z").description == "CAST(x'61007a' AS TEXT)")
        #expect(PrimaryKeyValue.text("a\tb").description == "CAST(x'610962' AS TEXT)")
        #expect(PrimaryKeyValue.blob([0x00, 0xAB]).description == "x'00ab'")
        #expect(PrimaryKeyValue.textBytes([0x6B, 0xFF]).description == "CAST(x'6bff' AS TEXT)")
    }

    // MARK: SQLite: every storage class in one key column

    /// Keys as SQL literals (so text with a NUL or bad UTF-8 is stored exactly) and, for each,
    /// whether the row's `other` column holds text that is not UTF-8 instead of a payload.
    static let sqliteKeys: [(literal: String, garbageOther: Bool)] = [
        ("1", false), ("2", false), ("-7", false), ("1.5", false), ("2.25", false),
        ("'3f0c6a52-8d1e-4b8e-9a57-2f1c0d9e4b11'", false), ("'9b2c1e70-0000-4000-8000-000000000001'", false),
        ("CAST(x'c3a9' AS TEXT)", false), ("CAST(x'65cc81' AS TEXT)", false),  // é composed and decomposed
        ("'a' || char(9) || 'b'", false), ("CAST(x'007a' AS TEXT)", false), ("CAST(x'61007a' AS TEXT)", false),
        ("CAST(x'6bff' AS TEXT)", true), ("CAST(x'f09080' AS TEXT)", false), ("''", false),
        ("x'00'", false), ("x'3f0c6a528d1e4b8e9a572f1c0d9e4b11'", false), ("x'ff'", false), ("x''", false),
    ]

    @Test func everySQLiteKeyKindIsRotated() async throws {
        let path = Servers.temporarySQLitePath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let old = try EncryptionKey.generate(for: .laravelAES256CBC),
            new = try EncryptionKey.generate(for: .laravelAES256CBC)
        let crypt = try Cipher.laravelAES256CBC.makeEncrypter(key: old.exportedString())
        try await DatabaseQueue(path: path).write { db in
            // No declared type: the key column takes integers, reals, text and blobs alike.
            try db.execute(sql: "CREATE TABLE keyed (k PRIMARY KEY, secret TEXT, other TEXT)")
            for (index, key) in Self.sqliteKeys.enumerated() {
                let other = key.garbageOther ? "CAST(x'ff00fe' AS TEXT)" : "?"
                var arguments: StatementArguments = [try crypt.encryptString("secret \(index)")]
                if !key.garbageOther { _ = arguments.append(contentsOf: [try crypt.encryptString("other \(index)")]) }
                try db.execute(sql: "INSERT INTO keyed VALUES (\(key.literal), ?, \(other))", arguments: arguments)
            }
        }
        let count = Self.sqliteKeys.count
        let cli = try ReencryptCLI(key: new, previous: [old], cipher: .laravelAES256CBC)
        let arguments = [
            "--database", "sqlite:\(path)", "--table", "keyed", "--key", "k", "--column", "secret", "--column", "other",
            "--batch", "2",
        ]
        let run = try cli.run(arguments + ["--json"], timeLimit: 120)
        #expect(run.status == 0, "\(run.stderr)")
        let summary = try run.summary()
        #expect(summary["rowsSeen"] as? Int == count)
        #expect(summary["rowsRewritten"] as? Int == count)
        #expect(summary["rowsChangedDuringRun"] as? Int == 0 && summary["rowsLeftChanging"] as? Int == 0)
        let columns = summary["columns"] as? [[String: Any]] ?? []
        #expect(columns.first?["rewritten"] as? Int == count)
        #expect(columns.last?["rewritten"] as? Int == count - 1 && columns.last?["unreadable"] as? Int == 1)
        let untouched = summary["untouched"] as? [[String: Any]] ?? []
        #expect(untouched.map { $0["key"] as? String } == ["CAST(x'6bff' AS TEXT)"])

        // Every row is still there once, each secret opens with the new key alone to its own value,
        // and the bytes no key opens are exactly as they were.
        let fresh = try Cipher.laravelAES256CBC.makeEncrypter(key: new.exportedString())
        let stored = try DatabaseQueue(path: path).read { db in
            try Row.fetchAll(db, sql: "SELECT typeof(k) || ':' || hex(k), secret, other, hex(other) FROM keyed")
        }
        #expect(stored.count == count)
        for (index, key) in Self.sqliteKeys.enumerated() {
            let expectedKey = try await DatabaseQueue(path: path).read { db in
                try String.fetchOne(db, sql: "SELECT typeof(\(key.literal)) || ':' || hex(\(key.literal))")
            }
            let matches = stored.filter { ($0[0] as String?) == expectedKey }
            #expect(matches.count == 1, "key \(key.literal)")
            guard let row = matches.first else { continue }
            #expect((try? fresh.decryptString(row[1] as String? ?? "")) == "secret \(index)", "key \(key.literal)")
            if key.garbageOther {
                #expect(row[3] as String? == "FF00FE")
            } else {
                #expect((try? fresh.decryptString(row[2] as String? ?? "")) == "other \(index)", "key \(key.literal)")
            }
        }

        let again = try cli.run(arguments + ["--dry-run", "--json"], timeLimit: 120)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(((try again.summary()["columns"] as? [[String: Any]])?.first?["current"] as? Int) == count)
    }

    // MARK: NULL keys

    /// SQLite lets a non-integer primary key hold NULL (and any --key column may): such rows cannot
    /// be found by their key, so the run refuses before writing anything, and `--key rowid` works.
    @Test func nullKeysAreRefusedBeforeAnythingIsWritten() async throws {
        let path = Servers.temporarySQLitePath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let old = try EncryptionKey.generate(for: .laravelAES256CBC),
            new = try EncryptionKey.generate(for: .laravelAES256CBC)
        let crypt = try Cipher.laravelAES256CBC.makeEncrypter(key: old.exportedString())
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(sql: "CREATE TABLE loose (k TEXT PRIMARY KEY, secret TEXT)")
            for (index, key) in ["a", nil, "b", nil].enumerated() {
                try db.execute(
                    sql: "INSERT INTO loose VALUES (?, ?)", arguments: [key, try crypt.encryptString("v\(index)")])
            }
        }
        let before = try await queue.read { try String.fetchAll($0, sql: "SELECT secret FROM loose ORDER BY rowid") }
        let cli = try ReencryptCLI(key: new, previous: [old], cipher: .laravelAES256CBC)
        let arguments = ["--database", "sqlite:\(path)", "--table", "loose", "--column", "secret"]
        let refused = try cli.run(arguments + ["--key", "k"], timeLimit: 120)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("2 row(s) of table \"loose\""), "\(refused.stderr)")
        #expect(refused.stderr.contains("NULL \"k\""), "\(refused.stderr)")
        let untouched = try await queue.read { try String.fetchAll($0, sql: "SELECT secret FROM loose ORDER BY rowid") }
        #expect(untouched == before)

        let byRowID = try cli.run(arguments + ["--key", "rowid", "--json"], timeLimit: 120)
        #expect(byRowID.status == 0, "\(byRowID.stderr)")
        #expect(try byRowID.rowsRewritten() == 4)

        guard let configuration = Servers.postgres else { return }
        _ = try await Servers.withPostgres { client in
            let table = Servers.uniqueTable("loose")
            try await client.query(
                "CREATE TABLE \(unescaped: table) (id bigint PRIMARY KEY, code text, secret text)", logger: Self.logger)
            try await client.query(
                "INSERT INTO \(unescaped: table) VALUES (1, 'x', \(try crypt.encryptString("v"))), (2, NULL, NULL)",
                logger: Self.logger)
            let url = ReencryptTests.Target.postgres(configuration, table: table).url
            let run = try cli.run(
                ["--database", url, "--table", table, "--key", "code", "--column", "secret"], timeLimit: 120)
            #expect(run.status == 1)
            #expect(run.stderr.contains("1 row(s) of table"), "\(run.stderr)")
        }
    }

    // MARK: SQLite: numbers in columns without a type

    /// A column declared without a type keeps a number as a number. Each row's write is
    /// conditional on every selected cell still holding what was read, so a number read back as
    /// text never matched there: the row was retried, reported as "left changing" and never
    /// rotated. Here the blind index's plain source holds integers and reals, and one encrypted
    /// column holds a number where a payload should be.
    @Test func numbersInUntypedColumnsKeepTheirStorageClass() async throws {
        let path = Servers.temporarySQLitePath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let old = try EncryptionKey.generate(for: .laravelAES256CBC),
            new = try EncryptionKey.generate(for: .laravelAES256CBC)
        let crypt = try Cipher.laravelAES256CBC.makeEncrypter(key: old.exportedString())
        let oldIndex = try BlindIndex(appKey: old.exportedString())
        let sources: [String] = ["5551234", "-42", "0", "2.5", "1e+20", "'text 7'"]
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(sql: "CREATE TABLE people (id INTEGER PRIMARY KEY, phone, phone_index, secret)")
            for (id, literal) in sources.enumerated() {
                try db.execute(sql: "INSERT INTO people (id, phone) VALUES (?, \(literal))", arguments: [id + 1])
                let stored = try DatabaseValue.fetchOne(
                    db, sql: "SELECT phone FROM people WHERE id = ?", arguments: [id + 1])
                let source = Self.plainText(stored ?? .null)
                try db.execute(
                    sql: "UPDATE people SET phone_index = ?, secret = ? WHERE id = ?",
                    arguments: [
                        Data(try oldIndex.compute(source, column: "phone")),
                        try crypt.encryptString("secret \(id + 1)"), id + 1,
                    ])
            }
            try db.execute(sql: "INSERT INTO people VALUES (100, 'x', NULL, 12345)")
        }
        let cli = try ReencryptCLI(key: new, previous: [old], cipher: .laravelAES256CBC)
        let arguments = [
            "--database", "sqlite:\(path)", "--table", "people", "--column", "secret",
            "--index", "phone_index=phone", "--json",
        ]
        let run = try cli.run(arguments, timeLimit: 120)
        #expect(run.status == 0, "\(run.stderr)")
        let summary = try run.summary()
        #expect(summary["rowsRewritten"] as? Int == sources.count + 1, "\(summary)")
        #expect(summary["rowsChangedDuringRun"] as? Int == 0 && summary["rowsLeftChanging"] as? Int == 0)
        let untouched = summary["untouched"] as? [[String: Any]] ?? []
        #expect(untouched.map { $0["key"] as? String } == ["100"])
        #expect((untouched.first?["reason"] as? String)?.contains("number") == true, "\(untouched)")

        let newIndex = try BlindIndex(appKey: new.exportedString())
        let fresh = try Cipher.laravelAES256CBC.makeEncrypter(key: new.exportedString())
        let rows = try queue.read { db in
            try Row.fetchAll(
                db, sql: "SELECT id, typeof(phone), phone_index, secret, typeof(secret) FROM people ORDER BY id")
        }
        for row in rows {
            let id: Int = row[0]
            if id == 100 {
                #expect(row[4] as String? == "integer", "the number no key opens is left as it was")
                #expect(row[3] as Int? == 12345)
                continue
            }
            #expect(row[1] as String? == (id == sources.count ? "text" : id <= 3 ? "integer" : "real"))
            #expect((try? fresh.decryptString(row[3] as String? ?? "")) == "secret \(id)")
        }
        let sourceTexts = try await queue.read { db in
            try DatabaseValue.fetchAll(
                db, sql: "SELECT phone FROM people WHERE id <= ? ORDER BY id", arguments: [sources.count])
        }
        for (offset, value) in sourceTexts.enumerated() {
            let stored = rows[offset][2] as Data? ?? Data()
            #expect(
                Array(stored) == (try newIndex.compute(Self.plainText(value), column: "phone")),
                "index of row \(offset + 1)")
        }
    }

    /// A plain source value as the blind index reads it: a number by its shortest decimal text.
    static func plainText(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .int64(let integer): String(integer)
        case .double(let double): String(double)
        case .string(let text): text
        case .blob, .null: ""
        }
    }

    // MARK: PostgreSQL: uuid, text and bytea keys

    @Test func postgresKeyTypesAreRotated() async throws {
        guard let configuration = Servers.postgres else { return }
        let old = try EncryptionKey.generate(for: .laravelAES256CBC),
            new = try EncryptionKey.generate(for: .laravelAES256CBC)
        let crypt = try Cipher.laravelAES256CBC.makeEncrypter(key: old.exportedString())
        let fresh = try Cipher.laravelAES256CBC.makeEncrypter(key: new.exportedString())
        let cli = try ReencryptCLI(key: new, previous: [old], cipher: .laravelAES256CBC)
        let count = 40
        // The key type, how a text key becomes one, and the keys as text.
        let kinds: [(type: String, conversion: String, keys: [String])] = [
            ("uuid", "k::uuid", (0..<count).map { _ in UUID().uuidString.lowercased() }),
            (
                "varchar(64)", "k",
                (0..<count).map {
                    ["\u{E9}", "e\u{301}", "a\tb", "x'y", "\\", " ", "Z", "\u{1F600}"][$0 % 8] + "#\($0)"
                }
                    + ["\u{E9}", "e\u{301}"]
            ),
            (
                "bytea", "decode(k, 'hex')",
                (0..<count).map { _ in (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
                }
            ),
        ]
        _ = try await Servers.withPostgres { client in
            for kind in kinds {
                let table = Servers.uniqueTable("keyed")
                let secrets = try kind.keys.indices.map { try crypt.encryptString("value \($0)") }
                try await client.query(
                    "CREATE TABLE \(unescaped: table) (k \(unescaped: kind.type) PRIMARY KEY, n int, secret text)",
                    logger: Self.logger)
                try await client.query(
                    """
                    INSERT INTO \(unescaped: table) SELECT \(unescaped: kind.conversion), n, s \
                    FROM unnest(\(kind.keys), \(Array(kind.keys.indices)), \(secrets)) AS v(k, n, s)
                    """, logger: Self.logger)
                let url = ReencryptTests.Target.postgres(configuration, table: table).url
                let run = try cli.run(
                    [
                        "--database", url, "--table", table, "--key", "k", "--column", "secret", "--batch", "3",
                        "--workers", "2", "--json",
                    ], timeLimit: 120)
                #expect(run.status == 0, "\(kind.type): \(run.stderr)")
                let summary = try run.summary()
                #expect(summary["rowsRewritten"] as? Int == kind.keys.count, "\(kind.type)")
                #expect(summary["rowsLeftChanging"] as? Int == 0, "\(kind.type)")
                var opened = 0
                for try await (n, secret) in try await client.query(
                    "SELECT n, secret FROM \(unescaped: table)", logger: Self.logger
                ).decode((Int, String).self) {
                    if (try? fresh.decryptString(secret)) == "value \(n)" { opened += 1 }
                }
                #expect(opened == kind.keys.count, "\(kind.type): every row opens with the new key alone")
            }
        }
    }
}
#endif
