import Foundation

/// Runs `Benchmarks/php/bench.php` with the machine's `php` and returns its figures.
struct PHPHarness {
    let script: String

    /// The harness next to the sources (the package root is found from this file's path).
    static var `default`: PHPHarness {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return PHPHarness(script: root.appendingPathComponent("Benchmarks/php/bench.php").path)
    }

    struct Output: Decodable {
        let php: String
        let results: [Figure]
    }

    struct Figure: Decodable {
        let cipher: String
        let size: Int
        let op: Operation
        let ns_median: Double
    }

    /// `nil` when PHP or Laravel's Encrypter is not installed.
    func run(ciphers: [String], sizes: [Int], budget: Double, batches: Int) -> Output? {
        guard FileManager.default.fileExists(atPath: script),
            FileManager.default.fileExists(atPath: "/usr/share/php/Illuminate/Encryption/autoload.php")
        else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["php", script, String(budget), String(batches), ciphers.joined(separator: ","),
            sizes.map(String.init).joined(separator: ",")]
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
