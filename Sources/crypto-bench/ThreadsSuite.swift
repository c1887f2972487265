import Foundation
import LaravelCrypto

/// `crypto-bench --suite threads`: 1 KiB encrypt and decrypt throughput of one shared encrypter
/// (as request handlers share it) on 1, 2, … threads, for every cipher and for the rotation
/// keyring and cookie wrappers, beside the raw primitive on the same thread
/// counts (one preallocated floor per thread, no shared state): the floor shows how far the
/// machine itself scales, ours whether the package's shared state (the nonce pool, pooled OpenSSL
/// contexts) holds it back. Within a round each operation runs on every thread count back to back
/// (the order reversed every other round); medians are reported, and a scaling is the median of the
/// ratios taken within each round (most threads ÷ one), so a change in the host's load between
/// rounds does not count as scaling.
struct ThreadsSuite {
    struct Line {
        /// The cipher, or the wrapper and its ciphers.
        let name: String
        let operation: String
        /// Operations per second, by thread count.
        let ours: [Int: Double]
        let floor: [Int: Double]
        /// Median over rounds of that round's ops/s at the most threads ÷ at one thread.
        let scaling: Double
        let floorScaling: Double
    }

    /// What one pair of rows measures: an encrypt and a decrypt through one shared object, and the
    /// primitive each is compared with.
    private struct Subject {
        let name: String
        let encrypt: @Sendable () -> Void
        let decrypt: @Sendable () -> Void
        let encryptFloor: Cipher
        let decryptFloor: Cipher
    }

    let threadCounts: [Int]
    let rounds: Int
    /// Seconds per measurement.
    let seconds: Double
    let filter: String?

    func run() throws -> [Line] {
        var lines: [Line] = []
        for subject in try subjects()
        where filter.map({ subject.name.lowercased().contains($0.lowercased()) }) ?? true {
            lines += try measure(subject)
        }
        CryptoBench.progress(nil)
        return lines
    }

    /// Every cipher through its own encrypter, then the two wrappers a server shares between
    /// request handlers: a rotation keyring reading a stale payload, and Laravel's cookies.
    private func subjects() throws -> [Subject] {
        let plaintext = String(repeating: "a", count: 1024)
        var subjects: [Subject] = []
        for cipher in Cipher.allCases {
            guard
                let encrypter = try? cipher.makeEncrypter(
                    keyRing: KeyRing(current: try EncryptionKey.generate(for: cipher)))
            else { continue }
            let payload = try encrypter.encryptString(plaintext)
            subjects.append(
                Subject(
                    name: cipher.rawValue,
                    encrypt: { _ = try? encrypter.encryptString(plaintext) },
                    decrypt: { _ = try? encrypter.decryptString(payload) },
                    encryptFloor: cipher, decryptFloor: cipher))
        }
        let old = CipherConfiguration(
            cipher: .laravelAES256CBC, keys: KeyRing(current: try EncryptionKey.generate(for: .laravelAES256CBC)))
        let migration = try MigrationEncrypter(
            writing: CipherConfiguration(
                cipher: .xChaCha20Poly1305, keys: KeyRing(current: try EncryptionKey.generate(for: .xChaCha20Poly1305))),
            reading: [old])
        let stale = try old.makeEncrypter().encryptString(plaintext)
        subjects.append(
            Subject(
                name: "MigrationEncrypter (aes-256-cbc → XChaCha20Poly1305, stale payload)",
                encrypt: { _ = try? migration.encryptString(plaintext) },
                decrypt: { _ = try? migration.decryptString(stale) },
                encryptFloor: .xChaCha20Poly1305, decryptFloor: .laravelAES256CBC))
        let cookies = try CookieEncrypter(configuration: old)
        // As a `Set-Cookie` header carries it and a browser sends it back: percent-encoded.
        let cookie = try cookies.headerValue(plaintext, forCookieNamed: "session")
        subjects.append(
            Subject(
                name: "CookieEncrypter (aes-256-cbc)",
                encrypt: { _ = try? cookies.headerValue(plaintext, forCookieNamed: "session") },
                decrypt: { _ = try? cookies.decrypt(cookie, forCookieNamed: "session") },
                encryptFloor: .laravelAES256CBC, decryptFloor: .laravelAES256CBC))
        return subjects
    }

    private func measure(_ subject: Subject) throws -> [Line] {
        let threads = threadCounts.max() ?? 1
        let encryptFloors = PerThread(
            try (0..<threads).map { _ in try PrimitiveFloor(cipher: subject.encryptFloor, plaintextCount: 1024) })
        let decryptFloors = PerThread(
            try (0..<threads).map { _ in try PrimitiveFloor(cipher: subject.decryptFloor, plaintextCount: 1024) })
        CryptoBench.progress("threads: \(subject.name)")
        // Each operation's thread counts run back to back (ascending in even rounds, descending in
        // odd ones), so a round's ratio compares measurements a fraction of a second apart and a
        // steady drift in the host's load cancels out over two rounds.
        let operations: [(key: String, body: @Sendable (Int) -> Void)] = [
            ("encrypt", { _ in subject.encrypt() }),
            ("encrypt floor", { thread in try? encryptFloors.items[thread].seal() }),
            ("decrypt", { _ in subject.decrypt() }),
            ("decrypt floor", { thread in try? decryptFloors.items[thread].open() }),
        ]
        var samples: [String: [Int: [Double]]] = [:]
        for round in 0..<rounds {
            for operation in operations {
                for threads in round.isMultiple(of: 2) ? threadCounts : threadCounts.reversed() {
                    samples[operation.key, default: [:]][threads, default: []].append(
                        Self.throughput(threads: threads, seconds: seconds, operation.body))
                }
            }
        }
        func medians(_ key: String) -> [Int: Double] {
            (samples[key] ?? [:]).mapValues(Self.median)
        }
        func scaling(_ key: String) -> Double {
            let byThreads = samples[key] ?? [:]
            let most = byThreads[threads] ?? [], one = byThreads[1] ?? []
            return Self.median(zip(most, one).map { $0 / max(1, $1) })
        }
        return ["encrypt", "decrypt"].map { operation in
            Line(
                name: subject.name, operation: operation, ours: medians(operation),
                floor: medians("\(operation) floor"), scaling: scaling(operation),
                floorScaling: scaling("\(operation) floor"))
        }
    }

    private static func median(_ values: [Double]) -> Double {
        values.isEmpty ? 0 : values.sorted()[values.count / 2]
    }

    /// Total operations per second of `threads` threads each calling `body(threadIndex)` for `seconds`.
    static func throughput(threads: Int, seconds: Double, _ body: @escaping @Sendable (Int) -> Void) -> Double {
        let counts = Counts(threads)
        let start = DispatchSemaphore(value: 0), done = DispatchGroup()
        for index in 0..<threads {
            done.enter()
            let thread = Thread {
                start.wait()
                let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
                var operations = 0
                repeat {
                    for _ in 0..<32 { body(index) }
                    operations += 32
                } while DispatchTime.now().uptimeNanoseconds < deadline
                counts.set(index, operations)
                done.leave()
            }
            thread.start()
        }
        let began = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<threads { start.signal() }
        done.wait()
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
        return Double(counts.total) / elapsed
    }

    static func markdown(_ lines: [Line], threadCounts: [Int], machine: Machine) -> String {
        var out = "# crypto-bench --suite threads\n\n"
        out += "Machine: \(machine.summary).\n\n"
        out +=
            "1 KiB through one shared encrypter (`encryptString`/`decryptString`), operations per second in all "
            + "threads; "
        out +=
            "the floor is the raw primitive with one preallocated buffer set per thread. Scaling = ops/s at the most "
            + "threads ÷ at one, the median of the ratios taken round by round.\n\n"
        let most = threadCounts.max() ?? 1
        out += "| Subject | op | " + threadCounts.map { "\($0) thread\($0 == 1 ? "" : "s")" }.joined(separator: " | ")
        out += " | scaling (target ≥ \(String(format: "%.1f", 0.9 * Double(most)))×) | floor scaling |\n"
        out += "|---|---|" + String(repeating: "---:|", count: threadCounts.count + 2) + "\n"
        for line in lines {
            let cells = threadCounts.map { String(format: "%.0f", line.ours[$0] ?? 0) }
            let scaling = line.scaling, floorScaling = line.floorScaling
            let verdict = scaling >= 0.9 * Double(most) ? "✓" : "✗"
            out += "| \(line.name) | \(line.operation) | \(cells.joined(separator: " | ")) | "
            // Shown rounded down, so a value printed as the target (1.80×) has met it.
            out += String(format: "%.2f× %@ | %.2f× |\n", (scaling * 100).rounded(.down) / 100, verdict, floorScaling)
        }
        return out
    }
}

/// One floor per thread: thread `i` only ever touches `items[i]`.
private final class PerThread<Item>: @unchecked Sendable {
    let items: [Item]
    init(_ items: [Item]) { self.items = items }
}

/// One operation count per thread.
private final class Counts: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int]
    init(_ count: Int) { values = Array(repeating: 0, count: count) }
    func set(_ index: Int, _ value: Int) { lock.withLock { values[index] = value } }
    var total: Int { lock.withLock { values.reduce(0, +) } }
}
