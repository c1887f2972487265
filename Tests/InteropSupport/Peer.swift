public import Foundation

/// An external implementation (real PHP, or Python's libaegis binding) driven through one JSON
/// request on stdin and one JSON answer on stdout; see `Fixtures/php/interop.php`.
public struct Peer: Sendable {
    public let executable: String
    public let script: String

    /// A peer running `script` with `executable`.
    public init(executable: String, script: String) {
        self.executable = executable
        self.script = script
    }

    /// The repository's root folder (fixtures live under it).
    public static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `Fixtures/php/interop.php`.
    public static let php = Peer(executable: "php", script: repositoryRoot.appendingPathComponent("Fixtures/php/interop.php").path)
    /// `Fixtures/aegis_interop.py`.
    public static let aegis = Peer(executable: "python3", script: repositoryRoot.appendingPathComponent("Fixtures/aegis_interop.py").path)

    /// Whether the peer runs here: PHP with sodium and Laravel's Encrypter, or Python with `aeg`.
    public var isAvailable: Bool {
        let probe =
            executable == "php"
            ? ["-r", "require '/usr/share/php/Illuminate/Encryption/autoload.php'; exit(function_exists('sodium_crypto_secretbox') && class_exists('Illuminate\\\\Encryption\\\\Encrypter') ? 0 : 1);"]
            : ["-c", "import aeg.aegis256"]
        return (try? Self.run(executable, probe, input: Data()))?.status == 0
    }

    /// Sends `items` for `cipher` and `key` (raw bytes) and returns the answers in order.
    public func call(cipher: String, key: [UInt8], items: [[String: Any]]) throws -> [Any] {
        let request: [String: Any] = ["cipher": cipher, "key": Data(key).base64EncodedString(), "items": items]
        let result = try Self.run(executable, [script], input: try JSONSerialization.data(withJSONObject: request))
        guard result.status == 0,
            let answer = try JSONSerialization.jsonObject(with: result.output, options: [.fragmentsAllowed]) as? [String: Any],
            let results = answer["results"] as? [Any]
        else {
            throw PeerError(message: "\(executable) failed (\(result.status)): \(String(decoding: result.errors, as: UTF8.self))")
        }
        return results
    }

    /// A peer that failed or answered nonsense.
    public struct PeerError: Error, CustomStringConvertible {
        /// What went wrong.
        public let message: String
        /// A peer error with `message`.
        public init(message: String) { self.message = message }
        /// The message.
        public var description: String { message }
    }

    /// Runs `executable` with `arguments`, `input` on stdin; its status, stdout and stderr.
    public static func run(_ executable: String, _ arguments: [String], input: Data) throws -> (status: Int32, output: Data, errors: Data) {
        // Files, not pipes, for stdin and stderr: no helper threads, no pipe-buffer deadlock.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lc-peer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let inputURL = directory.appendingPathComponent("in"), errorURL = directory.appendingPathComponent("err")
        try input.write(to: inputURL)
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        process.standardInput = try FileHandle(forReadingFrom: inputURL)
        process.standardError = try FileHandle(forWritingTo: errorURL)
        let stdout = Pipe()
        process.standardOutput = stdout
        try process.run()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, output, (try? Data(contentsOf: errorURL)) ?? Data())
    }
}

/// Interop tests skip with a loud notice when the peer is missing, unless CI requires it.
public func peerIsUsable(_ peer: Peer, requirement: String) -> Bool {
    if peer.isAvailable { return true }
    let required = ProcessInfo.processInfo.environment["REQUIRE_\(requirement)"] == "1"
    if !required {
        print("⚠️  SKIPPING interop with \(peer.executable): not installed here (CI sets REQUIRE_\(requirement)=1).")
    }
    return !required ? false : true
}
