import Foundation

/// Where the scan is: hands each worker the next range of keys, so workers of one process never
/// overlap (other processes are kept apart by the database's row locks).
///
/// Finding a range's end is a database query, and an actor lets other callers in while it awaits
/// one. So ``next()`` never awaits: it chains a task onto the previous range's and returns it at
/// once, and each task starts from where the one before it ended. (Awaiting the query inside the
/// actor handed two workers the same range; one then skipped every row the other held, and the
/// range was swept again at the end.)
actor RangeCursor {
    private let database: any ReencryptionDatabase
    private let plan: ReencryptionPlan
    /// The range handed out last; `nil` before the first.
    private var last: Task<KeyRange?, any Error>?

    init(database: any ReencryptionDatabase, plan: ReencryptionPlan) {
        self.database = database
        self.plan = plan
    }

    /// The next range (await its `value`), which is `nil` once the table has been walked to its end.
    func next() -> Task<KeyRange?, any Error> {
        let previous = last
        let (database, plan) = (database, plan)
        let task = Task<KeyRange?, any Error> {
            var lower: PrimaryKeyValue?
            if let previous {
                guard case .between(_, let upper)? = try await previous.value else { return nil }
                lower = upper
            }
            guard let upper = try await database.rangeEnd(after: lower, limit: plan.batchSize, plan) else { return nil }
            return .between(lower: lower, upper: upper)
        }
        last = task
        return task
    }
}

/// Progress as the run goes.
package struct ReencryptionProgress: Sendable {
    /// Rows looked at so far.
    package let rowsDone: Int
    /// Rows in the table when the run started.
    package let rowsTotal: Int
    /// Rows written so far.
    package let rowsRewritten: Int
    /// Seconds since the start.
    package let elapsed: Double
}

/// Rotates the plan's columns of a database: the ranges of keys in order, each in one transaction,
/// rows rewritten only if stale and only if unchanged since they were read. Idempotent: a rerun (or
/// a resumed run after a crash) finds the rewritten rows current and skips them.
package struct Reencryptor: Sendable {
    /// The database.
    package let database: any ReencryptionDatabase
    /// What to rewrite.
    package let plan: ReencryptionPlan
    /// Concurrent workers in this process.
    package let workers: Int
    /// Read and count only.
    package let dryRun: Bool
    /// Decides each row's update (``RowRewriter/rewrite(_:checkingCurrent:)``).
    private let rewrite: @Sendable (TableRow, Bool) -> (RowUpdate?, RowReport)

    /// How often a row the app keeps changing is read again before it is left for a later run.
    static let retries = 3

    /// A run over `database` with `workers` workers (one on a database without concurrent writers).
    package init(database: any ReencryptionDatabase, rewriter: RowRewriter, workers: Int = 1, dryRun: Bool = false) {
        self.init(database: database, plan: rewriter.plan, workers: workers, dryRun: dryRun) {
            rewriter.rewrite($0, checkingCurrent: $1)
        }
    }

    /// A run whose rows are decided by `rewrite` (the benchmark's floor writes each value back unchanged).
    package init(
        database: any ReencryptionDatabase, plan: ReencryptionPlan, workers: Int = 1, dryRun: Bool = false,
        rewrite: @escaping @Sendable (TableRow, Bool) -> (RowUpdate?, RowReport)
    ) {
        self.database = database
        self.plan = plan
        self.workers = max(1, database.supportsConcurrentWriters ? workers : 1)
        self.dryRun = dryRun
        self.rewrite = rewrite
    }

    /// Checks the schema and a first batch (a wrong `--column` kind stops the run before any write).
    /// - Throws: ``ReencryptError``.
    package func preflight() async throws {
        try await database.check(plan)
        guard let upper = try await database.rangeEnd(after: nil, limit: plan.batchSize, plan) else { return }
        let rewrite = self.rewrite
        let (reports, _) = try await database.process(.between(lower: nil, upper: upper), plan, lock: .readOnly) {
            (nil, rewrite($0, true).1)
        }
        for (offset, column) in plan.columns.enumerated() {
            let states = reports.map { $0.columns[offset] }
            let present = states.filter { $0 != .null }
            if !present.isEmpty, present.allSatisfy({ if case .unreadable = $0 { true } else { false } }) {
                throw ReencryptError.nothingOpens(column: column.name, sample: present.count)
            }
            let opened = states.filter { if case .unreadable = $0 { false } else { $0 != .null } }
            if let first = opened.first(where: { if case .wrongKind = $0 { true } else { false } }),
                case .wrongKind(let reason) = first,
                opened.allSatisfy({ if case .wrongKind = $0 { true } else { false } })
            {
                throw ReencryptError.wrongColumnKind(column: column.name, kind: column.kind, reason: reason)
            }
        }
    }

    /// Runs to the end of the table, then sweeps the ranges where rows were skipped.
    /// - Throws: ``ReencryptError`` or the database's error; what was committed before stays committed.
    /// - Parameters:
    ///   - interval: seconds between two calls of `progress`.
    ///   - progress: called with the counts so far (from one task at a time).
    package func run(
        progressEvery interval: Double = 1, progress: @escaping @Sendable (ReencryptionProgress) -> Void = { _ in }
    ) async throws -> ReencryptionSummary {
        let start = Date()
        let total = try await database.rowCount(plan)
        let cursor = RangeCursor(database: database, plan: plan)
        let tally = Tally(
            summary: ReencryptionSummary(plan: plan, dryRun: dryRun), total: total, start: start, interval: interval,
            progress: progress)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<workers {
                group.addTask {
                    while let range = try await cursor.next().value {
                        try await handle(range, lock: dryRun ? .readOnly : .skipLocked, sweeping: false, tally: tally)
                    }
                }
            }
            try await group.waitForAll()
        }
        // Rows another worker or process held were skipped: look at those ranges again, waiting.
        for range in await tally.takeSkippedRanges() {
            await tally.noteSweep()
            try await handle(range, lock: .wait, sweeping: true, tally: tally)
        }
        return await tally.finish()
    }

    /// One range in one transaction, then the rows that changed under us, each read again. In the
    /// sweep, rows found current were another worker's and are not counted again.
    private func handle(_ range: KeyRange, lock: LockMode, sweeping: Bool, tally: Tally) async throws {
        var pending = range
        for attempt in 0...Self.retries {
            let (reports, result) = try await processRetrying(pending, lock: lock)
            let conflicts = Set(result.conflicts)
            let counted = reports.filter {
                !conflicts.contains($0.key) && (!sweeping || $0.changes || $0.leftUntouched)
            }
            await tally.add(
                counted, plan: plan, rewritten: dryRun ? counted.filter(\.changes).count : result.updated.count)
            if result.skippedLockedRows { await tally.skipped(range) }
            guard !result.conflicts.isEmpty else { return }
            if attempt == Self.retries {
                await tally.leftChanging(result.conflicts.count)
                return
            }
            await tally.changed(result.conflicts.count)
            pending = .keys(result.conflicts)
        }
    }
}

extension Reencryptor {
    /// How often a batch the database gave up (deadlock, busy) is run again before the run stops.
    package static let transientRetries = 5

    /// One transaction over `range`, run again after a transient failure (nothing of it was committed).
    func processRetrying(_ range: KeyRange, lock: LockMode) async throws -> ([RowReport], RangeResult) {
        let rewrite = self.rewrite
        var attempt = 0
        while true {
            do {
                return try await database.process(range, plan, lock: lock) { rewrite($0, false) }
            } catch ReencryptError.transient(let message) {
                attempt += 1
                guard attempt <= Self.transientRetries else { throw ReencryptError.transient(message) }
                try await Task.sleep(for: .milliseconds(20 * attempt))
            }
        }
    }
}

extension RowReport {
    /// Whether the row needs a write.
    var changes: Bool { (columns + indexes).contains(.stale) }

    /// Whether a value was left untouched (unreadable or of the wrong kind).
    var leftUntouched: Bool {
        (columns + indexes).contains { state in
            switch state {
            case .unreadable, .wrongKind: true
            case .null, .current, .stale: false
            }
        }
    }
}

/// The run's counts, shared by the workers.
actor Tally {
    private var summary: ReencryptionSummary
    private let total: Int
    private let start: Date
    private let interval: Double
    private let progress: @Sendable (ReencryptionProgress) -> Void
    private var skippedRanges: [KeyRange] = []
    private var lastReport: Double = 0

    init(
        summary: ReencryptionSummary, total: Int, start: Date, interval: Double,
        progress: @escaping @Sendable (ReencryptionProgress) -> Void
    ) {
        self.summary = summary
        self.total = total
        self.start = start
        self.interval = interval
        self.progress = progress
    }

    func add(_ reports: [RowReport], plan: ReencryptionPlan, rewritten: Int) {
        summary.rowsSeen += reports.count
        summary.rowsRewritten += rewritten
        for report in reports { summary.add(report, plan: plan) }
        let elapsed = Date().timeIntervalSince(start)
        guard elapsed - lastReport >= interval else { return }
        lastReport = elapsed
        progress(
            ReencryptionProgress(
                rowsDone: summary.rowsSeen, rowsTotal: total, rowsRewritten: summary.rowsRewritten, elapsed: elapsed))
    }

    func skipped(_ range: KeyRange) { skippedRanges.append(range) }
    func takeSkippedRanges() -> [KeyRange] { defer { skippedRanges = [] }; return skippedRanges }
    func noteSweep() { summary.rangesSwept += 1 }
    func changed(_ count: Int) { summary.rowsChangedDuringRun += count }
    func leftChanging(_ count: Int) { summary.rowsLeftChanging += count }

    func finish() -> ReencryptionSummary {
        summary.seconds = Date().timeIntervalSince(start)
        progress(
            ReencryptionProgress(
                rowsDone: summary.rowsSeen, rowsTotal: total, rowsRewritten: summary.rowsRewritten,
                elapsed: summary.seconds))
        return summary
    }
}
