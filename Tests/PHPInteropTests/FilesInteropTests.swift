import Foundation
import LaravelCrypto
import LaravelCryptoTestSupport
import Testing

/// Files, hashes and signatures against real PHP, both ways (`Fixtures/php/files.php`: PHP 8.2's
/// sodium, hash and openssl functions following laravel-crypto's drivers, hashers and signers).
@Suite("File, hashing and signing interop with PHP")
struct FilesInteropTests {
    static let script = Repository.root.appendingPathComponent("Fixtures/php/files.php").path
    static let sizes = [0, 1, 8191, 8192, 8193, 24576, 102_400]

    static func php(_ items: [[String: Any]]) throws -> [Any] {
        let result = try ProcessRunner.run(
            command: "php", [script], input: try JSONSerialization.data(withJSONObject: ["items": items]))
        guard result.status == 0, let answer = try JSONSerialization.jsonObject(with: result.output) as? [String: Any],
            let results = answer["results"] as? [Any], results.count == items.count
        else {
            throw Peer.PeerError(
                message: "php failed (\(result.status)): \(String(decoding: result.errors, as: UTF8.self))")
        }
        return results
    }

    static func bytes(_ any: Any) throws -> [UInt8] {
        let text = try #require(any as? String, "PHP answered \(any)")
        return [UInt8](try #require(Data(base64Encoded: text)))
    }

    func roundTrip(_ driver: FileEncrypter.Driver, name: String, keyBytes: [UInt8]) throws {
        let key = "base64:" + Data(keyBytes).base64EncodedString()
        let files = try FileEncrypter(driver: driver, key: key)
        var rng = SystemRandomNumberGenerator()
        let plaintexts = Self.sizes.map { size in (0..<size).map { _ in UInt8.random(in: 0...255, using: &rng) } }
        var ours: [[UInt8]] = []
        for plaintext in plaintexts {
            let stream = try files.makeEncryptionStream()
            ours.append(try stream.update(plaintext) + stream.finish())
        }
        let items: [[String: Any]] =
            plaintexts.map {
                [
                    "op": "encrypt", "driver": name, "key": Data(keyBytes).base64EncodedString(),
                    "data": Data($0).base64EncodedString(),
                ]
            }
            + ours.map {
                [
                    "op": "decrypt", "driver": name, "key": Data(keyBytes).base64EncodedString(),
                    "data": Data($0).base64EncodedString(),
                ]
            }
        let results = try Self.php(items)
        for (index, plaintext) in plaintexts.enumerated() {
            let theirs = try Self.bytes(results[index])
            #expect(
                theirs.count == ours[index].count,
                "\(name) size \(plaintext.count): PHP \(theirs.count) bytes, Swift \(ours[index].count)")
            let stream = try files.makeDecryptionStream()
            #expect(
                try stream.update(theirs) + stream.finish() == plaintext,
                "\(name) PHP → Swift, \(plaintext.count) bytes")
            #expect(
                try Self.bytes(results[plaintexts.count + index]) == plaintext,
                "\(name) Swift → PHP, \(plaintext.count) bytes")
        }
    }

    @Test("every file driver both ways at 0, 1, 8191, 8192, 8193, 24576 and 100 KiB")
    func fileDrivers() throws {
        guard peerIsUsable(.php, requirement: "PHP") else { return }
        let key32 = (0..<32).map { UInt8($0 * 3) }, key16 = Array(key32.prefix(16))
        try roundTrip(.secretStream, name: "secretstream", keyBytes: key32)
        try roundTrip(.xsalsaHMAC, name: "xsalsa", keyBytes: key32)
        var natives: [Cipher] = [
            .xChaCha20Poly1305, .secretBox, .laravelAES128GCM, .laravelAES256GCM, .laravelAES128CBC, .laravelAES256CBC,
        ]
        if Cipher.aes256GCM.unavailabilityReason == nil { natives.append(.aes256GCM) }
        for cipher in natives {
            try roundTrip(.native(cipher), name: cipher.rawValue, keyBytes: cipher.keyByteCount == 16 ? key16 : key32)
        }
    }

    @Test("hashes and signatures equal PHP's for the same keys and messages")
    func hashesAndSignatures() throws {
        guard peerIsUsable(.php, requirement: "PHP") else { return }
        let blakeKeyText = "base64:" + Data((0..<32).map { UInt8(200 - $0) }).base64EncodedString()
        let hmacKey = (0..<32).map { UInt8($0 ^ 0x5c) }
        let keyPair = try Ed25519KeyPair.generate()
        let secretKey = Array(keyPair.keyFileContents().utf8.dropFirst(65))
        let secretKeyBytes = [UInt8](hexString: String(decoding: secretKey, as: UTF8.self))
        let messages: [[UInt8]] = [
            [], Array("test data".utf8), (0..<100_000).map { UInt8(truncatingIfNeeded: $0 * 7) },
        ]
        var items: [[String: Any]] = []
        for message in messages {
            let data = Data(message).base64EncodedString()
            items.append(["op": "hash", "data": data, "blakeKey": blakeKeyText])
            items.append([
                "op": "sign", "data": data, "key": Data(hmacKey).base64EncodedString(),
                "secretKey": Data(secretKeyBytes).base64EncodedString(),
            ])
        }
        let signer = Ed25519Signer(keyPair: keyPair)
        items.append([
            "op": "verify_eddsa", "data": Data(messages[1]).base64EncodedString(),
            "signature": signer.sign(messages[1]),
            "publicKey": Data(keyPair.publicKey.bytes).base64EncodedString(),
        ])
        let results = try Self.php(items)
        let hmacKeyText = "base64:" + Data(hmacKey).base64EncodedString()
        for (index, message) in messages.enumerated() {
            let hashes = try #require(results[2 * index] as? [String: String])
            #expect(try BLAKE2bHasher(laravelCryptoKeyText: blakeKeyText).hash(message) == hashes["blake2b"])
            #expect(SHA512_256Hasher().hash(message) == hashes["sha256"])
            #expect(SHA512Hasher().hash(message) == hashes["sha512"])
            let signatures = try #require(results[2 * index + 1] as? [String: String])
            #expect(try HMACSigner(.blake2b(outputSize: 32), key: hmacKeyText).sign(message) == signatures["blake2b"])
            #expect(try HMACSigner(.sha512_256, key: hmacKeyText).sign(message) == signatures["hmac256"])
            #expect(try HMACSigner(.sha512, key: hmacKeyText).sign(message) == signatures["hmac512"])
            #expect(signer.sign(message) == signatures["eddsa"])
            #expect(signer.verify(try #require(signatures["eddsa"]), for: message))
        }
        #expect(results.last as? Bool == true)
    }
}
