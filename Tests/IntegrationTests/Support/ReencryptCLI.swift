#if Hummingbird && GRDB && PostgresNIO
import Foundation
import LaravelCrypto

/// Runs the built `crypto-reencrypt` as an operator would: keys in the environment, no `.env`.
struct ReencryptCLI {
    /// What a run printed and returned.
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String

        /// The `--json` summary's `summary` object.
        func summary() throws -> [String: Any] {
            let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any]
            return object?["summary"] as? [String: Any] ?? [:]
        }

        /// `summary.rowsRewritten`.
        func rowsRewritten() throws -> Int { try summary()["rowsRewritten"] as? Int ?? -1 }
    }

    /// The executable next to the test bundle (`swift build --build-tests` builds it).
    static var executable: URL {
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [bundleDirectory, bundleDirectory.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("crypto-reencrypt")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return bundleDirectory.appendingPathComponent("crypto-reencrypt")
    }

    /// `APP_KEY`, `APP_PREVIOUS_KEYS` and `APP_CIPHER` for a run.
    let environment: [String: String]

    init(key: EncryptionKey, previous: [EncryptionKey] = [], cipher: Cipher) throws {
        environment = [
            "APP_KEY": try key.exportedString(), "APP_PREVIOUS_KEYS": try previous.map { try $0.exportedString() }.joined(separator: ","),
            "APP_CIPHER": cipher.rawValue,
        ]
    }

    /// Starts a run and returns the process (for the kill tests).
    func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments + ["--env", "/nonexistent/.env", "--quiet"]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs to the end.
    @discardableResult
    func run(_ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments + ["--env", "/nonexistent/.env", "--quiet"]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Read both pipes while the process runs, so a full pipe never blocks it.
        let errorData = ReadAll(errors.fileHandleForReading)
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outputData, as: UTF8.self),
            stderr: String(decoding: errorData.wait(), as: UTF8.self))
    }
}

/// Reads a file handle to its end on another thread.
final class ReadAll: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
#endif
