public import Foundation

/// What a finished process printed and returned.
public struct ProcessResult: Sendable {
    /// The exit status (or the signal number, for a process killed by one).
    public let status: Int32
    /// Everything written to standard output.
    public let output: Data
    /// Everything written to standard error.
    public let errors: Data

    /// Standard output as UTF-8 text.
    public var stdout: String { String(decoding: output, as: UTF8.self) }
    /// Standard error as UTF-8 text.
    public var stderr: String { String(decoding: errors, as: UTF8.self) }
}

/// The one way the tests run another program: the PHP and Python peers, and the built
/// `crypto-keys`, `crypto-files` and `crypto-reencrypt`.
public enum ProcessRunner {
    /// Held while a child is spawned, and by a test while it changes this process's working
    /// directory: Foundation's `Process` on Linux may switch the parent's directory around a spawn,
    /// so the two must not interleave (a child could start in the wrong folder).
    public static let workingDirectoryLock = NSLock()

    /// A program this package builds, found beside the test bundle (`swift build --build-tests`
    /// builds both).
    public static func builtExecutable(named name: String) -> URL {
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [bundleDirectory, bundleDirectory.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return bundleDirectory.appendingPathComponent(name)
    }

    /// Runs `command` found on `PATH` (through `/usr/bin/env`) to its end.
    public static func run(command: String, _ arguments: [String], input: Data = Data()) throws -> ProcessResult {
        try run(URL(fileURLWithPath: "/usr/bin/env"), [command] + arguments, input: input)
    }

    /// Runs `executable` to its end with `input` on standard input, `environment` added to this
    /// process's own, in `directory` if given.
    ///
    /// Standard input and standard error go through files rather than pipes, and standard output
    /// is read while the process runs: no helper thread, and no pipe buffer that can fill and stall
    /// the child.
    public static func run(
        _ executable: URL, _ arguments: [String], input: Data = Data(), environment: [String: String] = [:],
        directory: URL? = nil
    ) throws -> ProcessResult {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("lc-process-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let inputURL = scratch.appendingPathComponent("stdin"), errorURL = scratch.appendingPathComponent("stderr")
        try input.write(to: inputURL)
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        let process = makeProcess(executable, arguments, environment: environment, directory: directory)
        process.standardInput = try FileHandle(forReadingFrom: inputURL)
        process.standardError = try FileHandle(forWritingTo: errorURL)
        let stdout = Pipe()
        process.standardOutput = stdout
        try workingDirectoryLock.withLock { try process.run() }
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ProcessResult(
            status: process.terminationStatus, output: output, errors: (try? Data(contentsOf: errorURL)) ?? Data())
    }

    /// Starts `executable` with its output discarded and returns at once (for the tests that kill
    /// a run part-way).
    public static func start(
        _ executable: URL, _ arguments: [String], environment: [String: String] = [:], directory: URL? = nil
    ) throws -> Process {
        let process = makeProcess(executable, arguments, environment: environment, directory: directory)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try workingDirectoryLock.withLock { try process.run() }
        return process
    }

    private static func makeProcess(
        _ executable: URL, _ arguments: [String], environment: [String: String], directory: URL?
    ) -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        if let directory { process.currentDirectoryURL = directory }
        return process
    }
}
