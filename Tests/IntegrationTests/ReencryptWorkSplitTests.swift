#if Hummingbird && GRDB && PostgresNIO
import Foundation
import ReencryptCore
import Testing

/// How `Reencryptor` splits a table between the workers of one process, against an in-memory
/// table whose range queries take time (as a database's do), so the workers ask at once.
@Suite("crypto-reencrypt: work split between workers")
struct ReencryptWorkSplitTests {
    @Test(arguments: [1, 2, 4, 8])
    func everyRowIsHandedToExactlyOneWorker(workers: Int) async throws {
        let table = SlowTable(rowCount: 1_000)
        let plan = try ReencryptionPlan(
            table: "t", key: "id", columns: [EncryptedColumn(name: "secret")], batchSize: 37)
        let run = Reencryptor(database: table, plan: plan, workers: workers) { row, _ in
            (
                RowUpdate(key: row.key, old: row.cells, new: [.text("new")]),
                RowReport(key: row.key, columns: [.stale], indexes: [])
            )
        }
        let summary = try await run.run(progressEvery: .infinity)
        let handed = await table.handedOut
        #expect(handed.count == 1_000, "every row is read once: \(handed.count) reads")
        #expect(Set(handed).count == 1_000)
        #expect(summary.rowsRewritten == 1_000)
        #expect(summary.rangesSwept == 0)
        #expect(await table.lockedRanges == 0, "no range is handed to two workers")
    }
}

/// Rows 1…n with one text column; `rangeEnd` sleeps for uneven times, and a range read while another worker holds
/// one of its rows reports them skipped, as `FOR UPDATE SKIP LOCKED` does.
private actor SlowTable: ReencryptionDatabase {
    nonisolated let displayName = "memory"
    nonisolated let supportsConcurrentWriters = true
    private let rowCount: Int64
    private var held: Set<Int64> = []
    /// Every key read by `process`, in order.
    private(set) var handedOut: [Int64] = []
    /// Ranges that met rows another worker held.
    private(set) var lockedRanges = 0
    private var rangeQueries = 0

    init(rowCount: Int64) { self.rowCount = rowCount }

    func check(_ plan: ReencryptionPlan) async throws {}

    func rowCount(_ plan: ReencryptionPlan) async throws -> Int { Int(rowCount) }

    func rangeEnd(after lower: PrimaryKeyValue?, limit: Int, _ plan: ReencryptionPlan) async throws -> PrimaryKeyValue?
    {
        // Queries take uneven times, so they finish out of order.
        rangeQueries += 1
        try await Task.sleep(for: .microseconds(300 * (rangeQueries * 7 % 5)))
        let start = Self.integer(lower) ?? 0
        guard start < rowCount else { return nil }
        return .integer(min(start + Int64(limit), rowCount))
    }

    func process(_ range: KeyRange, _ plan: ReencryptionPlan, lock: LockMode, decide: @escaping RowDecider)
        async throws -> ([RowReport], RangeResult)
    {
        let keys: [Int64]
        switch range {
        case .between(let lower, let upper):
            let (first, last) = ((Self.integer(lower) ?? 0) + 1, Self.integer(upper) ?? 0)
            keys = first <= last ? Array(first...last) : []
        case .keys(let list):
            keys = list.compactMap(Self.integer)
        }
        var result = RangeResult()
        let free = keys.filter { !held.contains($0) }
        if free.count < keys.count { lockedRanges += 1 }
        result.skippedLockedRows = free.count < keys.count
        held.formUnion(free)
        handedOut += free
        let rows = free.map { TableRow(key: .integer($0), cells: [.text("old")]) }
        // The transaction stays open across a suspension, as a real one does.
        try await Task.sleep(for: .milliseconds(1))
        let decisions = rows.map(decide)
        result.updated = Set(decisions.compactMap(\.0?.key))
        held.subtract(free)
        return (decisions.map(\.1), result)
    }

    private static func integer(_ key: PrimaryKeyValue?) -> Int64? {
        if case .integer(let value)? = key { return value }
        return nil
    }
}
#endif
