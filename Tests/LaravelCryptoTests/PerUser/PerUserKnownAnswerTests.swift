import Testing

@testable import LaravelCrypto

/// The per-user vectors of the laravel-crypto spec §9.2 (computed there with PHP's sodium
/// functions, cross-checked with Python hashlib and argon2-cffi), byte for byte.
@Suite("Per-user known answers (spec §9.2)")
struct PerUserKnownAnswerTests {
    static let appKey = "base64:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
    static let userKey = (0..<32).map { UInt8(0x80 + $0) }
    static let nonce24 = (0..<24).map { UInt8(0x40 + $0) }

    func key() throws -> UserKey { try UserKey(bytes: Self.userKey) }

    @Test("token of U")
    func token() throws {
        #expect(try key().token == "gIGCg4SFhoeIiYqLjI2Oj5CRkpOUlZaXmJmam5ydnp8")
    }

    @Test("mode 2: wrapping key and blob for user \"1\"")
    func serverWrap() throws {
        let vault = try UserKeyVault(appKey: Self.appKey)
        #expect(
            Hex.encode(try vault.serverWrappingKey(userID: "1"))
                == "3ba5d3072ec2f5f132d65752bd7cad494ce11483ba993da05c6b7ae7121a1e68")
        let blob = try vault.wrap(key(), userID: "1", nonce: Self.nonce24)
        #expect(
            Hex.encode(blob)
                == "02404142434445464748494a4b4c4d4e4f5051525354555657c49b4d30595bc3591c4b80bb6851757eebf4da292d40127ea8027e38d2026a30b404480b9d6dc011191af2a272516d33"
        )
        #expect(try vault.unwrap(blob, userID: "1") == key())
    }

    @Test("mode 2 with a 16-byte app key: sodium_pad to 32")
    func serverWrapShortAppKey() throws {
        let vault = try UserKeyVault(appKey: "base64:AAECAwQFBgcICQoLDA0ODw==")
        #expect(
            Hex.encode(try vault.serverWrappingKey(userID: "1"))
                == "1e5c48fb179d230b116709f18eb73733b0edd2de27d8bc2546c094a7ceab4fe9")
    }

    @Test("mode 1: Argon2id wrapping key and blob")
    func passwordWrap() throws {
        let vault = try UserKeyVault(appKey: Self.appKey, cost: .interactive)
        let salt = (0..<16).map { UInt8(0x20 + $0) }
        #expect(
            Hex.encode(try vault.passwordWrappingKey("p@ssw0rd!", salt: salt))
                == "c9792db82705af129ff88f92c089f4cd5e9cfbf762b060ecd4d15fa8e64c9f63")
        let blob = try vault.wrap(key(), password: "p@ssw0rd!", salt: salt, nonce: Self.nonce24)
        #expect(
            Hex.encode(blob)
                == "01202122232425262728292a2b2c2d2e2f404142434445464748494a4b4c4d4e4f505152535455565745d74bf2b6f7eef6d695c07036a3ea060f674ae8ae96c090cac929a35b8a7419eaae0fe675770edbbcccb2da26c3f3a2"
        )
        #expect(try vault.unwrap(blob, password: "p@ssw0rd!") == key())
    }

    @Test("blind index, user key, column ssn, normalised and not")
    func blindIndexSSN() throws {
        let index = BlindIndex(userKey: try key())
        #expect(
            Hex.encode(try index.compute(" 123-45-6789 ", column: "ssn", normalise: true))
                == "2f73e5db269a0ebf3ff484fd12ffac56d5176a0258274acbf8195ad40b470ccd")
        #expect(
            Hex.encode(try index.compute(" 123-45-6789 ", column: "ssn", normalise: false))
                == "06dbdcd39b15cb8fb0bab2cf706e950d302bc8459ef51ac00439147d841238e2")
    }

    @Test("blind index with context, and global under K32")
    func blindIndexEmail() throws {
        #expect(
            Hex.encode(
                try BlindIndex(userKey: key()).compute("Alice@Example.com", column: "email", context: ["42", "work"]))
                == "06c56d348a6ab5d3d4e1585624ad5182727c8ac8b2dc9cc46f58783bdc6b9d02")
        #expect(
            Hex.encode(try BlindIndex(appKey: Self.appKey).compute("Alice@Example.com", column: "email"))
                == "1f6d92253e85d861d4830b6df5b080fe82c17c21666445e80576e9d33e78e6c0")
        // The same key in hex form (laravel-crypto's AppKeyLoader decodes hex) gives the same index.
        let hexKey = Hex.encode((0..<32).map { UInt8($0) })
        #expect(
            Hex.encode(try BlindIndex(appKey: hexKey).compute("Alice@Example.com", column: "email"))
                == "1f6d92253e85d861d4830b6df5b080fe82c17c21666445e80576e9d33e78e6c0")
    }

    @Test("sealed job key")
    func sealedJobKey() throws {
        let sealed = try SealedJobKey.seal(key(), appKey: Self.appKey, nonce: Self.nonce24)
        #expect(
            sealed == "QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXytaNKOVSodDdjYTsyn5ocsqW1/q+1D2tTtD76uQE1H5eptTH+dbJX3xMuFFlRB3L"
        )
        #expect(try SealedJobKey.unseal(sealed, appKey: Self.appKey) == key())
    }

    @Test("user value: Laravel's AES-256-CBC envelope under U")
    func userValue() throws {
        let encrypter = try #require(try key().makeEncrypter() as? LaravelEncrypter)
        let payload = try Array("123-45-6789".utf8).withUnsafeBytes {
            try encrypter.seal($0, iv: (0..<16).map { UInt8(0x60 + $0) })
        }
        #expect(
            payload
                == "eyJpdiI6IllHRmlZMlJsWm1kb2FXcHJiRzF1Ync9PSIsInZhbHVlIjoiZ1RPaUVURGVCSkpwQkdKc1dGQXVBQT09IiwibWFjIjoiZTM0YjM4NjU0MDFiMWE5NmZjMWU1M2U5YmI1ZWIwMDgzM2NhYzIwY2RmNDk0MTMzYjZiOWMzNjU2OGU5MDViMCIsInRhZyI6IiJ9"
        )
        #expect(try encrypter.decryptString(payload) == "123-45-6789")
    }

    struct Medical: Codable, Equatable {
        let blood_type: String
        let allergies: [String]
        let city: String
    }

    @Test("UserEncryptedJson plaintext: JSON_UNESCAPED_UNICODE, slashes escaped")
    func userJSON() throws {
        let value = Medical(blood_type: "O+", allergies: ["penicillin"], city: "Zürich/ZH")
        let raw = try PHPJSONEncoder(escapesUnicode: false).encode(value)
        #expect(
            String(decoding: raw, as: UTF8.self)
                == #"{"blood_type":"O+","allergies":["penicillin"],"city":"Zürich\/ZH"}"#)
        let escaped = try PHPJSONEncoder().encode(value)
        #expect(
            String(decoding: escaped, as: UTF8.self)
                == #"{"blood_type":"O+","allergies":["penicillin"],"city":"Z\u00fcrich\/ZH"}"#)
        let encrypter = try key().makeEncrypter()
        let payload = try encrypter.encryptJSON(value, escapingUnicode: false)
        #expect(try encrypter.decryptString(payload) == String(decoding: raw, as: UTF8.self))
        #expect(try encrypter.decryptJSON(payload, as: Medical.self) == value)
    }
}
