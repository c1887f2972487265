import Foundation
import LaravelCrypto
import LaravelCryptoTestSupport
import Testing

/// `crypto-keys` driven as a user drives it: a spawned process, a temporary directory, a `.env`.
@Suite("crypto-keys executable", .serialized)
struct CryptoKeysCLITests {
    static var keyPattern: Regex<Substring> { #/^base64:[A-Za-z0-9+/]{43}=$/# }

    func values(_ cli: KeysCLI) throws -> [String: String] { DotEnv.parse(try cli.env()) }

    @Test func freshEnvGetsEveryKeyAndPrivateModes() throws {
        let cli = try KeysCLI()
        defer { cli.remove() }
        let result = try cli.run([])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains("base64:"), "no secrets without --show")
        let env = try values(cli)
        for name in ["APP_KEY", "CRYPTO_FILE_ENCRYPTION_KEY", "CRYPTO_BLAKE2B_HASHING_KEY", "CRYPTO_HMAC_KEY"] {
            #expect(try #require(env[name]).wholeMatch(of: Self.keyPattern) != nil, "\(name)")
        }
        #expect(env["APP_PREVIOUS_KEYS"] == "" && env["CRYPTO_FILE_ENCRYPTION_PREVIOUS_KEYS"] == "")
        #expect(
            Set([
                env["APP_KEY"], env["CRYPTO_FILE_ENCRYPTION_KEY"], env["CRYPTO_BLAKE2B_HASHING_KEY"],
                env["CRYPTO_HMAC_KEY"],
            ]).count == 4)
        #expect(try cli.mode(cli.envPath) == 0o600)
        #expect(try cli.mode(cli.keyFilePath) == 0o600)
        let keyFile = try String(contentsOfFile: cli.keyFilePath, encoding: .utf8)
        #expect(keyFile.utf8.count == 193)
        let pair = try Ed25519KeyPair(keyFileContents: keyFile)
        let signature = try pair.sign(Array("hello".utf8))
        #expect(pair.publicKey.isValidSignature(signature, for: Array("hello".utf8)))
        // The default cipher is AEGIS-256: a 32-byte APP_KEY that the library's loader accepts.
        let ring = try AppConfiguration.fromDotEnvFile(atPath: cli.envPath, environmentWins: false).keyRing(
            for: .aegis256)
        #expect(ring.current.byteCount == 32 && ring.previous.isEmpty)
    }

    @Test func existingEnvKeepsEveryOtherByte() throws {
        let cli = try KeysCLI()
        defer { cli.remove() }
        let head = "# Laravel app\r\nAPP_NAME=\"My App\"\r\nAPP_ENV=local\r\n"
        let tail = "\r\nDB_PASSWORD='s3cr#t'\r\nAPP_CIPHER=aes-128-cbc\r\n# CRYPTO_HMAC_KEY=commented out\r\nLAST=1"
        let original = head + "export APP_KEY=\"\"  # set by crypto-keys\r\n" + tail
        try cli.writeEnv(original, mode: 0o640)
        let result = try cli.run(["--no-eddsa"])
        #expect(result.status == 0, "\(result.stderr)")
        let text = try cli.env()
        #expect(try cli.mode(cli.envPath) == 0o640, "mode kept")
        let env = try values(cli)
        let appKey = try #require(env["APP_KEY"])
        #expect(appKey.wholeMatch(of: #/^base64:[A-Za-z0-9+/]{22}==$/#) != nil, "16 bytes for aes-128-cbc")
        #expect(
            text.hasPrefix(
                head + "export APP_KEY=\"\(appKey)\"  # set by crypto-keys\r\nAPP_PREVIOUS_KEYS=\r\n" + tail + "\r\n"))
        #expect(text.components(separatedBy: "APP_KEY=").count == 2, "quoted APP_KEY replaced, not duplicated")
        #expect(env["DB_PASSWORD"] == "s3cr#t" && env["APP_NAME"] == "My App" && env["LAST"] == "1")
        #expect(FileManager.default.fileExists(atPath: cli.keyFilePath) == false)
    }

    @Test func rotatingTwiceKeepsOldDataReadable() throws {
        let cli = try KeysCLI()
        defer { cli.remove() }
        try cli.writeEnv("APP_CIPHER=Sodium_XChaCha20Poly1305\nAPP_KEY=\n")
        #expect(try cli.run(["--no-eddsa"]).status == 0)
        let first = try #require(try values(cli)["APP_KEY"])
        let encrypter0 = try AppConfiguration.fromDotEnvFile(atPath: cli.envPath, environmentWins: false)
            .makeEncrypter()
        let payload0 = try encrypter0.encryptString("written under the first key")

        #expect(try cli.run(["--no-eddsa", "--force"]).status == 0)
        let second = try #require(try values(cli)["APP_KEY"])
        let payload1 = try AppConfiguration.fromDotEnvFile(atPath: cli.envPath, environmentWins: false).makeEncrypter()
            .encryptString("written under the second key")

        #expect(try cli.run(["--no-eddsa", "--force"]).status == 0)
        let env = try values(cli)
        #expect(env["APP_PREVIOUS_KEYS"] == "\(second),\(first)", "newest previous key first, order kept")
        #expect(env["CRYPTO_FILE_ENCRYPTION_PREVIOUS_KEYS"]?.split(separator: ",").count == 2)
        let rotated = try AppConfiguration.fromDotEnvFile(atPath: cli.envPath, environmentWins: false).makeEncrypter()
        #expect(try rotated.decryptString(payload0) == "written under the first key")
        #expect(try rotated.decryptString(payload1) == "written under the second key")
    }

    @Test func upstreamEnvDefectsAreFixed() throws {
        let cli = try KeysCLI()
        defer { cli.remove() }
        let old = try EncryptionKey.generate().exportedString(), blake = try EncryptionKey.generate().exportedString()
        // No APP_PREVIOUS_KEYS line (upstream loses the old key), a BLAKE2b line (upstream
        // concatenates), a quoted APP_KEY (upstream appends a duplicate).
        try cli.writeEnv("APP_KEY=\"\(old)\"\nCRYPTO_BLAKE2B_HASHING_KEY=\(blake)\nAPP_PREVIOUS_KEYS=\(old),\(old)\n")
        let result = try cli.run(["--force", "--no-eddsa"])
        #expect(result.status == 0, "\(result.stderr)")
        let env = try values(cli)
        #expect(env["APP_PREVIOUS_KEYS"] == old, "old key kept once (no duplicates)")
        #expect(env["CRYPTO_BLAKE2B_HASHING_KEY"]?.wholeMatch(of: Self.keyPattern) != nil)
        #expect(env["CRYPTO_BLAKE2B_HASHING_KEY"] != blake)
        #expect(try cli.env().components(separatedBy: "APP_KEY=").count == 2)
        // The file key fell back to APP_KEY, so files written before stay readable too.
        #expect(env["CRYPTO_FILE_ENCRYPTION_PREVIOUS_KEYS"] == old)

        let cli2 = try KeysCLI()
        defer { cli2.remove() }
        try cli2.writeEnv("APP_KEY=\(old)\nOTHER=x\n")
        #expect(try cli2.run(["--force", "--no-eddsa"]).status == 0)
        #expect(try cli2.env().hasPrefix("APP_KEY=base64:"))
        #expect(try values(cli2)["APP_PREVIOUS_KEYS"] == old, "no APP_PREVIOUS_KEYS line: added, old key kept")
    }

    @Test func processEnvironmentCipherWinsOverTheFile() throws {
        let cli = try KeysCLI()
        defer { cli.remove() }
        try cli.writeEnv("APP_CIPHER=Sodium_AEGIS256GCM\n")
        let result = try cli.run(["--no-eddsa", "--json"], environment: ["APP_CIPHER": "aes-128-gcm"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"cipher\":\"aes-128-gcm\""))
        #expect(try values(cli)["APP_KEY"]?.wholeMatch(of: #/^base64:[A-Za-z0-9+/]{22}==$/#) != nil)
    }

    @Test func showPrintsAndWritesNothing() throws {
        let cli = try KeysCLI()
        defer { cli.remove() }
        try cli.writeEnv("APP_KEY=\nAPP_CIPHER=Sodium_AEGIS128LGCM\n")
        let before = try cli.env()
        let result = try cli.run(["--show"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 6, "EdDSA (two lines), App, File, Blake2b, HMAC")
        #expect(
            lines[0].hasPrefix("EdDSA Key: ") && lines[0].count == "EdDSA Key: ".count + 64 && lines[1].count == 128)
        #expect(lines[2].wholeMatch(of: #/^App Key: base64:[A-Za-z0-9+/]{22}==$/#) != nil, "AEGIS-128L: 16 bytes")
        #expect(
            lines[3].hasPrefix("File Key: base64:") && lines[4].hasPrefix("Blake2b Key: base64:")
                && lines[5].hasPrefix("HMAC Key: base64:"))
        #expect(try cli.env() == before)
        #expect(!FileManager.default.fileExists(atPath: cli.keyFilePath))
    }

    @Test func jsonReportSchema() throws {
        let cli = try KeysCLI()
        defer { cli.remove() }
        let result = try cli.run(["--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["schema"] as? Int == 1 && object["written"] as? Bool == true)
        #expect(object["cipher"] as? String == "Sodium_AEGIS256GCM" && object["env_file"] as? String == ".env")
        let keys = try #require(object["keys"] as? [[String: Any]])
        #expect(
            keys.map { $0["variable"] as? String } == [
                "APP_KEY", "CRYPTO_FILE_ENCRYPTION_KEY", "CRYPTO_BLAKE2B_HASHING_KEY", "CRYPTO_HMAC_KEY",
            ])
        #expect(
            keys.allSatisfy { $0["value"] == nil && $0["bytes"] as? Int == 32 && $0["action"] as? String == "created" })
        #expect(
            keys[0]["previous_keys_variable"] as? String == "APP_PREVIOUS_KEYS"
                && keys[0]["previous_keys_count"] as? Int == 0)
        let eddsa = try #require(object["eddsa"] as? [String: Any])
        #expect((eddsa["public_key"] as? String)?.count == 64 && eddsa["key_file"] == nil)
        #expect(!result.stdout.contains("base64:"))

        let shown = try cli.run(["--json", "--show"])
        let shownObject = try #require(
            try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        #expect(shownObject["written"] as? Bool == false)
        let shownKeys = try #require(shownObject["keys"] as? [[String: Any]])
        #expect(shownKeys.allSatisfy { ($0["value"] as? String)?.hasPrefix("base64:") == true })
        #expect(((shownObject["eddsa"] as? [String: Any])?["key_file"] as? String)?.utf8.count == 193)
    }

    @Test func refusesWithoutForceAndInProduction() throws {
        let cli = try KeysCLI()
        defer { cli.remove() }
        #expect(try cli.run([]).status == 0)
        let before = try cli.env()
        let refused = try cli.run([])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--force") && refused.stderr.contains("APP_KEY"))
        #expect(try cli.env() == before)

        let production = try KeysCLI()
        defer { production.remove() }
        try production.writeEnv("APP_ENV=production\n")
        let declined = try production.run(["--no-eddsa"], input: "yes\n")
        #expect(declined.status != 0 && declined.stderr.contains("cancelled"), "no terminal: never a yes")
        #expect(try production.env() == "APP_ENV=production\n")
        // A yes is honoured in process: KeyGeneratorConfirmationTests.
        #expect(try production.run(["--no-eddsa", "--force"]).status == 0)
    }

    @Test func clearErrors() throws {
        let cli = try KeysCLI()
        defer { cli.remove() }
        let unknown = try cli.run(["--cipher", "aes-512-xyz"])
        #expect(unknown.status != 0 && unknown.stderr.contains("Unknown cipher"))

        try cli.writeEnv("A=1\nAPP_CIPHER=Sodium_Nope\n")
        let badConfig = try cli.run([])
        #expect(badConfig.status != 0 && badConfig.stderr.contains("line 2"), "\(badConfig.stderr)")
        let badEnvironment = try cli.run([], environment: ["APP_CIPHER": "rot13"])
        #expect(
            badEnvironment.status != 0 && badEnvironment.stderr.contains("process environment"),
            "\(badEnvironment.stderr)")

        try cli.writeEnv("A=1\n\nAPP_KEY=base64:!!not-base64!!\n")
        let malformed = try cli.run(["--force"])
        #expect(malformed.status != 0 && malformed.stderr.contains("APP_KEY on line 3"), "\(malformed.stderr)")
        #expect(!malformed.stderr.contains("not-base64"), "key text is never echoed")

        try cli.writeEnv("APP_KEY=base64:\(Data(repeating: 1, count: 16).base64EncodedString())\n")
        let wrongSize = try cli.run(["--force", "--no-eddsa"])
        #expect(wrongSize.status != 0 && wrongSize.stderr.contains("32-byte"), "\(wrongSize.stderr)")

        // A previous key Laravel would reject at boot (it decodes to nothing) is not carried along.
        try cli.writeEnv("APP_CIPHER=aes-256-cbc\nAPP_PREVIOUS_KEYS=base64:###\n")
        let badPrevious = try cli.run(["--force", "--no-eddsa"])
        #expect(
            badPrevious.status != 0 && badPrevious.stderr.contains("APP_PREVIOUS_KEYS on line 2"),
            "\(badPrevious.stderr)")

        try cli.writeEnv("A=1\n", mode: 0o444)
        let readOnly = try cli.run(["--no-eddsa"])
        #expect(readOnly.status != 0 && readOnly.stderr.contains("read-only"), "\(readOnly.stderr)")
        #expect(try cli.env() == "A=1\n")

        // An .env that cannot be read (here: a folder of that name).
        try FileManager.default.createDirectory(
            atPath: cli.directory.appendingPathComponent("folder.env").path, withIntermediateDirectories: true)
        let unreadable = try cli.run(["--env", "folder.env", "--no-eddsa"])
        #expect(unreadable.status != 0 && unreadable.stderr.contains("Cannot read"), "\(unreadable.stderr)")

        let missingFolder = try cli.run(["--env", "/nonexistent-folder/x/.env", "--no-eddsa"])
        #expect(missingFolder.status != 0 && missingFolder.stderr.contains("Cannot write"), "\(missingFolder.stderr)")

        let help = try cli.run(["--help"])
        #expect(help.status == 0 && help.stdout.contains("--force") && help.stdout.contains("Examples"))
    }
}
