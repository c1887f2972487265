import Foundation
import LaravelCrypto
import LaravelCryptoTestSupport
import Testing

/// Payloads cross between this package and real PHP (laravel-crypto's format with PHP's sodium
/// extension; Laravel's own `Illuminate\Encryption\Encrypter` for `aes-*`) in both directions,
/// and between this package and the independent libaegis for AEGIS.
@Suite("Interop with PHP and libaegis")
struct InteropTests {
    struct Sample: Codable, Equatable {
        let id: Int
        let name: String
        let admin: Bool
        let score: Double
        let tags: [String]
    }

    static let sample = Sample(id: 7, name: "Zoë / \"quoted\"", admin: true, score: 0.1, tags: ["a", "ü", ""])
    static func sampleJSON() -> [String: Any] {
        ["id": 7, "name": "Zoë / \"quoted\"", "admin": true, "score": 0.1, "tags": ["a", "ü", ""]]
    }

    static func strings() -> [[UInt8]] {
        var rng = SystemRandomNumberGenerator()
        let mib = (0..<(1 << 20)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        return [[], Array("hello world".utf8), Array("Zoë 😀 ünïcode — ∑".utf8), mib]
    }

    /// Round trips every plaintext both ways through `peer` for `cipher`; with `serialized`, also
    /// PHP `serialize()` values.
    func exercise(_ peer: Peer, cipher: Cipher, serialized: Bool) throws {
        let key = try EncryptionKey.generate(for: cipher)
        let rawKey = key.withUnsafeBytes { Array($0) }
        let encrypter = try cipher.makeEncrypter(keyRing: KeyRing(current: key))
        let plaintexts = Self.strings()

        // Peer encrypts, we decrypt.
        var items: [[String: Any]] = plaintexts.map { ["op": "encrypt", "data": Data($0).base64EncodedString()] }
        if serialized {
            items += [Self.sampleJSON(), 42, 0.1, true, "text", [1, 2, 3], NSNull()].map {
                ["op": "encrypt", "value": $0]
            }
        }
        let payloads = try peer.call(cipher: cipher.rawValue, key: rawKey, items: items)
        for (index, plaintext) in plaintexts.enumerated() {
            let payload = try #require(payloads[index] as? String, "\(payloads[index])")
            #expect(try encrypter.decryptBytes(payload) == plaintext, "\(cipher) peer→swift #\(index)")
            if plaintext.count < 100 {
                #expect(try encrypter.decryptString(payload) == String(decoding: plaintext, as: UTF8.self))
            }
        }
        if serialized {
            let base = plaintexts.count
            #expect(try encrypter.decrypt(try #require(payloads[base] as? String), as: Sample.self) == Self.sample)
            #expect(try encrypter.decrypt(try #require(payloads[base + 1] as? String), as: Int.self) == 42)
            #expect(try encrypter.decrypt(try #require(payloads[base + 2] as? String), as: Double.self) == 0.1)
            #expect(try encrypter.decrypt(try #require(payloads[base + 3] as? String), as: Bool.self) == true)
            #expect(try encrypter.decrypt(try #require(payloads[base + 4] as? String), as: String.self) == "text")
            #expect(try encrypter.decrypt(try #require(payloads[base + 5] as? String), as: [Int].self) == [1, 2, 3])
            #expect(try encrypter.decrypt(try #require(payloads[base + 6] as? String), as: String?.self) == nil)
        }

        // We encrypt, the peer decrypts.
        var ours: [[String: Any]] = try plaintexts.map {
            ["op": "decrypt", "payload": try encrypter.encryptBytes($0), "serialized": false]
        }
        ours.append(["op": "decrypt", "payload": try encrypter.encryptString("Zoë 😀"), "serialized": false])
        if serialized {
            ours.append(["op": "decrypt", "payload": try encrypter.encrypt(Self.sample), "serialized": true])
            ours.append(["op": "decrypt", "payload": try encrypter.encrypt([1.5, -0.0, 1e100]), "serialized": true])
        }
        let answers = try peer.call(cipher: cipher.rawValue, key: rawKey, items: ours)
        for (index, plaintext) in (plaintexts + [Array("Zoë 😀".utf8)]).enumerated() {
            let answer = try #require(answers[index] as? [String: Any], "\(answers[index])")
            let data = try #require(answer["data"] as? String, "\(cipher) swift→peer #\(index): \(answer)")
            #expect(Data(base64Encoded: data) == Data(plaintext), "\(cipher) swift→peer #\(index)")
        }
        if serialized {
            let value = try #require((answers[plaintexts.count + 1] as? [String: Any])?["value"] as? [String: Any])
            let roundTripped = try JSONDecoder().decode(
                Sample.self, from: try JSONSerialization.data(withJSONObject: value))
            #expect(roundTripped == Self.sample)
            let floats = try #require((answers[plaintexts.count + 2] as? [String: Any])?["value"] as? [Double])
            #expect(floats == [1.5, -0.0, 1e100])
        }
        print("Interop \(cipher.rawValue) with \(peer.executable): \(items.count) peer→swift, \(ours.count) swift→peer")
    }

    @Test(
        "laravel-crypto format with PHP's sodium extension",
        arguments: [Cipher.aes256GCM, .xChaCha20Poly1305, .secretBox])
    func sodiumCiphersWithPHP(cipher: Cipher) throws {
        guard peerIsUsable(.php, requirement: "PHP") else { return }
        if cipher == .aes256GCM, let reason = cipher.unavailabilityReason {
            print("⚠️  SKIPPING \(cipher.rawValue): \(reason)")
            return
        }
        try exercise(.php, cipher: cipher, serialized: true)
    }

    @Test(
        "Laravel's own Encrypter (Debian php-illuminate-encryption)",
        arguments: [Cipher.laravelAES128CBC, .laravelAES256CBC, .laravelAES128GCM, .laravelAES256GCM])
    func laravelCiphersWithRealLaravel(cipher: Cipher) throws {
        guard peerIsUsable(.php, requirement: "PHP") else { return }
        try exercise(.php, cipher: cipher, serialized: true)
    }

    @Test("AEGIS with the independent libaegis", arguments: [Cipher.aegis256, .aegis128L])
    func aegisWithLibaegis(cipher: Cipher) throws {
        guard peerIsUsable(.aegis, requirement: "AEGIS") else { return }
        if let reason = cipher.unavailabilityReason {
            #expect(ProcessInfo.processInfo.environment["REQUIRE_AEGIS"] != "1", "\(reason)")
            return
        }
        try exercise(.aegis, cipher: cipher, serialized: false)
    }
}
