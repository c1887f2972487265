import Foundation
import LaravelCryptoTestSupport
import Testing

@testable import LaravelCrypto

/// Hashers and signers against the laravel-crypto spec §9.2 vectors (computed with PHP) and
/// Wycheproof, through the public types.
@Suite("Hashing and signing")
struct HashingSigningTests {
    static let hello = Array("hello world".utf8)
    static let testData = Array("test data".utf8)
    static let literalKey = "base64:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
    static let hmacKey = "base64:" + Data(repeating: UInt8(ascii: "k"), count: 32).base64EncodedString()

    @Test("§9.2 hashes of \"hello world\"")
    func hashes() throws {
        #expect(try BLAKE2bHasher(key: nil).hash(Self.hello) == "JWyDspcRTSAbMBefPw7wys6Xg2ItpZdDJrQ2F4ru9hA")
        let compatible = try BLAKE2bHasher(laravelCryptoKeyText: Self.literalKey)
        #expect(compatible.hash(Self.hello) == "uguL7Gov2XOckHrnVnHSxYZn57GpSj2ObkaNF214IYU")
        let decoded = try BLAKE2bHasher(key: (0..<32).map { UInt8($0) })
        #expect(decoded.hash(Self.hello) == "4oTlrp6e40d3SZyIbEL84EZqgTt-J43IBttXvP4iVfE")
        #expect(
            SHA512_256Hasher().hash(Self.hello) == "0ac561fac838104e3f2e4ad107b4bee3e938bf15f2b15f009ccccd61a913f017")
        #expect(
            SHA512Hasher().hash(Self.hello)
                == "309ecc489c12d6eb4cc40f50c902f2b4d0ed77ee511a7c7a9bcd3ca86d4cd86f989dd35bc5ff499670da34255b45b0cfd830e81f605dcf7dc5542e93ae9cd76f"
        )
        #expect(compatible.verify("uguL7Gov2XOckHrnVnHSxYZn57GpSj2ObkaNF214IYU", for: Self.hello))
        #expect(!compatible.verify("uguL7Gov2XOckHrnVnHSxYZn57GpSj2ObkaNF214IYU=", for: Self.hello))
        let hex = SHA512_256Hasher().hash(Self.hello)
        #expect(SHA512_256Hasher().verify(hex, for: Self.hello))
        #expect(!SHA512_256Hasher().verify(hex.uppercased(), for: Self.hello))  // as upstream: the text is compared
        #expect(SHA512Hasher().verifyRaw(SHA512Hasher().hashRaw(Self.hello), for: Self.hello))
        #expect(!SHA512Hasher().verifyRaw([], for: Self.hello))
        #expect(try BLAKE2bHasher(key: nil, outputLength: 64).hashRaw(Self.hello).count == 64)
    }

    @Test("hasher limits are typed errors")
    func limits() {
        #expect(throws: HashingError.self) { try BLAKE2bHasher(key: [UInt8](repeating: 1, count: 15)) }
        #expect(throws: HashingError.self) { try BLAKE2bHasher(key: [UInt8](repeating: 1, count: 65)) }
        #expect(throws: HashingError.self) { try BLAKE2bHasher(key: nil, outputLength: 15) }
        #expect(throws: HashingError.self) { try BLAKE2bHasher(key: nil, outputLength: 65) }
        #expect(throws: HashingError.self) { try HMACSigner(.sha512_256, key: "base64:AAAA") }
        #expect(throws: HashingError.self) { try HMACSigner(.blake2b(outputSize: 8), key: Self.hmacKey) }
        #expect(throws: HashingError.self) { try HMACSigner(.sha512, key: "not hex") }
    }

    @Test("file hashes equal the in-memory hashes")
    func files() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lc-hash-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var rng = SplitMix64(seed: 9)
        let bytes = (0..<200_001).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        #expect(try BLAKE2bHasher(key: nil).hashFile(atPath: path) == BLAKE2bHasher(key: nil).hash(bytes))
        #expect(try SHA512Hasher().hashFile(atPath: path) == SHA512Hasher().hash(bytes))
        #expect(try SHA512_256Hasher().hashFile(atPath: path) == SHA512_256Hasher().hash(bytes))
        #expect(throws: FileEncryptionError.self) { try SHA512Hasher().hashFile(atPath: path + ".missing") }
        #expect(throws: FileEncryptionError.self) { try SHA512Hasher().hashFile(atPath: "/tmp") }
    }

    @Test("§9.2 signatures of \"test data\" with the key 'k' × 32")
    func signatures() throws {
        let blake = try HMACSigner(.blake2b(outputSize: 32), key: Self.hmacKey)
        #expect(blake.sign(Self.testData) == "tw0TgBhYQs36FZJSWa6qJ81wbSVgNVC-SJ8LDNy6LgY")
        let auth = try HMACSigner(.sha512_256, key: Self.hmacKey)
        #expect(auth.sign(Self.testData) == "O-M-Fcv2HvkJw2i_v6GQhR0j4L60f3FVNv8lG0H9HPM")
        let sha512 = try HMACSigner(.sha512, key: Self.hmacKey)
        #expect(
            sha512.sign(Self.testData)
                == "O-M-Fcv2HvkJw2i_v6GQhR0j4L60f3FVNv8lG0H9HPOGR3vJx1s6c-jZBWJ10O834BjBFYnFg0iktYSuy1q9bA")
        for signer in [blake, auth, sha512] {
            let signature = signer.sign(Self.testData)
            #expect(signer.verify(signature, for: Self.testData))
            #expect(!signer.verify(signature, for: Array("test datA".utf8)))
            // The strict libsodium decoder, as upstream: padding or the standard alphabet is refused (false, not a
            // throw).
            #expect(!signer.verify(signature + "=", for: Self.testData))
            #expect(
                !signer.verify(String(signature.map { $0 == "-" ? "+" : $0 == "_" ? "/" : $0 }), for: Self.testData))
            #expect(!signer.verify(String(signature.dropLast(4)), for: Self.testData))
            #expect(!signer.verify("", for: Self.testData))
        }
    }

    @Test("§9.2 Ed25519 signature from seed K32, padded and standard forms accepted")
    func ed25519() throws {
        let seed = (0..<32).map { UInt8($0) }
        let publicKey = "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8"
        let keyFile = publicKey + "\n" + Hex.encode(seed) + publicKey
        let signer = try Ed25519Signer(keyFileContents: keyFile)
        let expected = "JDH2O5W73FxfonQxDxJZ8GHkIZWeHJyxztypR7oo5EXwc6LJYg1BneQDf5uCOtWQza3vkDLkntN7k7K3xp8QDw"
        #expect(signer.sign(Self.testData) == expected)
        #expect(signer.verify(expected, for: Self.testData))
        #expect(signer.verify(expected + "==", for: Self.testData))
        #expect(signer.verify(String(expected.map { $0 == "-" ? "+" : $0 == "_" ? "/" : $0 }), for: Self.testData))
        #expect(!signer.verify(expected, for: Self.hello))
        #expect(!signer.verify(String(expected.dropLast(4)), for: Self.testData))
    }

    /// Wycheproof `hmac_sha512_test.json` through ``HMACSigner`` (`.sha512`): full-size tags through
    /// `verifyRaw`, truncated tags against the prefix of `signRaw`.
    @Test func wycheproofHMACSHA512() throws {
        let file = try WycheproofFile<MACGroup>.load("hmac_sha512_test.json")
        var valid = 0, invalid = 0
        for group in file.testGroups {
            for test in group.tests {
                let signer = try HMACSigner(.sha512, keyBytes: EncryptionKey(bytes: [UInt8](hex: test.key)))
                let message = [UInt8](hex: test.msg), tag = [UInt8](hex: test.tag)
                let accepted =
                    group.tagSize == 512
                    ? signer.verifyRaw(tag, for: message)
                    : Array(signer.signRaw(message).prefix(group.tagSize / 8)) == tag
                if test.result == .valid {
                    #expect(accepted, "tcId \(test.tcId)")
                    valid += 1
                } else {
                    #expect(!accepted, "tcId \(test.tcId)")
                    invalid += 1
                }
            }
        }
        print("Wycheproof hmac_sha512_test.json through HMACSigner: \(valid) valid, \(invalid) invalid")
        #expect(valid == 66 && invalid == 108)
    }

    /// Wycheproof `ed25519_test.json` through ``Ed25519Signer``'s text verify (base64url of each signature).
    @Test func wycheproofEd25519() throws {
        let file = try WycheproofFile<Ed25519Group>.load("ed25519_test.json")
        var valid = 0, invalid = 0
        for group in file.testGroups {
            for test in group.tests {
                let text = [UInt8](hex: test.sig).withUnsafeBytes { Base64.encode($0, alphabet: .url, padded: false) }
                let accepted = Ed25519Signer.verify(
                    text, for: [UInt8](hex: test.msg), publicKey: try Ed25519PublicKey(hex: group.publicKey.pk))
                if test.result == .valid {
                    #expect(accepted, "tcId \(test.tcId)")
                    valid += 1
                } else {
                    #expect(!accepted, "tcId \(test.tcId)")
                    invalid += 1
                }
            }
        }
        #expect(valid == 88 && invalid == 63)
    }
}
