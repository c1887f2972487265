import Foundation
import LaravelCrypto
import LaravelCryptoTestSupport
import Testing

/// `crypto-files` driven as a user would: spawned in a temporary folder with a `.env`.
@Suite("crypto-files executable")
struct CryptoFilesCLITests {
    static let env = """
        APP_KEY=base64:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
        CRYPTO_FILE_ENCRYPTION_KEY=base64:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=
        CRYPTO_BLAKE2B_HASHING_KEY=base64:QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8=
        CRYPTO_HMAC_KEY=base64:a2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2s=

        """

    @Test("round trip, wrong key, destination untouched, --json, hash, sign and verify")
    func everything() throws {
        let cli = try KeysCLI(program: "crypto-files")
        defer { cli.remove() }
        try cli.writeEnv(Self.env)
        let plain = (0..<50_000).map { UInt8(truncatingIfNeeded: $0 &* 13) }
        let path = { (name: String) in cli.directory.appendingPathComponent(name).path }
        _ = FileManager.default.createFile(atPath: path("plain.bin"), contents: Data(plain))

        let encrypted = try cli.run(["encrypt", "plain.bin", "plain.bin.enc", "--json"])
        #expect(encrypted.status == 0, "\(encrypted.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(encrypted.stdout.utf8)) as? [String: Any]
        #expect(summary?["operation"] as? String == "encrypted")
        #expect(try cli.run(["decrypt", "plain.bin.enc", "plain.out"]).status == 0)
        #expect(FileManager.default.contents(atPath: path("plain.out")) == Data(plain))
        // The library reads what the CLI wrote, with the same key.
        let files = try FileEncrypter(key: "base64:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=")
        try files.decryptFile(atPath: path("plain.bin.enc"), toPath: path("library.out"))
        #expect(FileManager.default.contents(atPath: path("library.out")) == Data(plain))

        // Another key: an error, and the existing destination keeps its content.
        _ = FileManager.default.createFile(atPath: path("existing"), contents: Data("keep".utf8))
        let wrong = try cli.run(
            ["decrypt", "plain.bin.enc", "existing"],
            environment: ["CRYPTO_FILE_ENCRYPTION_KEY": "base64:" + Data(repeating: 1, count: 32).base64EncodedString()]
        )
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("no key opened it"))
        #expect(FileManager.default.contents(atPath: path("existing")) == Data("keep".utf8))
        #expect(try cli.run(["decrypt", "missing.enc", "x"]).status == 1)
        #expect(!FileManager.default.fileExists(atPath: path("x")))

        // Through a symbolic link: the target is written, the link stays, the size is the file's.
        _ = FileManager.default.createFile(atPath: path("target.out"), contents: Data("old".utf8))
        try FileManager.default.createSymbolicLink(atPath: path("link.out"), withDestinationPath: "target.out")
        let linked = try cli.run(["decrypt", "plain.bin.enc", "link.out", "--json"])
        #expect(linked.status == 0, "\(linked.stderr)")
        let linkedSummary = try JSONSerialization.jsonObject(with: Data(linked.stdout.utf8)) as? [String: Any]
        #expect(linkedSummary?["output_bytes"] as? Int == plain.count)
        #expect(FileManager.default.contents(atPath: path("target.out")) == Data(plain))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: path("link.out")) == "target.out")

        for driver in ["xsalsa-hmac", "native"] {
            #expect(try cli.run(["encrypt", "plain.bin", "d.enc", "--driver", driver]).status == 0)
            #expect(try cli.run(["decrypt", "d.enc", "d.out", "--driver", driver]).status == 0)
            #expect(FileManager.default.contents(atPath: path("d.out")) == Data(plain), "\(driver)")
        }

        let hash = try cli.run(["hash", "plain.bin"])
        let literalKey = Array("base64:QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8=".utf8)
        #expect(hash.stdout.trimmingCharacters(in: .newlines) == (try BLAKE2bHasher(key: literalKey).hash(plain)))
        #expect(
            try cli.run(["hash", "plain.bin", "--algorithm", "sha512"]).stdout.trimmingCharacters(in: .newlines)
                == SHA512Hasher().hash(plain))

        for algorithm in ["blake2b", "hmac256", "hmac512"] {
            let signature = try cli.run(["sign", "plain.bin", "--algorithm", algorithm]).stdout.trimmingCharacters(
                in: .newlines)
            #expect(
                try cli.run(["verify", "plain.bin", signature, "--algorithm", algorithm]).status == 0, "\(algorithm)")
            let other = try cli.run([
                "verify", "plain.out", String(signature.dropLast(2)) + "AA", "--algorithm", algorithm,
            ])
            #expect(other.status == 1 && other.stdout.contains("invalid"), "\(algorithm)")
        }
        let keyPair = try Ed25519KeyPair.generate()
        try FileManager.default.createDirectory(atPath: path("storage/keys"), withIntermediateDirectories: true)
        _ = FileManager.default.createFile(
            atPath: path("storage/keys/eddsa.key"), contents: Data(keyPair.keyFileContents().utf8))
        let ed = try cli.run(["sign", "plain.bin", "--algorithm", "eddsa"]).stdout.trimmingCharacters(in: .newlines)
        #expect(Ed25519Signer(keyPair: keyPair).verify(ed, for: plain))
        #expect(try cli.run(["verify", "plain.bin", ed, "--algorithm", "eddsa"]).status == 0)
        #expect(try cli.run(["--help"]).stdout.contains("crypto-files encrypt"))

        // A FIFO to sign is refused at once (a writer opens it after two seconds, so a regression
        // signs "unblocked" and fails here instead of hanging).
        let fifoPath = path("fifo")
        #expect(mkfifo(fifoPath, 0o600) == 0)
        let writer = Thread {
            Thread.sleep(forTimeInterval: 2)
            let handle = FileHandle(forWritingAtPath: fifoPath)
            try? handle?.write(contentsOf: Data("unblocked".utf8))
            try? handle?.close()
        }
        writer.start()
        let fifo = try cli.run(["sign", "fifo"])
        #expect(fifo.status == 1 && fifo.stderr.contains("it is a FIFO, not a regular file"), "\(fifo.stderr)")
        let reader = open(fifoPath, O_RDONLY | O_NONBLOCK)
        Thread.sleep(forTimeInterval: 2.5)
        if reader >= 0 { close(reader) }
    }
}
