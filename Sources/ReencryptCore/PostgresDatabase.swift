#if PostgresNIO
import Logging
import NIOCore
import PostgresNIO

/// PostgreSQL through PostgresNIO. Each range is one transaction that locks its rows with
/// `FOR UPDATE SKIP LOCKED`, so workers in this process and in other processes on other machines
/// share the table without overlap and without a coordinator of our own: rows another transaction
/// holds are skipped and their range is swept again at the end, waiting for the locks. The app's
/// writes to a locked row wait for our commit (milliseconds) and then apply on top.
package struct PostgresReencryptionDatabase: ReencryptionDatabase {
    /// The client (its `run()` must be going).
    package let client: PostgresClient
    /// How the database is named in messages (no password).
    package let displayName: String
    private let logger: Logger
    private let keyType: KeyType

    /// How the key column is bound and compared.
    enum KeyType: Sendable {
        case integer
        /// Text with the column's own type name for casts (`uuid`, `varchar`, …).
        case text(cast: String)
    }

    /// A database over `client`; call ``connect(client:displayName:plan:logger:)`` to learn the key's type.
    init(client: PostgresClient, displayName: String, keyType: KeyType, logger: Logger) {
        self.client = client
        self.displayName = displayName
        self.keyType = keyType
        self.logger = logger
    }

    /// Checks the plan's table and columns and returns a database ready for it.
    /// - Throws: ``ReencryptError/schema(_:)`` or ``ReencryptError/database(_:)``.
    package static func connect(
        client: PostgresClient, displayName: String, plan: ReencryptionPlan,
        logger: Logger = Logger(label: "crypto-reencrypt")
    ) async throws -> PostgresReencryptionDatabase {
        let parts = plan.table.split(separator: ".").map(String.init)
        let (schema, table) = parts.count == 2 ? (parts[0], parts[1]) : ("", parts[0])
        var binds = PostgresBindings()
        binds.append(table)
        binds.append(schema)
        let sql = """
            SELECT column_name, data_type, udt_name, is_nullable FROM information_schema.columns
            WHERE table_name = $1 AND table_schema = CASE WHEN $2 = '' THEN current_schema() ELSE $2 END
            """
        var columns: [String: (type: String, udt: String, nullable: Bool)] = [:]
        do {
            let rows = try await client.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
            for try await (name, type, udt, nullable) in rows.decode((String, String, String, String).self) {
                columns[name] = (type, udt, nullable == "YES")
            }
        } catch {
            throw ReencryptError.database("\(displayName): \(String(reflecting: error))")
        }
        try plan.requireColumns(Set(columns.keys), in: displayName)
        let textTypes: Set<String> = ["text", "character varying", "character"]
        for column in plan.columns.map(\.name) + plan.indexes.map(\.source)
        where !plan.indexes.map(\.name).contains(column) {
            guard let type = columns[column]?.type, textTypes.contains(type) || type == "bytea" else {
                let type = columns[column]?.type ?? "?"
                throw ReencryptError.schema(
                    "column \"\(column)\" is \(type); encrypted and source columns must be text, varchar or bytea")
            }
        }
        for index in plan.indexes where columns[index.name]?.type != "bytea" {
            throw ReencryptError.schema(
                "index column \"\(index.name)\" is "
                    + "\(columns[index.name]?.type ?? "?"); a blind index is bytea (32 bytes)"
            )
        }
        guard let key = columns[plan.key] else {
            throw ReencryptError.schema("table \"\(plan.table)\" has no column \"\(plan.key)\"")
        }
        if key.nullable {  // a primary key is NOT NULL; another --key column may not be
            let sql =
                "SELECT count(*) FROM \(SQLIdentifier.quoted(plan.table)) WHERE \(SQLIdentifier.quoted(plan.key)) IS NULL"
            var count = 0
            do {
                let rows = try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger)
                for try await value in rows.decode(Int.self) { count = value }
            } catch {
                throw ReencryptError.database("\(displayName): \(String(reflecting: error))")
            }
            try plan.requireNoNullKeys(count, in: displayName)
        }
        let keyType: KeyType = ["smallint", "integer", "bigint"].contains(key.type) ? .integer : .text(cast: key.udt)
        return PostgresReencryptionDatabase(client: client, displayName: displayName, keyType: keyType, logger: logger)
    }

    /// `true`: several processes share the table through `FOR UPDATE SKIP LOCKED`.
    package var supportsConcurrentWriters: Bool { true }

    /// Checks that the table, key and columns exist with usable types (``ReencryptionDatabase/check(_:)``).
    package func check(_ plan: ReencryptionPlan) async throws {
        // Done by connect(client:displayName:plan:logger:), which every instance comes from.
    }

    /// The number of rows in the table (``ReencryptionDatabase/rowCount(_:)``).
    package func rowCount(_ plan: ReencryptionPlan) async throws -> Int {
        let sql = "SELECT count(*) FROM \(SQLIdentifier.quoted(plan.table))"
        return try await run {
            for try await count in try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger).decode(
                Int.self)
            { return count }
            return 0
        }
    }

    /// The key ending the next range of at most `limit` rows (``ReencryptionDatabase/rangeEnd(after:limit:_:)``).
    package func rangeEnd(after lower: PrimaryKeyValue?, limit: Int, _ plan: ReencryptionPlan) async throws
        -> PrimaryKeyValue?
    {
        let key = SQLIdentifier.quoted(plan.key)
        var binds = PostgresBindings()
        let condition: String
        if let lower {
            bind(lower, into: &binds)
            condition = "WHERE \(key) > $1\(castSuffix)"
        } else {
            condition = ""
        }
        let inner =
            "SELECT \(key) AS k FROM \(SQLIdentifier.quoted(plan.table)) \(condition) ORDER BY \(key) LIMIT \(limit)"
        // The last of them, found by order rather than `max()`, which `uuid` and `bytea` lack.
        let sql = "SELECT k\(selectCastSuffix) FROM (\(inner)) s ORDER BY k DESC LIMIT 1"
        return try await run {
            let rows = try await client.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
            return try await firstKey(rows)
        }
    }

    /// One transaction over `range` (``ReencryptionDatabase/process(_:_:lock:decide:)``). The rows
    /// are decided a slice at a time and each slice's `UPDATE` is sent as soon as it is decided, so
    /// the server writes one slice while the next is decided here (same connection, same transaction).
    package func process(_ range: KeyRange, _ plan: ReencryptionPlan, lock: LockMode, decide: @escaping RowDecider)
        async throws -> ([RowReport], RangeResult)
    {
        try await run {
            if lock == .readOnly {
                return try await client.withConnection { connection in
                    let rows = try await select(range, plan, lock: lock, on: connection)
                    return (ParallelRows.map(rows, decide).map(\.1), RangeResult())
                }
            }
            return try await client.withTransaction(logger: logger) { connection in
                let rows = try await select(range, plan, lock: lock, on: connection)
                return try await withThrowingTaskGroup(of: SliceWrite.self) { group in
                    if lock == .skipLocked, case .between(let lower, let upper) = range {
                        group.addTask { .rowsInRange(try await countRows(lower, upper, plan, on: connection)) }
                    }
                    var reports: [RowReport] = []
                    reports.reserveCapacity(rows.count)
                    for slice in BatchSlices.ranges(count: rows.count) {
                        let decisions = ParallelRows.map(Array(rows[slice]), decide)
                        reports += decisions.map(\.1)
                        let updates = decisions.compactMap(\.0)
                        guard !updates.isEmpty else { continue }
                        group.addTask {
                            .updated(sent: updates.map(\.key), applied: try await apply(updates, plan, on: connection))
                        }
                    }
                    var result = RangeResult()
                    var conflicts: Set<PrimaryKeyValue> = []
                    for try await write in group {
                        switch write {
                        case .rowsInRange(let count):
                            result.skippedLockedRows = count > rows.count
                        case .updated(let sent, let applied):
                            result.updated.formUnion(applied)
                            conflicts.formUnion(sent.filter { !applied.contains($0) })
                        }
                    }
                    // In key order, whichever slice's write answered first.
                    if !conflicts.isEmpty { result.conflicts = rows.map(\.key).filter(conflicts.contains) }
                    return (reports, result)
                }
            }
        }
    }

    /// What one query sent beside the crypto of a batch answered.
    private enum SliceWrite: Sendable {
        /// The rows the range holds, locked or not.
        case rowsInRange(Int)
        /// A slice's conditional `UPDATE`: the keys it was sent, the keys it changed.
        case updated(sent: [PrimaryKeyValue], applied: Set<PrimaryKeyValue>)
    }

    // MARK: SQL

    private var castSuffix: String {
        switch keyType {
        case .integer: "::int8"
        case .text(let cast): "::\(cast)"
        }
    }

    /// The key read back: as `int8`, or as text.
    private var selectCastSuffix: String {
        switch keyType {
        case .integer: "::int8"
        case .text: "::text"
        }
    }

    private func select(_ range: KeyRange, _ plan: ReencryptionPlan, lock: LockMode, on connection: PostgresConnection)
        async throws -> [TableRow]
    {
        let key = SQLIdentifier.quoted(plan.key)
        let columns = (["\(key)\(selectCastSuffix)"] + plan.selectedColumns.map(SQLIdentifier.quoted)).joined(
            separator: ", ")
        var binds = PostgresBindings()
        var sql = "SELECT \(columns) FROM \(SQLIdentifier.quoted(plan.table)) WHERE "
        switch range {
        case .between(let lower, let upper):
            if let lower {
                bind(lower, into: &binds)
                sql += "\(key) > $1\(castSuffix) AND "
            }
            bind(upper, into: &binds)
            sql += "\(key) <= $\(binds.count)\(castSuffix)"
        case .keys(let keys):
            bindArray(keys, into: &binds)
            sql += "\(key) = ANY($1\(arrayCastSuffix))"
        }
        sql += " ORDER BY \(key)"
        switch lock {
        case .readOnly: break
        case .skipLocked: sql += " FOR UPDATE SKIP LOCKED"
        case .wait: sql += " FOR UPDATE"
        }
        let stream = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        var rows: [TableRow] = []
        for try await row in stream {
            var cells = row.makeIterator()
            guard let keyCell = cells.next(), let key = try decodeKey(keyCell) else { continue }
            var values: [Cell] = []
            values.reserveCapacity(plan.selectedColumns.count)
            while let cell = cells.next() { values.append(try Cell(cell)) }
            rows.append(TableRow(key: key, cells: values))
        }
        return rows
    }

    /// How many rows the range holds now, locked or not.
    private func countRows(
        _ lower: PrimaryKeyValue?, _ upper: PrimaryKeyValue, _ plan: ReencryptionPlan, on connection: PostgresConnection
    ) async throws -> Int {
        let key = SQLIdentifier.quoted(plan.key)
        var binds = PostgresBindings()
        var sql = "SELECT count(*) FROM \(SQLIdentifier.quoted(plan.table)) WHERE "
        if let lower {
            bind(lower, into: &binds)
            sql += "\(key) > $1\(castSuffix) AND "
        }
        bind(upper, into: &binds)
        sql += "\(key) <= $\(binds.count)\(castSuffix)"
        for try await count in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
            .decode(Int.self)
        {
            return count
        }
        return 0
    }

    /// One `UPDATE … FROM unnest(…)` for a slice of the batch, each row only if every selected column
    /// still holds what was read; answers the keys it updated.
    private func apply(_ updates: [RowUpdate], _ plan: ReencryptionPlan, on connection: PostgresConnection) async throws
        -> Set<PrimaryKeyValue>
    {
        var binds = PostgresBindings()
        bindArray(updates.map(\.key), into: &binds)
        var aliases = ["k"], types = [arrayCastSuffix], sets: [String] = [],
            conditions = ["t.\(SQLIdentifier.quoted(plan.key)) = v.k\(castSuffix)"]
        for (position, name) in plan.selectedColumns.enumerated() {
            let column = "t.\(SQLIdentifier.quoted(name))"
            let isBytes = updates.contains {
                if case .bytes = $0.old[position] {
                    true
                } else if case .bytes = $0.new[position] {
                    true
                } else {
                    false
                }
            }
            let arrayType = isBytes ? "::bytea[]" : "::text[]"
            // Old value, whether it was NULL, new value, whether to set it.
            if isBytes {
                binds.append(updates.map { $0.old[position].bytesElement })
            } else {
                binds.append(updates.map { $0.old[position].textElement })
            }
            binds.append(updates.map { $0.old[position] == .null })
            if isBytes {
                binds.append(updates.map { ($0.new[position] ?? .null).bytesElement })
            } else {
                binds.append(updates.map { ($0.new[position] ?? .null).textElement })
            }
            binds.append(updates.map { $0.new[position] != nil })
            aliases += ["o\(position)", "z\(position)", "n\(position)", "s\(position)"]
            types += [arrayType, "::bool[]", arrayType, "::bool[]"]
            if updates.contains(where: { $0.new[position] != nil }) {
                sets.append(
                    "\(SQLIdentifier.quoted(name)) = CASE WHEN v.s\(position) THEN v.n\(position) ELSE \(column) END")
            }
            conditions.append("(CASE WHEN v.z\(position) THEN \(column) IS NULL ELSE \(column) = v.o\(position) END)")
        }
        let arrays = types.enumerated().map { "$\($0.offset + 1)\($0.element)" }.joined(separator: ", ")
        let sql = """
            UPDATE \(SQLIdentifier.quoted(plan.table)) AS t SET \(sets.joined(separator: ", ")) \
            FROM unnest(\(arrays)) AS v(\(aliases.joined(separator: ", "))) \
            WHERE \(conditions.joined(separator: " AND ")) RETURNING \
            t.\(SQLIdentifier.quoted(plan.key))\(selectCastSuffix)
            """
        var updated: Set<PrimaryKeyValue> = []
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger) {
            var cells = row.makeIterator()
            if let cell = cells.next(), let key = try decodeKey(cell) { updated.insert(key) }
        }
        return updated
    }

    private var arrayCastSuffix: String {
        switch keyType {
        case .integer: "::int8[]"
        case .text(let cast): "::text[]::\(cast)[]"
        }
    }

    /// Binds a key this connection read (``decodeKey(_:)`` makes only `.integer` and `.text`;
    /// the SQLite-only kinds are bound as their closest PostgreSQL value and match no row).
    private func bind(_ key: PrimaryKeyValue, into binds: inout PostgresBindings) {
        switch key {
        case .integer(let value): binds.append(value)
        case .text(let value): binds.append(value)
        case .real(let value): binds.append(String(value))
        case .blob(let bytes), .textBytes(let bytes): binds.append(String(decoding: bytes, as: UTF8.self))
        }
    }

    private func bindArray(_ keys: [PrimaryKeyValue], into binds: inout PostgresBindings) {
        switch keyType {
        case .integer: binds.append(keys.map { if case .integer(let value) = $0 { value } else { Int64.min } })
        case .text: binds.append(keys.map { if case .text(let value) = $0 { value } else { "" } })
        }
    }

    private func decodeKey(_ cell: PostgresCell) throws -> PrimaryKeyValue? {
        switch keyType {
        case .integer: try cell.decode(Int64?.self).map(PrimaryKeyValue.integer)
        case .text: try cell.decode(String?.self).map(PrimaryKeyValue.text)
        }
    }

    private func firstKey(_ rows: PostgresRowSequence) async throws -> PrimaryKeyValue? {
        for try await row in rows {
            var cells = row.makeIterator()
            if let cell = cells.next() { return try decodeKey(cell) }
        }
        return nil
    }

    /// Runs `body`, turning PostgresNIO's errors into ``ReencryptError/database(_:)`` with the server's message.
    private func run<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw translated(error)
        }
    }

    /// A ``ReencryptError`` for `error`: ``ReencryptError/transient(_:)`` for the server's "try
    /// again" states, ``ReencryptError/database(_:)`` with the server's message otherwise. A failed
    /// transaction is judged by the error that failed it (PostgresNIO wraps that one).
    private func translated(_ error: any Error) -> any Error {
        switch error {
        case let error as ReencryptError:
            return error
        case let error as PostgresTransactionError:
            guard let cause = error.closureError ?? error.beginError ?? error.commitError ?? error.rollbackError else {
                return ReencryptError.database("\(displayName): \(String(reflecting: error))")
            }
            return translated(cause)
        case let error as PSQLError:
            let message = "\(displayName): \(error.serverInfo?[.message] ?? String(reflecting: error))"
            // deadlock_detected, serialization_failure, lock_not_available: worth another try.
            if let state = error.serverInfo?[.sqlState], ["40P01", "40001", "55P03"].contains(state) {
                return ReencryptError.transient(message)
            }
            return ReencryptError.database(message)
        default:
            return error
        }
    }
}

extension Cell {
    init(_ cell: PostgresCell) throws {
        guard cell.bytes != nil else {
            self = .null
            return
        }
        if cell.dataType == .bytea {
            self = .bytes(Array(try cell.decode(ByteBuffer.self).readableBytesView))
        } else {
            self = .text(try cell.decode(String.self))
        }
    }

    /// The value as a `bytea[]` element (a NULL is a placeholder that its flag array covers).
    var bytesElement: ByteBuffer {
        switch self {
        case .null: ByteBuffer()
        case .text(let text): ByteBuffer(string: text)
        case .bytes(let bytes), .textBytes(let bytes): ByteBuffer(bytes: bytes)
        case .integer, .real: ByteBuffer(string: numberText ?? "")
        }
    }

    /// The value as a `text[]` element (a NULL is a placeholder that its flag array covers).
    var textElement: String {
        switch self {
        case .null: ""
        case .text(let text): text
        case .bytes(let bytes), .textBytes(let bytes): String(decoding: bytes, as: UTF8.self)
        case .integer, .real: numberText ?? ""
        }
    }
}
#endif
