import Foundation
import LaravelCryptoTestSupport

/// Runs a built executable (`crypto-keys` by default, or `crypto-files`) in a temporary directory, as a user would.
struct KeysCLI {
    let directory: URL
    let executable: URL

    init(program: String = "crypto-keys") throws {
        executable = ProcessRunner.builtExecutable(named: program)
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(program)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    var envPath: String { directory.appendingPathComponent(".env").path }
    var keyFilePath: String { directory.appendingPathComponent("storage/keys/eddsa.key").path }

    func writeEnv(_ text: String, mode: Int = 0o600) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: envPath))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: envPath)
    }

    func env() throws -> String { try String(contentsOfFile: envPath, encoding: .utf8) }

    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    /// Runs the program with `arguments` in the directory; `input` feeds stdin.
    @discardableResult
    func run(_ arguments: [String], input: String = "", environment: [String: String] = [:]) throws -> ProcessResult {
        try ProcessRunner.run(
            executable, arguments, input: Data(input.utf8), environment: environment, directory: directory)
    }

    /// Starts the program with `arguments` in the directory, output discarded, and returns at once.
    func start(_ arguments: [String]) throws -> Process {
        try ProcessRunner.start(executable, arguments, directory: directory)
    }
}
