import Foundation
import LaravelCryptoTestSupport
import Testing

@testable import LaravelCrypto

@Suite("Ed25519 key pairs and laravel-crypto's key file")
struct Ed25519KeyPairTests {
    /// Wycheproof `ed25519_test.json` through our verify: every valid signature accepted, every
    /// invalid one (malleability, wrong lengths, non-canonical encodings …) rejected.
    @Test func wycheproofVerification() throws {
        let file = try WycheproofFile<Ed25519Group>.load("ed25519_test.json")
        var valid = 0, invalid = 0
        for group in file.testGroups {
            let publicKey = try Ed25519PublicKey(hex: group.publicKey.pk)
            for test in group.tests {
                let verified = publicKey.isValidSignature([UInt8](hex: test.sig), for: [UInt8](hex: test.msg))
                if test.result == .valid {
                    #expect(verified, "tcId \(test.tcId)")
                    valid += 1
                } else {
                    #expect(!verified, "tcId \(test.tcId)")
                    invalid += 1
                }
            }
        }
        print("Wycheproof ed25519_test.json: \(valid) valid, \(invalid) invalid")
        #expect(valid == 88 && invalid == 63)
    }

    /// RFC 8032 §7.1 test 1, loaded from a key file built from its seed and public key.
    @Test func rfc8032SignatureFromAKeyFile() throws {
        let seed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
        let publicKey = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
        let pair = try Ed25519KeyPair(keyFileContents: publicKey + "\n" + seed + publicKey)
        #expect(pair.publicKey.bytes == [UInt8](hex: publicKey))
        #expect(pair.publicKey == (try Ed25519PublicKey(hex: publicKey.uppercased())))
        #expect(pair.publicKey.hex == publicKey)
        let signature = try pair.sign([])
        #expect(
            signature
                == [UInt8](
                    hex:
                        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
                ))
        #expect(pair.keyFileContents() == publicKey + "\n" + seed + publicKey)
        #expect(!"\(pair)".contains(seed), "description shows the public key only")
    }

    @Test func keyFilesRoundTripAndBadOnesAreRejected() throws {
        let pair = try Ed25519KeyPair.generate()
        let text = pair.keyFileContents()
        #expect(text.utf8.count == 193)
        let reread = try Ed25519KeyPair(keyFileContents: text)
        #expect(reread.publicKey == pair.publicKey)
        let message = Array("laravel-crypto".utf8)
        let signature = try reread.sign(message)
        #expect(pair.publicKey.isValidSignature(signature, for: message))
        var flipped = signature
        flipped[0] ^= 1
        #expect(!pair.publicKey.isValidSignature(flipped, for: message))
        #expect(!pair.publicKey.isValidSignature(signature.prefix(63), for: message))
        #expect(!(try Ed25519KeyPair.generate()).publicKey.isValidSignature(signature, for: message))

        let other = try Ed25519KeyPair.generate().keyFileContents()
        let bad = [
            text + "\n",  // 194 bytes
            text.replacingOccurrences(of: "\n", with: "\r\n"),  // CRLF breaks upstream's loader too
            String(text.prefix(65)) + String(other.suffix(128)),  // secret key of another pair
            String(text.prefix(64)) + "x" + String(text.suffix(128)),  // wrong separator
            String(repeating: "g", count: 64) + "\n" + String(text.suffix(128)),  // not hex
            "",
        ]
        for file in bad {
            #expect(throws: KeyError.self, "\(file.count)") { try Ed25519KeyPair(keyFileContents: file) }
        }
        // Uppercase hex is read (PHP's hex2bin accepts it).
        #expect(try Ed25519KeyPair(keyFileContents: text.uppercased()).publicKey == pair.publicKey)
    }

    @Test func publicKeysOfTheWrongShapeAreTypedErrors() throws {
        #expect(throws: SigningError.invalidPublicKey(reason: "it must be 32 bytes, not 31")) {
            try Ed25519PublicKey(bytes: [UInt8](repeating: 1, count: 31))
        }
        #expect(throws: SigningError.invalidPublicKey(reason: "it is not hex (3 characters)")) {
            try Ed25519PublicKey(hex: "abc")
        }
        #expect(throws: SigningError.self) { try Ed25519PublicKey(hex: String(repeating: "0", count: 66)) }
        let key = try Ed25519PublicKey(bytes: [UInt8](repeating: 7, count: 32))
        #expect("\(key)" == "Ed25519PublicKey(" + String(repeating: "07", count: 32) + ")")
        #expect(SigningError.invalidPublicKey(reason: "x").description == "The Ed25519 public key is invalid: x.")
    }
}
