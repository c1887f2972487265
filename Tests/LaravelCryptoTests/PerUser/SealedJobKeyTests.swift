import Testing

@testable import LaravelCrypto

@Suite("Sealed job keys")
struct SealedJobKeyTests {
    static let appKey = "base64:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
    static let vector =
        "QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXytaNKOVSodDdjYTsyn5ocsqW1/q+1D2tTtD76uQE1H5eptTH+dbJX3xMuFFlRB3L"

    @Test("every truncation and bit flip of the sealed bytes is a typed error")
    func damage() throws {
        let bytes = try Base64.decode(Self.vector, mode: .phpStrict)
        for length in 0..<bytes.count {
            let text = Array(bytes.prefix(length)).withUnsafeBytes {
                Base64.encode($0, alphabet: .standard, padded: true)
            }
            #expect(throws: UserKeyError.invalidLength(what: "sealed job key", expected: 72, actual: length)) {
                try SealedJobKey.unseal(text, appKey: Self.appKey)
            }
        }
        for index in bytes.indices {
            for bit in 0..<8 {
                var damaged = bytes
                damaged[index] ^= 1 << bit
                let text = damaged.withUnsafeBytes { Base64.encode($0, alphabet: .standard, padded: true) }
                #expect(throws: UserKeyError.authenticationFailed, "byte \(index) bit \(bit)") {
                    try SealedJobKey.unseal(text, appKey: Self.appKey)
                }
            }
        }
    }

    @Test("whitespace inside is skipped as upstream does; url alphabet and bad text rejected")
    func encodings() throws {
        let withNewline = String(Self.vector.prefix(48)) + "\n" + String(Self.vector.dropFirst(48))
        #expect(
            try SealedJobKey.unseal(withNewline, appKey: Self.appKey).token
                == "gIGCg4SFhoeIiYqLjI2Oj5CRkpOUlZaXmJmam5ydnp8")
        let urlAlphabet = Self.vector.replacingAll("/", with: "_").replacingAll("+", with: "-")
        #expect(throws: UserKeyError.self) { try SealedJobKey.unseal(urlAlphabet, appKey: Self.appKey) }
        #expect(throws: UserKeyError.self) { try SealedJobKey.unseal("", appKey: Self.appKey) }
        #expect(throws: UserKeyError.self) { try SealedJobKey.unseal("!!!!", appKey: Self.appKey) }
    }

    @Test("app key: at least 32 bytes by the raw rule, another key fails")
    func appKeys() throws {
        let key = try UserKey.generate()
        #expect(throws: UserKeyError.appKeyTooShort(minimum: 32, actual: 16)) {
            try SealedJobKey.seal(key, appKey: "base64:AAECAwQFBgcICQoLDA0ODw==")
        }
        #expect(throws: KeyError.missing(variable: "APP_KEY")) { try SealedJobKey.seal(key, appKey: "") }
        let sealed = try SealedJobKey.seal(key, appKey: Self.appKey)
        // The hex form of the same key is another key here (its 64 ASCII bytes, cut to 32).
        #expect(throws: UserKeyError.authenticationFailed) {
            try SealedJobKey.unseal(sealed, appKey: Hex.encode((0..<32).map { UInt8($0) }))
        }
        // A raw text key of 32+ characters works, as upstream uses the raw string.
        let textKey = String(repeating: "x", count: 40)
        #expect(try SealedJobKey.unseal(try SealedJobKey.seal(key, appKey: textKey), appKey: textKey) == key)
    }

    @Test("the PHP-serialized SealedJobKey object, alone and inside a job")
    func phpSerialized() throws {
        let object = try SealedJobKey.phpSerializedObject(Self.vector)
        #expect(
            object == #"O:60:"CodeLieutenant\LaravelCrypto\Encryption\UserKey\SealedJobKey":1:{s:4:"blob";s:96:""#
                + Self.vector + #"";}"#)
        #expect(try SealedJobKey.sealedKey(inPHPSerialized: object) == Self.vector)
        let job = #"O:16:"App\Jobs\Payroll":2:{s:6:"userId";i:7;s:9:"sealedKey";"# + object + "}"
        #expect(try SealedJobKey.sealedKey(inPHPSerialized: job) == Self.vector)
        #expect(throws: UserKeyError.self) { try SealedJobKey.sealedKey(inPHPSerialized: String(object.dropLast(3))) }
        #expect(throws: UserKeyError.self) { try SealedJobKey.sealedKey(inPHPSerialized: "a:0:{}") }
        #expect(throws: UserKeyError.self) { try SealedJobKey.phpSerializedObject("short") }
    }

    @Test("a Sealer reads the app key once and agrees with the static functions")
    func sealer() throws {
        let sealer = try SealedJobKey.Sealer(appKey: Self.appKey)
        let key = try sealer.unseal(Self.vector)
        #expect(key.token == "gIGCg4SFhoeIiYqLjI2Oj5CRkpOUlZaXmJmam5ydnp8")
        let sealed = try sealer.seal(key)
        #expect(try SealedJobKey.unseal(sealed, appKey: Self.appKey) == key)
        #expect(throws: UserKeyError.appKeyTooShort(minimum: 32, actual: 16)) {
            try SealedJobKey.Sealer(appKey: "base64:AAECAwQFBgcICQoLDA0ODw==")
        }
        #expect(throws: UserKeyError.authenticationFailed) {
            try SealedJobKey.Sealer(appKey: String(repeating: "q", count: 32)).unseal(Self.vector)
        }
        #expect("\(sealer)" == "SealedJobKey.Sealer")
    }
}
