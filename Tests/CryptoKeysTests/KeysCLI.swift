import Foundation

/// Runs a built executable (`crypto-keys` by default, or `crypto-files`) in a temporary directory, as a user would.
struct KeysCLI {
    let directory: URL
    let executable: URL

    /// The executable next to the test bundle (`swift build --build-tests` builds both).
    static func executable(named name: String) -> URL {
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [bundleDirectory, bundleDirectory.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return bundleDirectory.appendingPathComponent(name)
    }

    init(program: String = "crypto-keys") throws {
        executable = Self.executable(named: program)
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

    /// Runs `crypto-keys` with `arguments` in the directory; `input` feeds stdin.
    @discardableResult
    func run(_ arguments: [String], input: String = "", environment: [String: String] = [:]) throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let inputURL = directory.appendingPathComponent(".stdin"), errorURL = directory.appendingPathComponent(".stderr")
        try Data(input.utf8).write(to: inputURL)
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        process.standardInput = try FileHandle(forReadingFrom: inputURL)
        process.standardError = try FileHandle(forWritingTo: errorURL)
        let stdout = Pipe()
        process.standardOutput = stdout
        try process.run()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errors = (try? String(contentsOf: errorURL, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: inputURL)
        try? FileManager.default.removeItem(at: errorURL)
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), errors)
    }
}
