import Foundation

/// Counts for one column (or index column) over a run.
package struct ColumnTally: Sendable, Equatable, Codable {
    /// The column.
    package let name: String
    /// Already current.
    package var current = 0
    /// Rewritten (or, in a dry run, stale).
    package var rewritten = 0
    /// NULL, left NULL.
    package var null = 0
    /// No key opens it; left untouched.
    package var unreadable = 0
    /// Opens, but is not the declared kind; left untouched.
    package var wrongKind = 0

    init(name: String) {
        self.name = name
    }

    mutating func add(_ state: ValueState) {
        switch state {
        case .null: null += 1
        case .current: current += 1
        case .stale: rewritten += 1
        case .unreadable: unreadable += 1
        case .wrongKind: wrongKind += 1
        }
    }
}

/// A value left untouched, for the report: which row and column, and why (never the value).
package struct UntouchedValue: Sendable, Equatable, Codable {
    /// The row's key.
    package let key: String
    /// The column.
    package let column: String
    /// Why.
    package let reason: String
}

/// What a run did.
package struct ReencryptionSummary: Sendable, Codable {
    /// Whether it wrote nothing (`--dry-run`: `rewritten` then counts stale values).
    package var dryRun: Bool
    /// Rows looked at (a row seen twice — after a retry or in the sweep — counts once per look).
    package var rowsSeen = 0
    /// Rows written.
    package var rowsRewritten = 0
    /// Rows whose conditional update found them changed by the app and that were read again.
    package var rowsChangedDuringRun = 0
    /// Rows still changing after the retries, left for a later run.
    package var rowsLeftChanging = 0
    /// Ranges revisited because another worker or process held some of their rows.
    package var rangesSwept = 0
    /// Per encrypted column.
    package var columns: [ColumnTally]
    /// Per index column.
    package var indexes: [ColumnTally]
    /// The first values left untouched (at most ``untouchedLimit``).
    package var untouched: [UntouchedValue] = []
    /// Seconds.
    package var seconds = 0.0

    /// How many untouched values are listed.
    package static let untouchedLimit = 100

    init(plan: ReencryptionPlan, dryRun: Bool) {
        self.dryRun = dryRun
        columns = plan.columns.map { ColumnTally(name: $0.name) }
        indexes = plan.indexes.map { ColumnTally(name: $0.name) }
    }

    /// Values no key opened or of the wrong kind, over all columns.
    package var untouchedCount: Int {
        columns.reduce(0) { $0 + $1.unreadable + $1.wrongKind } + indexes.reduce(0) { $0 + $1.unreadable }
    }

    mutating func add(_ report: RowReport, plan: ReencryptionPlan) {
        for (offset, state) in report.columns.enumerated() {
            columns[offset].add(state)
            note(state, key: report.key, column: plan.columns[offset].name)
        }
        for (offset, state) in report.indexes.enumerated() {
            indexes[offset].add(state)
            note(state, key: report.key, column: plan.indexes[offset].name)
        }
    }

    private mutating func note(_ state: ValueState, key: PrimaryKeyValue, column: String) {
        guard untouched.count < Self.untouchedLimit else { return }
        switch state {
        case .unreadable(let reason), .wrongKind(let reason):
            untouched.append(UntouchedValue(key: key.description, column: column, reason: reason))
        case .null, .current, .stale:
            break
        }
    }

    /// Lines for people.
    package var text: String {
        var lines: [String] = []
        let verb = dryRun ? "stale (would be rewritten)" : "rewritten"
        lines.append(
            "\(dryRun ? "Dry run: " : "")\(rowsSeen) row(s) read, \(rowsRewritten) row(s) \(dryRun ? "to rewrite" : "rewritten") in \(String(format: "%.1f", seconds)) s"
        )
        for tally in columns + indexes {
            lines.append(
                "  \(tally.name): \(tally.current) current, \(tally.rewritten) \(verb), \(tally.null) NULL, "
                    + "\(tally.unreadable) unreadable"
                    + (tally.wrongKind > 0 ? ", \(tally.wrongKind) not the declared kind" : ""))
        }
        if rowsChangedDuringRun > 0 {
            lines.append("  \(rowsChangedDuringRun) row(s) changed by the app during the run were read again")
        }
        if rowsLeftChanging > 0 {
            lines.append("  \(rowsLeftChanging) row(s) kept changing and were left for a later run")
        }
        let shown = untouched.prefix(20)
        for value in shown { lines.append("  untouched: \(value.column) of row \(value.key): \(value.reason)") }
        if untouchedCount > shown.count {
            lines.append(
                "  … and \(untouchedCount - shown.count) more untouched value(s) (--json lists \(Self.untouchedLimit))")
        }
        return lines.joined(separator: "\n")
    }
}
