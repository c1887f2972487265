import Foundation
import LaravelCrypto
import LaravelCryptoTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `crypto-keys` against concurrent runs and `.env` files that are links, pipes, devices or huge.
@Suite("crypto-keys: concurrent runs and odd files")
struct CryptoKeysFileSafetyTests {
    /// Every key `APP_KEY` (or the file key) ever held: the current one, then the previous ones.
    func keyHistory(_ values: [String: String], key: String, previous: String) -> [String] {
        [values[key] ?? ""] + (values[previous] ?? "").split(separator: ",").map(String.init)
    }

    @Test func tenConcurrentRotationsLoseNoKey() throws {
        let cli = try KeysCLI()
        defer { cli.remove() }
        let first = try #require(
            try cli.run(["--show", "--json", "--no-eddsa"]).stdout.split(separator: "\"").first {
                $0.hasPrefix("base64:")
            })
        try cli.writeEnv("APP_NAME=Demo\nAPP_CIPHER=aes-256-cbc\nAPP_KEY=\(first)\n")

        // Ten runs started at once, each rotating every key of the same file.
        let runs = 10
        let processes = try (0..<runs).map { _ in try cli.start(["--force", "--no-eddsa"]) }
        for process in processes { process.waitUntilExit() }
        #expect(processes.allSatisfy { $0.terminationStatus == 0 })

        // Each run made the key it wrote current, so an app may have used it: all 1 + 10 must remain.
        let values = DotEnv.parse(try cli.env())
        let app = keyHistory(values, key: "APP_KEY", previous: "APP_PREVIOUS_KEYS")
        #expect(
            app.count == runs + 1 && Set(app).count == runs + 1,
            "APP_KEY history: \(app.count) entries, \(Set(app).count) distinct")
        #expect(app.last == String(first), "the first key is the oldest previous key")
        let file = keyHistory(
            values, key: "CRYPTO_FILE_ENCRYPTION_KEY", previous: "CRYPTO_FILE_ENCRYPTION_PREVIOUS_KEYS")
        #expect(file.count == runs + 1 && Set(file).count == runs + 1, "file key history: \(file.count) entries")
        #expect(values["APP_NAME"] == "Demo")
        // The lock file stays beside the .env, private, and no temporary file is left.
        let names = try FileManager.default.contentsOfDirectory(atPath: cli.directory.path).filter {
            !$0.hasPrefix(".std")
        }
        #expect(Set(names) == [".env", ".env.crypto-keys.lock"], "\(names)")
        #expect(try cli.mode(cli.directory.appendingPathComponent(".env.crypto-keys.lock").path) == 0o600)
    }

    @Test func aSymlinkedEnvIsWrittenThroughTheLink() throws {
        let cli = try KeysCLI()
        defer { cli.remove() }
        // The zero-downtime deploy layout: release/.env -> ../shared/.env.
        let shared = cli.directory.appendingPathComponent("shared"),
            release = cli.directory.appendingPathComponent("release")
        try FileManager.default.createDirectory(at: shared, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: release, withIntermediateDirectories: true)
        let target = shared.appendingPathComponent(".env").path, link = release.appendingPathComponent(".env").path
        try Data("APP_NAME=Demo\n".utf8).write(to: URL(fileURLWithPath: target))
        #expect(chmod(target, 0o640) == 0)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "../shared/.env")

        let created = try cli.run(["--env", "release/.env", "--no-eddsa"])
        #expect(created.status == 0, "\(created.stderr)")
        let rotated = try cli.run(["--env", "release/.env", "--no-eddsa", "--force"])
        #expect(rotated.status == 0, "\(rotated.stderr)")

        #expect(
            try FileManager.default.destinationOfSymbolicLink(atPath: link) == "../shared/.env",
            "the link is still a link")
        let values = DotEnv.parse(try String(contentsOfFile: target, encoding: .utf8))
        #expect(values["APP_NAME"] == "Demo" && values["APP_KEY"]?.hasPrefix("base64:") == true)
        #expect(values["APP_PREVIOUS_KEYS"]?.hasPrefix("base64:") == true, "the rotation reached the shared file")
        #expect(try cli.mode(target) == 0o640, "the target keeps its mode")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: shared.path).sorted() == [
                ".env", ".env.crypto-keys.lock",
            ])

        // A link to nothing is an error, not a new regular file in its place.
        let dangling = release.appendingPathComponent("dangling.env").path
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: "../missing/.env")
        let refused = try cli.run(["--env", "release/dangling.env", "--no-eddsa"])
        #expect(
            refused.status != 0 && refused.stderr.contains("symbolic link")
                && refused.stderr.contains("does not exist"), "\(refused.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dangling) == "../missing/.env")
    }

    @Test func filesThatAreNotRegularOrTooLargeAreRefused() throws {
        let cli = try KeysCLI()
        defer { cli.remove() }
        // A FIFO would block a reader forever; a device would be read without end.
        #expect(mkfifo(cli.envPath, 0o600) == 0)
        let fifo = try cli.run(["--no-eddsa", "--force"])
        #expect(fifo.status != 0 && fifo.stderr.contains("a FIFO, not a regular file"), "\(fifo.stderr)")
        #expect(unlink(cli.envPath) == 0)

        try FileManager.default.createSymbolicLink(atPath: cli.envPath, withDestinationPath: "/dev/zero")
        let device = try cli.run(["--no-eddsa", "--force"])
        #expect(
            device.status != 0 && device.stderr.contains("a character device, not a regular file"), "\(device.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: cli.envPath) == "/dev/zero")
        #expect(unlink(cli.envPath) == 0)

        try cli.writeEnv(String(repeating: "# padding\n", count: 110_000))
        let huge = try cli.run(["--no-eddsa", "--force"])
        #expect(huge.status != 0 && huge.stderr.contains("limit of 1048576"), "\(huge.stderr)")
        #expect(try cli.env().count == 1_100_000, "nothing was written")
    }
}
