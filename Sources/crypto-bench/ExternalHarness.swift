import Foundation

/// Another implementation of the same payloads, timed by its own process: PHP
/// (`Benchmarks/php/bench.php`) or the plain-C best case (`Benchmarks/c-reference/reference.c`,
/// built by `make c-reference`). Both take `BUDGET BATCHES CIPHERS SIZES` and print
/// `{"results": [{"cipher", "size", "op", "ns_median"}], "php": version?}`.
struct ExternalHarness {
    let executable: String
    let arguments: [String]
    /// Files that must exist for the harness to run.
    let requirements: [String]

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// PHP 8.x with Laravel's Encrypter (Debian's php-cli and php-illuminate-encryption).
    static let php = ExternalHarness(
        executable: "/usr/bin/env", arguments: ["php", root.appendingPathComponent("Benchmarks/php/bench.php").path],
        requirements: ["/usr/share/php/Illuminate/Encryption/autoload.php"])

    /// The C reference binary.
    static let c = ExternalHarness(
        executable: root.appendingPathComponent(".build/c-reference/reference").path, arguments: [], requirements: [])

    struct Output: Decodable {
        let php: String?
        let results: [Figure]
    }

    struct Figure: Decodable {
        let cipher: String
        let size: Int
        let op: Operation
        let ns_median: Double
    }

    var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: executable)
            && requirements.allSatisfy { FileManager.default.fileExists(atPath: $0) }
    }

    /// `nil` when the harness is missing or fails.
    func run(ciphers: [String], sizes: [Int], budget: Double, batches: Int) -> Output? {
        guard isAvailable, !ciphers.isEmpty else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments =
            arguments + [
                String(budget), String(batches), ciphers.joined(separator: ","),
                sizes.map(String.init).joined(separator: ","),
            ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return try? JSONDecoder().decode(Output.self, from: data)
    }
}
