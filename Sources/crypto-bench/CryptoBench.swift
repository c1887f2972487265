import ArgumentParser
import Foundation
import LaravelCrypto

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Prints the seed article's 1 KiB / 1 MiB table for this package on this machine.
///
/// Each cell is the median of timed batches after a warm-up, the full payload in and out
/// (random nonce, cipher, encoding) through the public `Encrypter` API.
@main
struct CryptoBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crypto-bench",
        abstract: "Time encrypt/decrypt of 1 KiB and 1 MiB payloads for every cipher.",
        discussion: """
            Build in release mode: `swift run -c release crypto-bench` (or `make bench`).
            Examples:
              crypto-bench --quick
              crypto-bench --filter AEGIS --iterations 20
            """)

    @Flag(help: "Fewer batches (about 10 s in all).")
    var quick = false

    @Option(help: "Only rows whose name contains this text (case-insensitive).")
    var filter: String?

    @Option(help: "Timed batches per cell; the median is reported.")
    var iterations: Int?

    /// The article's rows and its PHP 8.5.1 / M4 Pro figures in µs (1 KiB enc, dec; 1 MiB enc, dec).
    static let rows: [(name: String, cipher: Cipher, seed: [Double]?)] = [
        ("Laravel AES-256-CBC", .laravelAES256CBC, [8.09, 9.98, 5020, 7570]),
        ("Laravel AES-256-GCM", .laravelAES256GCM, [3.37, 5.33, 1310, 3940]),
        ("Sodium AES-256-GCM", .aes256GCM, [2.39, 2.58, 1110, 1880]),
        ("Sodium XChaCha20-Poly1305", .xChaCha20Poly1305, [3.41, 3.58, 2210, 2900]),
        ("Sodium AEGIS-256", .aegis256, [2.06, 2.27, 820, 1650]),
        ("Sodium AEGIS-128L", .aegis128L, [2.03, 2.14, 900, 1600]),
        ("Sodium SecretBox", .secretBox, nil),
    ]

    func run() throws {
        let batches = iterations ?? (quick ? 5 : 15)
        print("| Algorithm | 1 KiB enc µs | 1 KiB dec µs | 1 MiB enc µs | 1 MiB dec µs | seed (PHP 8.5.1, M4 Pro) |")
        print("|---|---|---|---|---|---|")
        for row in Self.rows where filter.map({ row.name.lowercased().contains($0.lowercased()) }) ?? true {
            if let reason = row.cipher.unavailabilityReason {
                print("| \(row.name) | unavailable: \(reason) | | | | |")
                continue
            }
            FileHandleStderr.write("crypto-bench: \(row.name)…\n")
            let encrypter = try row.cipher.makeEncrypter(keyRing: KeyRing(current: try EncryptionKey.generate(for: row.cipher)))
            var cells: [Double] = []
            for size in [1024, 1 << 20] {
                let plaintext = [UInt8](repeating: 0x61, count: size)
                let payload = try encrypter.encryptBytes(plaintext)
                let perBatch = size == 1024 ? (quick ? 2_000 : 10_000) : (quick ? 5 : 20)
                cells.append(try median(batches: batches, operations: perBatch) { _ = try encrypter.encryptBytes(plaintext) })
                cells.append(try median(batches: batches, operations: perBatch) { _ = try encrypter.decryptBytes(payload) })
            }
            let seed = row.seed.map { $0.map { format($0) }.joined(separator: " / ") } ?? "—"
            print("| \(row.name) | " + cells.map(format).joined(separator: " | ") + " | \(seed) |")
        }
    }

    /// Median over `batches` of the mean time per operation, in µs, after one warm-up batch.
    func median(batches: Int, operations: Int, _ body: () throws -> Void) throws -> Double {
        var samples: [Double] = []
        for batch in 0...batches {
            let start = now()
            for _ in 0..<operations { try body() }
            if batch > 0 { samples.append((now() - start) / Double(operations) * 1e6) }
        }
        samples.sort()
        return samples[samples.count / 2]
    }

    func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    func format(_ value: Double) -> String {
        value >= 100 ? String(Int(value.rounded())) : String(Double(Int(value * 100)) / 100)
    }
}

/// Progress goes to stderr so the table on stdout stays clean.
enum FileHandleStderr {
    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
