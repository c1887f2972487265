import LaravelCryptoTestSupport
import Testing

@testable import LaravelCrypto

/// Wycheproof through the OpenSSL layer behind Laravel's `aes-*` ciphers: every case of each file
/// is counted (valid, invalid, and sizes our layer must refuse), each with the exact outcome or
/// error expected.
@Suite("Wycheproof AES-CBC, AES-GCM and HMAC-SHA256 through OpenSSL")
struct WycheproofOpenSSLTests {
    struct Tally: Equatable, CustomStringConvertible {
        var valid = 0
        var invalid = 0
        var refused = 0

        var description: String { "\(valid) valid, \(invalid) invalid, \(refused) other sizes refused" }
    }

    /// The AES variant a Wycheproof key size maps to for `mode`, or `nil` for AES-192 (which
    /// Laravel does not have).
    static func variant(keyBits: Int, gcm: Bool) -> OpenSSLAES? {
        switch (keyBits, gcm) {
        case (128, false): .cbc128
        case (256, false): .cbc256
        case (128, true): .gcm128
        case (256, true): .gcm256
        default: nil
        }
    }

    /// Valid: decrypts and unpads to the message, and encrypting the padded message gives the
    /// ciphertext. Invalid (bad or missing padding; every one is whole blocks): decrypts, and the
    /// padding check alone rejects it. AES-192 keys: refused by key size.
    @Test func aesCBC() throws {
        let vectors = try WycheproofFile<CBCGroup>.load("aes_cbc_pkcs5_test.json")
        var tally = Tally()
        for group in vectors.testGroups {
            for test in group.tests {
                let key = [UInt8](hex: test.key), iv = [UInt8](hex: test.iv), msg = [UInt8](hex: test.msg),
                    ct = [UInt8](hex: test.ct)
                guard let aes = Self.variant(keyBits: group.keySize, gcm: false) else {
                    #expect(
                        throws: PrimitiveError.invalidLength(what: "key", expected: 32, actual: 24), "tcId \(test.tcId)"
                    ) {
                        try PreparedAESKey.prepared(.cbc256, key: key)
                    }
                    tally.refused += 1
                    continue
                }
                let prepared = try PreparedAESKey.prepared(aes, key: key)
                let decrypted = try prepared.cbc(encrypt: false, ct, iv: iv)
                switch test.result {
                case .valid:
                    #expect(PKCS7.unpadded(decrypted) == msg, "tcId \(test.tcId)")
                    #expect(try prepared.cbc(encrypt: true, PKCS7.padded(msg), iv: iv) == ct, "tcId \(test.tcId)")
                    tally.valid += 1
                case .invalid:
                    #expect(PKCS7.unpadded(decrypted) == nil, "tcId \(test.tcId)")
                    tally.invalid += 1
                case .acceptable:
                    Issue.record("tcId \(test.tcId): no acceptable case was expected in this file")
                }
            }
        }
        print("Wycheproof aes_cbc_pkcs5_test.json through OpenSSL: \(tally)")
        #expect(tally == Tally(valid: 48, invalid: 96, refused: 72))
    }

    /// Laravel's GCM: 96-bit IV, 128-bit tag, no associated data. Valid: seals to ciphertext and
    /// tag, and opens. Invalid: `authenticationFailed`, output wiped. Other IV sizes: refused with
    /// the IV's length; AES-192 keys: refused by key size. Cases with associated data are not
    /// Laravel's and are skipped (counted apart).
    @Test func aesGCM() throws {
        let vectors = try WycheproofFile<AEADGroup>.load("aes_gcm_test.json")
        var tally = Tally(), withAssociatedData = 0
        for group in vectors.testGroups {
            for test in group.tests {
                guard test.aad.isEmpty else {
                    withAssociatedData += 1
                    continue
                }
                let key = [UInt8](hex: test.key), iv = [UInt8](hex: test.iv), msg = [UInt8](hex: test.msg)
                let ct = [UInt8](hex: test.ct), tag = [UInt8](hex: test.tag)
                var output: [UInt8] = []
                guard let aes = Self.variant(keyBits: group.keySize, gcm: true) else {
                    #expect(
                        throws: PrimitiveError.invalidLength(what: "key", expected: 32, actual: 24), "tcId \(test.tcId)"
                    ) {
                        try PreparedAESKey.prepared(.gcm256, key: key)
                    }
                    tally.refused += 1
                    continue
                }
                let prepared = try PreparedAESKey.prepared(aes, key: key)
                guard group.ivSize == 96 else {
                    #expect(
                        throws: PrimitiveError.invalidLength(what: "iv", expected: 12, actual: iv.count),
                        "tcId \(test.tcId)"
                    ) {
                        try prepared.gcmOpen(ct, tag: tag, iv: iv, output: &output)
                    }
                    tally.refused += 1
                    continue
                }
                switch test.result {
                case .valid:
                    try prepared.gcmOpen(ct, tag: tag, iv: iv, output: &output)
                    #expect(output == msg, "tcId \(test.tcId)")
                    #expect(try prepared.gcmSeal(msg, iv: iv) == ct + tag, "tcId \(test.tcId)")
                    tally.valid += 1
                case .invalid:
                    #expect(throws: PrimitiveError.authenticationFailed, "tcId \(test.tcId)") {
                        try prepared.gcmOpen(ct, tag: tag, iv: iv, output: &output)
                    }
                    #expect(output.allSatisfy { $0 == 0 }, "tcId \(test.tcId): output wiped")
                    tally.invalid += 1
                case .acceptable:
                    Issue.record("tcId \(test.tcId): no acceptable case was expected in this file")
                }
            }
        }
        print(
            "Wycheproof aes_gcm_test.json through OpenSSL: \(tally); \(withAssociatedData) with associated data skipped"
        )
        #expect(tally == Tally(valid: 43, invalid: 54, refused: 165))
        #expect(withAssociatedData == 54)
    }

    /// HMAC-SHA256 through the prepared key's two-part call (the message split in two, so both
    /// parts are exercised): full tags compared in constant time, truncated tags against the prefix.
    @Test func hmacSHA256() throws {
        let vectors = try WycheproofFile<MACGroup>.load("hmac_sha256_test.json")
        var tally = Tally()
        for group in vectors.testGroups {
            for test in group.tests {
                let key = [UInt8](hex: test.key), msg = [UInt8](hex: test.msg), tag = [UInt8](hex: test.tag)
                let half = msg.count / 2
                let mac = try #require(
                    key.withUnsafeBytes { OpenSSLHMAC.PreparedKey($0) }.sha256(Array(msg[..<half]), Array(msg[half...]))
                )
                let matches =
                    group.tagSize == 256
                    ? mac.withUnsafeBytes { m in tag.withUnsafeBytes { SodiumMemory.constantTimeEquals(m, $0) } }
                    : Array(mac.prefix(group.tagSize / 8)) == tag
                switch test.result {
                case .valid:
                    #expect(matches, "tcId \(test.tcId)")
                    tally.valid += 1
                case .invalid:
                    #expect(!matches, "tcId \(test.tcId)")
                    tally.invalid += 1
                case .acceptable:
                    Issue.record("tcId \(test.tcId): no acceptable case was expected in this file")
                }
            }
        }
        print("Wycheproof hmac_sha256_test.json through OpenSSL: \(tally)")
        #expect(tally == Tally(valid: 66, invalid: 108))
    }
}
