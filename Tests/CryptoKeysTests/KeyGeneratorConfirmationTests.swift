import CryptoKeysCore
import Foundation
import Testing

/// The production question, answered in process through `KeyGenerator`'s injected confirmation
/// (the executable asks on a terminal only; `CryptoKeysCLITests` checks that a pipe never says yes).
@Suite("crypto-keys: production confirmation")
struct KeyGeneratorConfirmationTests {
    final class Questions: @unchecked Sendable {
        private let lock = NSLock()
        private var asked: [String] = []
        func record(_ question: String) { lock.withLock { asked.append(question) } }
        var all: [String] { lock.withLock { asked } }
    }

    @Test func aProductionEnvIsWrittenOnlyAfterAYes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lc-confirm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent(".env").path
        try "APP_ENV=production\n".write(toFile: path, atomically: true, encoding: .utf8)
        var request = KeyGenerationRequest(environmentFile: path)
        request.generators = [.app]
        let questions = Questions()

        #expect(throws: CryptoKeysError.cancelled) {
            try KeyGenerator(request: request) { question in
                questions.record(question)
                return false
            }.run()
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "APP_ENV=production\n", "a no changes nothing")
        #expect(questions.all == ["Application in production. Generate new keys in \(path)? (yes/no) [no]"])

        _ = try KeyGenerator(request: request) { question in
            questions.record(question)
            return true
        }.run()
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written.hasPrefix("APP_ENV=production\n") && written.contains("APP_KEY=base64:"))
        #expect(questions.all.count == 2)

        // --force neither asks nor stops.
        request.force = true
        _ = try KeyGenerator(request: request) { question in
            questions.record(question)
            return false
        }.run()
        #expect(questions.all.count == 2)
    }
}
