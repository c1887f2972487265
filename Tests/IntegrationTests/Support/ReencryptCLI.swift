#if Hummingbird && GRDB && PostgresNIO
import Foundation
import LaravelCrypto
import LaravelCryptoTestSupport

/// Runs the built `crypto-reencrypt` as an operator would: keys in the environment, no `.env`.
struct ReencryptCLI {
    /// The built `crypto-reencrypt`.
    static var executable: URL { ProcessRunner.builtExecutable(named: "crypto-reencrypt") }

    /// `APP_KEY`, `APP_PREVIOUS_KEYS` and `APP_CIPHER` for a run.
    let environment: [String: String]

    init(key: EncryptionKey, previous: [EncryptionKey] = [], cipher: Cipher) throws {
        environment = [
            "APP_KEY": key.exportedString(),
            "APP_PREVIOUS_KEYS": previous.map { $0.exportedString() }.joined(separator: ","),
            "APP_CIPHER": cipher.rawValue,
        ]
    }

    /// Starts a run and returns the process (for the kill tests).
    func start(_ arguments: [String]) throws -> Process {
        try ProcessRunner.start(
            Self.executable, arguments + ["--env", "/nonexistent/.env", "--quiet"], environment: environment)
    }

    /// Runs to the end, or for at most `timeLimit` seconds where coreutils' `timeout` exists (a run
    /// that never ends then fails its test with status 124 instead of hanging the suite). No `.env`
    /// is read unless `envFile` names one; `quiet: false` keeps the progress and notes on stderr.
    @discardableResult
    func run(
        _ arguments: [String], timeLimit: Int = 600, envFile: String = "/nonexistent/.env", quiet: Bool = true
    ) throws -> ProcessResult {
        let arguments = arguments + ["--env", envFile] + (quiet ? ["--quiet"] : [])
        let timeout = URL(fileURLWithPath: "/usr/bin/timeout")
        guard FileManager.default.isExecutableFile(atPath: timeout.path) else {
            return try ProcessRunner.run(Self.executable, arguments, environment: environment)
        }
        return try ProcessRunner.run(
            timeout, ["-s", "KILL", String(timeLimit), Self.executable.path] + arguments, environment: environment)
    }
}

extension ProcessResult {
    /// A `crypto-reencrypt --json` run's `summary` object.
    func summary() throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: output) as? [String: Any]
        return object?["summary"] as? [String: Any] ?? [:]
    }

    /// `summary.rowsRewritten`.
    func rowsRewritten() throws -> Int { try summary()["rowsRewritten"] as? Int ?? -1 }
}
#endif
