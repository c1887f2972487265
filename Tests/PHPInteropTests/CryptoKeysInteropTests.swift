import Foundation
import LaravelCrypto
import LaravelCryptoTestSupport
import Testing

/// What `crypto-keys` writes is what laravel-crypto's PHP side reads: PHP's sodium extension signs
/// and verifies with the generated Ed25519 key file, and encrypts under the generated APP_KEY.
@Suite("crypto-keys output read by PHP")
struct CryptoKeysInteropTests {
    @Test func phpSignsVerifiesAndEncryptsWithGeneratedKeys() throws {
        guard peerIsUsable(.php, requirement: "PHP") else { return }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "crypto-keys-php-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let envURL = directory.appendingPathComponent(".env")
        try Data("APP_CIPHER=Sodium_XChaCha20Poly1305\n".utf8).write(to: envURL)

        let run = try ProcessRunner.run(ProcessRunner.builtExecutable(named: "crypto-keys"), ["--env", envURL.path])
        #expect(run.status == 0, "\(run.stderr)")

        let keyFile = directory.appendingPathComponent("storage/keys/eddsa.key")
        let pair = try Ed25519KeyPair(keyFileContents: try String(contentsOf: keyFile, encoding: .utf8))
        let message = "signed by both sides ✓"
        let ours = try pair.sign(Array(message.utf8))
        let env = DotEnv.parse(try String(contentsOf: envURL, encoding: .utf8))
        let keys = ["APP_KEY", "CRYPTO_FILE_ENCRYPTION_KEY", "CRYPTO_BLAKE2B_HASHING_KEY", "CRYPTO_HMAC_KEY"]
        let request: [String: Any] = [
            "key_file": keyFile.path, "env": env.filter { keys.contains($0.key) }, "message": message,
            "signature": ours.map { String(format: "%02x", $0) }.joined(),
        ]
        let script = Repository.root.appendingPathComponent("Fixtures/php/keys.php").path
        let result = try ProcessRunner.run(
            command: "php", [script], input: try JSONSerialization.data(withJSONObject: request))
        #expect(result.status == 0, "\(String(decoding: result.errors, as: UTF8.self))")
        let answer = try #require(try JSONSerialization.jsonObject(with: result.output) as? [String: Any])
        #expect(answer["verifies_swift"] as? Bool == true, "PHP verifies Swift's signature")
        let theirs = try #require(answer["signature"] as? String)
        #expect(
            pair.publicKey.isValidSignature([UInt8](hexString: theirs), for: Array(message.utf8)),
            "Swift verifies PHP's")
        #expect(answer["public_key"] as? String == pair.publicKey.hex)
        #expect(answer["key_sizes"] as? [String: Int] == Dictionary(uniqueKeysWithValues: keys.map { ($0, 32) }))
        let payload = try #require(answer["payload"] as? String)
        let encrypter = try AppConfiguration(variables: env).makeEncrypter()
        #expect(try encrypter.decryptString(payload) == message)
    }
}

extension Array where Element == UInt8 {
    init(hexString: String) {
        var bytes: [UInt8] = []
        var iterator = hexString.utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            bytes.append(UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) ?? 0)
        }
        self = bytes
    }
}
