#if GRDB
import Foundation
import GRDB

/// SQLite through GRDB. One writer at a time (SQLite's rule): each range is an `IMMEDIATE`
/// transaction, which waits up to the busy timeout for the app's writes and blocks them while it
/// runs (a batch takes milliseconds). Several processes may run at once but take turns.
package struct SQLiteReencryptionDatabase: ReencryptionDatabase {
    /// The file.
    package let path: String
    private let queue: DatabaseQueue
    /// Whether the database stores text as UTF-8 (Laravel's and SQLite's default), so text read
    /// back can be checked against its stored bytes (``StoredValue``).
    private let textIsUTF8: Bool

    /// Opens `path` (which must exist), waiting up to `busyTimeout` seconds for other writers.
    /// - Throws: ``ReencryptError/database(_:)``.
    package init(path: String, busyTimeout: Double = 30) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ReencryptError.database("no SQLite database at \(path)")
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
            textIsUTF8 = try queue.read { try String.fetchOne($0, sql: "PRAGMA encoding") } == "UTF-8"
        } catch {
            throw ReencryptError.database("cannot open \(path): \(error)")
        }
        self.path = path
    }

    /// `sqlite:` and the file's path.
    package var displayName: String { "sqlite:\(path)" }
    /// `false`: SQLite has one writer at a time, so one worker.
    package var supportsConcurrentWriters: Bool { false }

    /// Checks that the table, key and columns exist with usable types (``ReencryptionDatabase/check(_:)``).
    package func check(_ plan: ReencryptionPlan) async throws {
        let table = plan.table
        let columns: [String: String] = try await read { db in
            var columns: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT name, type FROM pragma_table_info(?)", arguments: [table]) {
                columns[row["name"]] = (row["type"] as String?)?.lowercased() ?? ""
            }
            return columns
        }
        var names = Set(columns.keys)
        // `--key rowid`: SQLite's own row number, for a table whose key column holds NULLs.
        if plan.key == "rowid", !names.isEmpty, !names.contains(plan.key) {
            let probe = "SELECT rowid FROM \(SQLIdentifier.quoted(table)) LIMIT 0"
            if (try? await read { db in try db.execute(sql: probe) }) != nil { names.insert(plan.key) }
        }
        try plan.requireColumns(names, in: displayName)
        let nullKeys =
            "SELECT count(*) FROM \(SQLIdentifier.quoted(table)) WHERE \(SQLIdentifier.quoted(plan.key)) IS NULL"
        try plan.requireNoNullKeys(try await read { db in try Int.fetchOne(db, sql: nullKeys) ?? 0 }, in: displayName)
    }

    /// The number of rows in the table (``ReencryptionDatabase/rowCount(_:)``).
    package func rowCount(_ plan: ReencryptionPlan) async throws -> Int {
        let sql = "SELECT count(*) FROM \(SQLIdentifier.quoted(plan.table))"
        return try await read { db in try Int.fetchOne(db, sql: sql) ?? 0 }
    }

    /// The key ending the next range of at most `limit` rows (``ReencryptionDatabase/rangeEnd(after:limit:_:)``).
    package func rangeEnd(after lower: PrimaryKeyValue?, limit: Int, _ plan: ReencryptionPlan) async throws
        -> PrimaryKeyValue?
    {
        let key = SQLIdentifier.quoted(plan.key), table = SQLIdentifier.quoted(plan.table)
        let bound = lower.map(ExactArgument.init)
        let condition = bound.map { "WHERE \(key) > \($0.placeholder)" } ?? ""
        let sql = "SELECT max(k) FROM (SELECT \(key) AS k FROM \(table) \(condition) ORDER BY \(key) LIMIT \(limit))"
        let arguments = StatementArguments(bound.map { [$0.value] } ?? [])
        let textIsUTF8 = textIsUTF8
        return try await read { db in
            // The cursor owns the statement the row reads, so it must outlive the read.
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            return try withExtendedLifetime(cursor) {
                guard let row = try cursor.next() else { return nil }
                return PrimaryKeyValue(try StoredValue(row, 0, textIsUTF8: textIsUTF8))
            }
        }
    }

    /// One transaction over `range` (``ReencryptionDatabase/process(_:_:lock:decide:)``). The
    /// updates run on GRDB's writer thread while the next slice of rows is decided on another.
    package func process(_ range: KeyRange, _ plan: ReencryptionPlan, lock: LockMode, decide: @escaping RowDecider)
        async throws -> ([RowReport], RangeResult)
    {
        let (select, arguments) = Self.select(range, plan)
        let textIsUTF8 = textIsUTF8
        let body: @Sendable (Database) throws -> ([RowReport], RangeResult) = { db in
            var rows: [TableRow] = []
            let cursor = try Row.fetchCursor(db.cachedStatement(sql: select), arguments: arguments)
            try withExtendedLifetime(cursor) {
                while let row = try cursor.next() { rows.append(try Self.tableRow(row, textIsUTF8: textIsUTF8)) }
            }
            var result = RangeResult()
            guard lock != .readOnly else { return (ParallelRows.map(rows, decide).map(\.1), result) }
            var statements: [UpdateShape: Statement] = [:]  // one UPDATE per shape
            let reports = try BatchSlices.decide(rows, with: decide) { decisions in
                for case let (update?, _) in decisions {
                    let shape = UpdateShape(update)
                    let statement = try statements[shape] ?? db.cachedStatement(sql: Self.updateSQL(shape, plan))
                    statements[shape] = statement
                    try statement.execute(arguments: Self.updateArguments(update))
                    if db.changesCount == 1 {
                        result.updated.insert(update.key)
                    } else {
                        result.conflicts.append(update.key)
                    }
                }
            }
            return (reports, result)
        }
        do {
            if lock == .readOnly { return try await queue.read(body) }
            return try await queue.writeWithoutTransaction { db in
                var answer: ([RowReport], RangeResult)?
                try db.inTransaction(.immediate) {
                    answer = try body(db)
                    return .commit
                }
                guard let answer else { throw ReencryptError.database("the transaction did not run") }
                return answer
            }
        } catch let error as ReencryptError {
            throw error
        } catch let error as DatabaseError {
            // Another writer held the database past the busy timeout: worth another try.
            if error.resultCode == .SQLITE_BUSY { throw ReencryptError.transient("\(error)") }
            throw ReencryptError.database("\(error)")
        }
    }

    private func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await queue.read(body)
        } catch let error as DatabaseError {
            throw ReencryptError.database("\(error)")
        }
    }

    static func select(_ range: KeyRange, _ plan: ReencryptionPlan) -> (String, StatementArguments) {
        let key = SQLIdentifier.quoted(plan.key)
        let columns = ([plan.key] + plan.selectedColumns).map(SQLIdentifier.quoted).joined(separator: ", ")
        let base = "SELECT \(columns) FROM \(SQLIdentifier.quoted(plan.table)) WHERE "
        switch range {
        case .between(let lower, let upper):
            let upper = ExactArgument(upper)
            if let lower = lower.map(ExactArgument.init) {
                return (
                    base + "\(key) > \(lower.placeholder) AND \(key) <= \(upper.placeholder) ORDER BY \(key)",
                    [lower.value, upper.value]
                )
            }
            return (base + "\(key) <= \(upper.placeholder) ORDER BY \(key)", [upper.value])
        case .keys(let keys):
            let bound = keys.map(ExactArgument.init)
            let marks = bound.map(\.placeholder).joined(separator: ", ")
            return (base + "\(key) IN (\(marks)) ORDER BY \(key)", StatementArguments(bound.map(\.value)))
        }
    }

    /// What an `UPDATE` statement depends on: which columns it sets, and which of the key and the
    /// cells read are bound as text kept as bytes (``ExactArgument``).
    struct UpdateShape: Hashable {
        let changed: [Bool]
        let castKey: Bool
        let castOld: [Bool]

        init(_ update: RowUpdate) {
            changed = update.new.map { $0 != nil }
            if case .textBytes = update.key { castKey = true } else { castKey = false }
            // Empty (no allocation) in the usual case of no such cell.
            castOld = update.old.contains(where: \.isTextBytes) ? update.old.map(\.isTextBytes) : []
        }
    }

    /// `UPDATE t SET changed = ? … WHERE key = ? AND every selected column IS what was read`.
    static func updateSQL(_ shape: UpdateShape, _ plan: ReencryptionPlan) -> String {
        let sets = zip(plan.selectedColumns, shape.changed).filter(\.1).map { "\(SQLIdentifier.quoted($0.0)) = ?" }
        let conditions =
            ["\(SQLIdentifier.quoted(plan.key)) = \(ExactArgument.placeholder(cast: shape.castKey))"]
            + plan.selectedColumns.enumerated().map { position, name in
                let cast = shape.castOld.isEmpty ? false : shape.castOld[position]
                return "\(SQLIdentifier.quoted(name)) IS \(ExactArgument.placeholder(cast: cast))"
            }
        return
            "UPDATE \(SQLIdentifier.quoted(plan.table)) SET "
            + "\(sets.joined(separator: ", ")) WHERE \(conditions.joined(separator: " AND "))"
    }

    /// The values for ``updateSQL(_:_:)``: the new cells, the key, then every cell as read.
    /// Built as existentials on purpose: GRDB's initializer for a sequence of concrete values maps
    /// it with a key path that is instantiated at run time on every call (it was half the cost of
    /// the writer thread, which is the bottleneck of a SQLite run).
    static func updateArguments(_ update: RowUpdate) -> StatementArguments {
        var values: [(any DatabaseValueConvertible)?] = []
        values.reserveCapacity(update.new.count + 1 + update.old.count)
        for case let cell? in update.new { values.append(ExactArgument(cell).value) }
        values.append(ExactArgument(update.key).value)
        for cell in update.old { values.append(ExactArgument(cell).value) }
        return StatementArguments(values)
    }

    /// A row of a live statement: the key, then the selected cells, each exactly as stored.
    static func tableRow(_ row: Row, textIsUTF8: Bool) throws -> TableRow {
        let key = PrimaryKeyValue(try StoredValue(row, 0, textIsUTF8: textIsUTF8)) ?? .text("")
        var cells: [Cell] = []
        cells.reserveCapacity(row.count - 1)
        for index in 1..<row.count { cells.append(Cell(try StoredValue(row, index, textIsUTF8: textIsUTF8))) }
        return TableRow(key: key, cells: cells)
    }
}

/// A value of a row read from a live statement, exactly as stored. GRDB makes a `String` of TEXT
/// up to its first NUL byte and repairs bytes that are not UTF-8, so a key read that way would
/// not find its row again (a scan bounded by it could even start over forever). Text is therefore
/// checked against its stored bytes and kept as bytes when they differ.
enum StoredValue {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case textBytes([UInt8])
    case blob([UInt8])

    /// Column `index` of `row`, which must come from a cursor (it reads the statement itself).
    /// `textIsUTF8`: whether the database stores UTF-8, without which the check does not apply.
    init(_ row: Row, _ index: Int, textIsUTF8: Bool) throws {
        let value: DatabaseValue = row[index]
        switch value.storage {
        case .null: self = .null
        case .int64(let integer): self = .integer(integer)
        case .double(let double): self = .real(double)
        case .blob(let data): self = .blob(Array(data))
        case .string(let text):
            guard textIsUTF8 else {
                self = .text(text)
                return
            }
            // The stored bytes: SQLite hands TEXT out as a blob without converting it. GRDB's
            // string equals them exactly when they are as long and valid UTF-8: a NUL byte would
            // have cut it short, and a repair implies bytes that are not UTF-8 (and puts U+FFFD in
            // the string, so an ASCII string, which `utf16.count` detects in O(1), had none).
            // Several times cheaper than comparing the bytes one by one.
            self = try row.withUnsafeData(atIndex: index) { stored in
                guard let stored else { return .text(text) }
                let count = text.utf8.count
                let exact =
                    stored.count == count
                    && (text.utf16.count == count || String(validating: stored, as: UTF8.self) != nil)
                return exact ? .text(text) : .textBytes(Array(stored))
            }
        }
    }
}

/// A placeholder and its argument that hand SQLite exactly a stored value. GRDB binds a `String`
/// only up to its first NUL byte, so text kept as bytes goes in as a BLOB cast back to TEXT.
struct ExactArgument {
    let placeholder: String
    let value: DatabaseValue

    static func placeholder(cast: Bool) -> String { cast ? "CAST(? AS TEXT)" : "?" }

    init(_ key: PrimaryKeyValue) {
        switch key {
        case .integer(let integer): (placeholder, value) = ("?", integer.databaseValue)
        case .text(let text): (placeholder, value) = ("?", text.databaseValue)
        case .real(let double): (placeholder, value) = ("?", double.databaseValue)
        case .blob(let bytes): (placeholder, value) = ("?", Data(bytes).databaseValue)
        case .textBytes(let bytes): (placeholder, value) = (Self.placeholder(cast: true), Data(bytes).databaseValue)
        }
    }

    init(_ cell: Cell) {
        switch cell {
        case .null: (placeholder, value) = ("?", .null)
        case .text(let text): (placeholder, value) = ("?", text.databaseValue)
        case .bytes(let bytes): (placeholder, value) = ("?", Data(bytes).databaseValue)
        case .textBytes(let bytes): (placeholder, value) = (Self.placeholder(cast: true), Data(bytes).databaseValue)
        case .integer(let integer): (placeholder, value) = ("?", integer.databaseValue)
        case .real(let double): (placeholder, value) = ("?", double.databaseValue)
        }
    }
}

extension PrimaryKeyValue {
    /// The key a stored value is (`nil` for NULL).
    init?(_ value: StoredValue) {
        switch value {
        case .null: return nil
        case .integer(let integer): self = .integer(integer)
        case .real(let double): self = .real(double)
        case .text(let text): self = .text(text)
        case .textBytes(let bytes): self = .textBytes(bytes)
        case .blob(let bytes): self = .blob(bytes)
        }
    }
}

extension Cell {
    var isTextBytes: Bool {
        if case .textBytes = self { true } else { false }
    }

    /// The cell a stored value is, of the same storage class: a number read as text would not
    /// compare equal to itself in a column without a numeric type, so its row could never be written.
    init(_ value: StoredValue) {
        switch value {
        case .null: self = .null
        case .text(let text): self = .text(text)
        case .textBytes(let bytes): self = .textBytes(bytes)
        case .blob(let bytes): self = .bytes(bytes)
        case .integer(let integer): self = .integer(integer)
        case .real(let double): self = .real(double)
        }
    }
}
#endif
