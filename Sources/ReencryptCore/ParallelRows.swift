import Dispatch
import Foundation

/// Runs the per-row decision over a batch on every core: the database work of a batch is serial,
/// its crypto need not be. Results come back in row order.
package enum ParallelRows {
    /// Rows per chunk below which one thread does the batch.
    static let minimumChunk = 64

    /// `rows.map(transform)`, on every core for a batch of at least two chunks.
    package static func map<Result: Sendable>(_ rows: [TableRow], _ transform: @Sendable (TableRow) -> Result)
        -> [Result]
    {
        let chunks = min(ProcessInfo.processInfo.activeProcessorCount, rows.count / minimumChunk)
        guard chunks > 1 else { return rows.map(transform) }
        let slots = Slots<[Result]>(count: chunks)
        let size = (rows.count + chunks - 1) / chunks
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let range = (chunk * size)..<min(rows.count, (chunk + 1) * size)
            slots.set(chunk, rows[range].map(transform))
        }
        return slots.values.flatMap { $0 }
    }
}

/// One result slot per chunk, filled from several threads.
private final class Slots<Value: Sendable>: @unchecked Sendable {
    // Guarded by `lock`.
    private var storage: [Value?]
    private let lock = NSLock()

    init(count: Int) {
        storage = Array(repeating: nil, count: count)
    }

    func set(_ index: Int, _ value: Value) {
        lock.withLock { storage[index] = value }
    }

    var values: [Value] { lock.withLock { storage.compactMap { $0 } } }
}
