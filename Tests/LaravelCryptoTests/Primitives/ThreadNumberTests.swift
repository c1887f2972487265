import Foundation
import Testing

@testable import LaravelCrypto

/// ``ThreadNumber`` gives each thread its own number, the same on every call, so that threads
/// sharing a ``ContextPool`` take distinct shards.
@Suite("Thread numbers")
struct ThreadNumberTests {
    @Test("threads started together get distinct numbers, each stable on its thread")
    func distinctAndStable() {
        let threadCount = 16
        let results = Results(threadCount)
        let group = DispatchGroup()
        for index in 0..<threadCount {
            group.enter()
            Thread {
                let first = ThreadNumber.current
                let again = (0..<100).map { _ in ThreadNumber.current }
                results.set(index, first: first, stable: again.allSatisfy { $0 == first })
                group.leave()
            }.start()
        }
        group.wait()
        let (numbers, stable) = results.snapshot()
        #expect(stable.allSatisfy { $0 })
        #expect(Set(numbers).count == threadCount, "numbers: \(numbers)")
    }

    /// Per-thread results, behind a lock.
    final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var numbers: [Int]
        private var stable: [Bool]

        init(_ count: Int) {
            numbers = Array(repeating: -1, count: count)
            stable = Array(repeating: false, count: count)
        }

        func set(_ index: Int, first: Int, stable isStable: Bool) {
            lock.withLock {
                numbers[index] = first
                stable[index] = isStable
            }
        }

        func snapshot() -> ([Int], [Bool]) { lock.withLock { (numbers, stable) } }
    }
}
