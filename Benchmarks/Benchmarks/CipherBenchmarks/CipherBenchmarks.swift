import Benchmark
import LaravelCrypto

/// Encrypt and decrypt of 1 KiB and 1 MiB for every cipher through the public API: wall time
/// and mallocs per operation, so that a regression in either shows up in `swift package benchmark
/// baseline compare`. crypto-bench (the table with floors) lives in Sources/crypto-bench.
let benchmarks: @Sendable () -> Void = {
    let metrics: [BenchmarkMetric] = [.wallClock, .mallocCountTotal, .instructions]
    // What the harness itself allocates per sample: subtract it from the 1 MiB rows, whose samples
    // are single operations (the 1 KiB rows run 1000 operations per sample, so it vanishes there).
    Benchmark(
        "Harness overhead (empty body, 1 MiB settings)",
        configuration: .init(metrics: metrics, scalingFactor: .one, maxDuration: .seconds(1), maxIterations: 200)
    ) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(0) }
    }
    for cipher in Cipher.allCases where cipher.unavailabilityReason == nil {
        guard let key = try? EncryptionKey.generate(for: cipher),
            let encrypter = try? cipher.makeEncrypter(keyRing: KeyRing(current: key))
        else { continue }
        for (label, size) in [("1KiB", 1024), ("1MiB", 1 << 20)] {
            let plaintext = [UInt8](repeating: 0x61, count: size)
            guard let payload = try? encrypter.encryptBytes(plaintext) else { continue }
            let configuration = Benchmark.Configuration(
                metrics: metrics, scalingFactor: size == 1024 ? .kilo : .one,
                maxDuration: .seconds(2), maxIterations: size == 1024 ? 1_000 : 200)
            Benchmark("\(cipher.rawValue) encrypt \(label)", configuration: configuration) { benchmark in
                for _ in benchmark.scaledIterations {
                    blackHole(try encrypter.encryptBytes(plaintext))
                }
            }
            Benchmark("\(cipher.rawValue) decrypt \(label)", configuration: configuration) { benchmark in
                for _ in benchmark.scaledIterations {
                    blackHole(try encrypter.decryptBytes(payload))
                }
            }
        }
    }
}
