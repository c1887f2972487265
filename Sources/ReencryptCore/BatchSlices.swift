import Dispatch

/// How a batch is cut so that its crypto overlaps its writes: while the database applies the
/// updates of one slice, the next slice is being decided. Only the first slice's crypto is not
/// hidden behind database work (it is decided on every core, see ``ParallelRows``).
enum BatchSlices {
    /// Rows per slice: small enough that the first slice's crypto is a quarter of a 1000-row batch,
    /// large enough that the per-statement cost of a slice's `UPDATE` stays small on PostgreSQL.
    static let size = 256

    /// The index ranges of `count` rows' slices, in order.
    static func ranges(count: Int) -> [Range<Int>] {
        stride(from: 0, to: count, by: size).map { $0..<min(count, $0 + size) }
    }

    /// The decisions about every row: `apply` gets each slice's decisions in order while the next
    /// slice is decided on another thread (SQLite's writes run on the caller's thread, so the
    /// crypto must run beside it). Waits for the slice in flight before returning or throwing.
    static func decide(
        _ rows: [TableRow], with decide: @escaping RowDecider,
        apply: ([(RowUpdate?, RowReport)]) throws -> Void
    ) rethrows -> [RowReport] {
        let ranges = ranges(count: rows.count)
        var reports: [RowReport] = []
        reports.reserveCapacity(rows.count)
        guard let first = ranges.first else { return reports }
        var current = ParallelRows.map(Array(rows[first]), decide)
        for index in ranges.indices {
            let next = index + 1 < ranges.count ? SliceInFlight(Array(rows[ranges[index + 1]]), decide) : nil
            defer { _ = next?.wait() }  // never leave a slice running behind a throw
            try apply(current)
            reports += current.map(\.1)
            if let next { current = next.wait() }
        }
        return reports
    }
}

/// One slice being decided on a background thread (a single thread: the database's own thread is
/// the other core's work).
private final class SliceInFlight: @unchecked Sendable {
    // Written once by the background thread before `done` is signalled, read after waiting on it.
    private var decisions: [(RowUpdate?, RowReport)] = []
    private let done = DispatchSemaphore(value: 0)
    private var finished = false

    init(_ rows: [TableRow], _ decide: @escaping RowDecider) {
        DispatchQueue.global().async { [self] in
            decisions = rows.map(decide)
            done.signal()
        }
    }

    /// The slice's decisions, once they are all made (may be called again: answers the same).
    func wait() -> [(RowUpdate?, RowReport)] {
        if !finished {
            done.wait()
            finished = true
        }
        return decisions
    }
}
