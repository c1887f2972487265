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
        try plan.requireColumns(Set(columns.keys), in: displayName)
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
        let condition = lower == nil ? "" : "WHERE \(key) > ?"
        let sql = "SELECT max(k) FROM (SELECT \(key) AS k FROM \(table) \(condition) ORDER BY \(key) LIMIT \(limit))"
        let arguments = StatementArguments(lower.map { [$0.databaseValue] } ?? [])
        return try await read { db in
            try Row.fetchOne(db, sql: sql, arguments: arguments).flatMap { PrimaryKeyValue($0[0] as DatabaseValue) }
        }
    }

    /// One transaction over `range` (``ReencryptionDatabase/process(_:_:lock:decide:)``). The
    /// updates run on GRDB's writer thread while the next slice of rows is decided on another.
    package func process(_ range: KeyRange, _ plan: ReencryptionPlan, lock: LockMode, decide: @escaping RowDecider)
        async throws -> ([RowReport], RangeResult)
    {
        let (select, arguments) = Self.select(range, plan)
        let body: @Sendable (Database) throws -> ([RowReport], RangeResult) = { db in
            let rows = try Row.fetchAll(db.cachedStatement(sql: select), arguments: arguments).map(Self.tableRow)
            var result = RangeResult()
            guard lock != .readOnly else { return (ParallelRows.map(rows, decide).map(\.1), result) }
            var statements: [[Bool]: Statement] = [:]  // one UPDATE per set of changed columns
            let reports = try BatchSlices.decide(rows, with: decide) { decisions in
                for case let (update?, _) in decisions {
                    let changed = update.new.map { $0 != nil }
                    let statement =
                        try statements[changed] ?? db.cachedStatement(sql: Self.updateSQL(changed: changed, plan))
                    statements[changed] = statement
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
            if let lower {
                return (
                    base + "\(key) > ? AND \(key) <= ? ORDER BY \(key)", [lower.databaseValue, upper.databaseValue]
                )
            }
            return (base + "\(key) <= ? ORDER BY \(key)", [upper.databaseValue])
        case .keys(let keys):
            let marks = Array(repeating: "?", count: keys.count).joined(separator: ", ")
            return (base + "\(key) IN (\(marks)) ORDER BY \(key)", StatementArguments(keys.map(\.databaseValue)))
        }
    }

    /// `UPDATE t SET changed = ? … WHERE key = ? AND every selected column IS what was read`.
    static func updateSQL(changed: [Bool], _ plan: ReencryptionPlan) -> String {
        let sets = zip(plan.selectedColumns, changed).filter(\.1).map { "\(SQLIdentifier.quoted($0.0)) = ?" }
        let conditions =
            ["\(SQLIdentifier.quoted(plan.key)) = ?"] + plan.selectedColumns.map { "\(SQLIdentifier.quoted($0)) IS ?" }
        return
            "UPDATE \(SQLIdentifier.quoted(plan.table)) SET "
            + "\(sets.joined(separator: ", ")) WHERE \(conditions.joined(separator: " AND "))"
    }

    /// The values for ``updateSQL(changed:_:)``: the new cells, the key, then every cell as read.
    /// Built as existentials on purpose: GRDB's initializer for a sequence of concrete values maps
    /// it with a key path that is instantiated at run time on every call (it was half the cost of
    /// the writer thread, which is the bottleneck of a SQLite run).
    static func updateArguments(_ update: RowUpdate) -> StatementArguments {
        var values: [(any DatabaseValueConvertible)?] = []
        values.reserveCapacity(update.new.count + 1 + update.old.count)
        for case let cell? in update.new { values.append(cell.databaseValue) }
        values.append(update.key.databaseValue)
        for cell in update.old { values.append(cell.databaseValue) }
        return StatementArguments(values)
    }

    static func tableRow(_ row: Row) -> TableRow {
        let key = PrimaryKeyValue(row[0] as DatabaseValue) ?? .text("")
        let cells = (1..<row.count).map { Cell(row[$0] as DatabaseValue) }
        return TableRow(key: key, cells: cells)
    }
}

extension PrimaryKeyValue {
    init?(_ value: DatabaseValue) {
        switch value.storage {
        case .int64(let integer): self = .integer(integer)
        case .string(let text): self = .text(text)
        case .double(let double): self = .text(String(double))
        case .blob(let data): self = .text(String(decoding: data, as: UTF8.self))
        case .null: return nil
        }
    }

    var databaseValue: DatabaseValue {
        switch self {
        case .integer(let value): value.databaseValue
        case .text(let value): value.databaseValue
        }
    }
}

extension Cell {
    init(_ value: DatabaseValue) {
        switch value.storage {
        case .null: self = .null
        case .string(let text): self = .text(text)
        case .blob(let data): self = .bytes(Array(data))
        case .int64(let integer): self = .text(String(integer))
        case .double(let double): self = .text(String(double))
        }
    }

    var databaseValue: DatabaseValue {
        switch self {
        case .null: .null
        case .text(let text): text.databaseValue
        case .bytes(let bytes): Data(bytes).databaseValue
        }
    }
}
#endif
