import LaravelCryptoTestSupport
import Testing

@testable import LaravelCrypto

/// Every Wycheproof vector that fits libsodium's parameters, through our primitive layer.
@Suite("Wycheproof AEAD vectors")
struct WycheproofAEADTests {
    struct Tally {
        var valid = 0
        var invalid = 0
        var notApplicable = 0
    }

    /// Runs one file: valid → exact ciphertext and tag, and decrypts; invalid → rejected.
    func run(_ file: String, _ algorithm: SodiumAEAD, keyBits: Int, ivBits: Int) throws -> Tally {
        let vectors = try WycheproofFile<AEADGroup>.load(file)
        var tally = Tally()
        for group in vectors.testGroups {
            for test in group.tests {
                let key = [UInt8](hex: test.key), nonce = [UInt8](hex: test.iv), ad = [UInt8](hex: test.aad)
                let msg = [UInt8](hex: test.msg), ct = [UInt8](hex: test.ct), tag = [UInt8](hex: test.tag)
                guard group.keySize == keyBits, group.ivSize == ivBits else {
                    // Other sizes are not this cipher: our layer must refuse them rather than misuse them.
                    #expect(throws: PrimitiveError.self, "tcId \(test.tcId)") {
                        try algorithm.open(ct + tag, ad: ad, nonce: nonce, key: key)
                    }
                    tally.notApplicable += 1
                    continue
                }
                if test.result == .valid {
                    let sealed = try algorithm.seal(msg, ad: ad, nonce: nonce, key: key)
                    #expect(sealed == ct + tag, "tcId \(test.tcId): \(test.comment)")
                    #expect(try algorithm.open(ct + tag, ad: ad, nonce: nonce, key: key) == msg, "tcId \(test.tcId)")
                    tally.valid += 1
                } else {
                    #expect(throws: PrimitiveError.authenticationFailed, "tcId \(test.tcId): \(test.comment)") {
                        try algorithm.open(ct + tag, ad: ad, nonce: nonce, key: key)
                    }
                    tally.invalid += 1
                }
            }
        }
        print(
            "Wycheproof \(file): \(tally.valid) valid, \(tally.invalid) invalid, \(tally.notApplicable) other sizes "
                + "refused"
        )
        return tally
    }

    @Test func aes256GCM() throws {
        try #require(SodiumAEAD.aes256GCM.unavailabilityReason == nil, "no hardware AES on this CPU")
        let tally = try run("aes_gcm_test.json", .aes256GCM, keyBits: 256, ivBits: 96)
        #expect(tally.valid == 39 && tally.invalid == 27)
    }

    @Test func xChaCha20Poly1305() throws {
        let tally = try run("xchacha20_poly1305_test.json", .xChaCha20Poly1305, keyBits: 256, ivBits: 192)
        #expect(tally.valid == 246 && tally.invalid == 60)
    }

    /// Wycheproof's AEGIS files carry 128-bit tags; libsodium (and laravel-crypto) use only the
    /// 256-bit tag, whose ciphertext is the same. So: the ciphertext of every valid vector must
    /// match byte for byte and decrypt again under our 256-bit tag; every invalid vector's bytes
    /// must be rejected. The 256-bit tags themselves are checked against the CFRG-derived known
    /// answers (``KnownAnswerTests``) and the independent libaegis (PHP interop suite).
    func runAEGIS(_ file: String, _ algorithm: SodiumAEAD) throws -> Tally {
        let vectors = try WycheproofFile<AEADGroup>.load(file)
        var tally = Tally()
        for group in vectors.testGroups {
            for test in group.tests {
                let key = [UInt8](hex: test.key), nonce = [UInt8](hex: test.iv), ad = [UInt8](hex: test.aad)
                let msg = [UInt8](hex: test.msg), ct = [UInt8](hex: test.ct), tag = [UInt8](hex: test.tag)
                if test.result == .valid {
                    let sealed = try algorithm.seal(msg, ad: ad, nonce: nonce, key: key)
                    #expect(Array(sealed.prefix(ct.count)) == ct, "tcId \(test.tcId): \(test.comment)")
                    #expect(try algorithm.open(sealed, ad: ad, nonce: nonce, key: key) == msg, "tcId \(test.tcId)")
                    tally.valid += 1
                } else {
                    let presented = ct + tag + [UInt8](repeating: 0, count: algorithm.tagByteCount - tag.count)
                    #expect(throws: PrimitiveError.authenticationFailed, "tcId \(test.tcId): \(test.comment)") {
                        try algorithm.open(presented, ad: ad, nonce: nonce, key: key)
                    }
                    tally.invalid += 1
                }
            }
        }
        print("Wycheproof \(file): \(tally.valid) valid (ciphertext exact), \(tally.invalid) invalid rejected")
        return tally
    }

    @Test func aegis256() throws {
        guard Sodium.hasAEGIS else {
            #expect(!isRequired("AEGIS"), "AEGIS is required here but libsodium \(Sodium.versionString) lacks it")
            return
        }
        let tally = try runAEGIS("aegis256_test.json", .aegis256)
        #expect(tally.valid == 360 && tally.invalid == 112)
    }

    @Test func aegis128L() throws {
        guard Sodium.hasAEGIS else {
            #expect(!isRequired("AEGIS"), "AEGIS is required here but libsodium \(Sodium.versionString) lacks it")
            return
        }
        let tally = try runAEGIS("aegis128L_test.json", .aegis128L)
        #expect(tally.valid == 367 && tally.invalid == 112)
    }
}
