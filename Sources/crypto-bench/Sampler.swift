import Dispatch

/// Median and 90th percentile of the per-operation time over batches, in nanoseconds.
struct Stats: Sendable, Codable, Equatable {
    let median: Double
    let p90: Double

    init(median: Double, p90: Double) {
        self.median = median
        self.p90 = p90
    }

    init(samples: [Double]) {
        let sorted = samples.sorted()
        median = sorted.isEmpty ? .nan : sorted[sorted.count / 2]
        p90 = sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, Int((Double(sorted.count) * 0.9).rounded(.up)) - 1)]
    }
}

/// Times two workloads in interleaved batches (ours, floor, ours, floor, …) so that both see the
/// same machine state: this machine is shared and its speed drifts.
struct Sampler {
    /// Timed batches per workload.
    let batches: Int
    /// Wall-clock budget for both workloads of one cell, in seconds.
    let budget: Double

    /// Monotonic nanoseconds.
    static func now() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds)
    }

    /// Nanoseconds per call of `body`, measured for about 20 ms (the warm-up).
    static func estimate(_ body: () throws -> Void) rethrows -> Double {
        var calls = 0
        let start = now()
        repeat {
            try body()
            calls += 1
        } while now() - start < 20e6 && calls < 1_000_000
        return (now() - start) / Double(calls)
    }

    func measure(_ ours: () throws -> Void, floor: () throws -> Void) rethrows -> (ours: Stats, floor: Stats) {
        let oursEstimate = try Self.estimate(ours), floorEstimate = try Self.estimate(floor)
        let perBatch = budget * 1e9 / Double(2 * batches)
        let oursCalls = max(1, Int(perBatch / oursEstimate)), floorCalls = max(1, Int(perBatch / floorEstimate))
        var oursSamples: [Double] = [], floorSamples: [Double] = []
        for _ in 0..<batches {
            var start = Self.now()
            for _ in 0..<oursCalls { try ours() }
            oursSamples.append((Self.now() - start) / Double(oursCalls))
            start = Self.now()
            for _ in 0..<floorCalls { try floor() }
            floorSamples.append((Self.now() - start) / Double(floorCalls))
        }
        return (Stats(samples: oursSamples), Stats(samples: floorSamples))
    }
}
