import Testing

@testable import LaravelCrypto

/// Wrapped user keys under damage and misuse: every truncation and bit flip, unknown versions,
/// the wrong mode, password, user id or app key — each a typed error, never a key.
@Suite("User key vault")
struct UserKeyVaultTests {
    static let appKey = "base64:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
    /// The smallest Argon2id cost, so flipping every bit of a password blob stays quick.
    static let cheap = Argon2Cost(opsLimit: 1, memLimit: 8192)

    func vault() throws -> UserKeyVault { try UserKeyVault(appKey: Self.appKey, cost: Self.cheap) }

    @Test("every truncation of both blob kinds is a typed error")
    func truncations() throws {
        let vault = try vault()
        let key = try UserKey.generate()
        let passwordBlob = try vault.wrap(key, password: "pw")
        let serverBlob = try vault.wrap(key, userID: "7")
        for length in 0..<passwordBlob.count {
            let cut = Array(passwordBlob.prefix(length))
            let expected: UserKeyError =
                length == 0
                ? .emptyBlob : .invalidLength(what: "password-wrapped user key", expected: 89, actual: length)
            #expect(throws: expected, "password blob cut to \(length)") { try vault.unwrap(cut, password: "pw") }
        }
        for length in 0..<serverBlob.count {
            let cut = Array(serverBlob.prefix(length))
            let expected: UserKeyError =
                length == 0 ? .emptyBlob : .invalidLength(what: "server-wrapped user key", expected: 73, actual: length)
            #expect(throws: expected, "server blob cut to \(length)") { try vault.unwrap(cut, userID: "7") }
        }
        #expect(throws: UserKeyError.invalidLength(what: "password-wrapped user key", expected: 89, actual: 90)) {
            try vault.unwrap(passwordBlob + [0], password: "pw")
        }
    }

    @Test("every single-bit flip of both blob kinds is rejected")
    func bitFlips() throws {
        let vault = try vault()
        let key = try UserKey.generate()
        for (blob, open) in [
            (
                try vault.wrap(key, password: "pw"),
                { (b: [UInt8]) throws(UserKeyError) in _ = try vault.unwrap(b, password: "pw") }
            ),
            (
                try vault.wrap(key, userID: "7"),
                { (b: [UInt8]) throws(UserKeyError) in _ = try vault.unwrap(b, userID: "7") }
            ),
        ] {
            for index in blob.indices {
                for bit in 0..<8 {
                    var damaged = blob
                    damaged[index] ^= 1 << bit
                    let expected: UserKeyError = index == 0 ? .unknownVersion(damaged[0]) : .authenticationFailed
                    #expect(throws: expected, "byte \(index) bit \(bit)") { try open(damaged) }
                }
            }
        }
    }

    @Test("version bytes other than 0x01 and 0x02 are rejected on every path")
    func unknownVersions() throws {
        let vault = try vault()
        let key = try UserKey.generate()
        var passwordBlob = try vault.wrap(key, password: "pw")
        var serverBlob = try vault.wrap(key, userID: "7")
        for version: UInt8 in [0x00, 0x03, 0xFF] {
            passwordBlob[0] = version
            serverBlob[0] = version
            #expect(throws: UserKeyError.unknownVersion(version)) { try vault.unwrap(passwordBlob, password: "pw") }
            #expect(throws: UserKeyError.unknownVersion(version)) {
                try vault.rewrap(passwordBlob, oldPassword: "pw", newPassword: "x")
            }
            #expect(throws: UserKeyError.unknownVersion(version)) { try vault.unwrap(serverBlob, userID: "7") }
            #expect(throws: UserKeyError.unknownVersion(version)) {
                try vault.promote(serverBlob, userID: "7", password: "x")
            }
            #expect(throws: UserKeyError.unknownVersion(version)) { try UserKeyVault.mode(of: serverBlob) }
        }
    }

    @Test("a blob of one mode given to the other path")
    func wrongMode() throws {
        let vault = try vault()
        let key = try UserKey.generate()
        let passwordBlob = try vault.wrap(key, password: "pw")
        let serverBlob = try vault.wrap(key, userID: "7")
        #expect(throws: UserKeyError.wrongMode(expected: .password, actual: .server)) {
            try vault.unwrap(serverBlob, password: "pw")
        }
        #expect(throws: UserKeyError.wrongMode(expected: .server, actual: .password)) {
            try vault.unwrap(passwordBlob, userID: "7")
        }
        #expect(throws: UserKeyError.wrongMode(expected: .password, actual: .server)) {
            try vault.rewrap(serverBlob, oldPassword: "pw", newPassword: "x")
        }
        #expect(throws: UserKeyError.wrongMode(expected: .server, actual: .password)) {
            try vault.promote(passwordBlob, userID: "7", password: "x")
        }
        #expect(try UserKeyVault.mode(of: passwordBlob) == .password)
        #expect(try UserKeyVault.mode(of: serverBlob) == .server)
    }

    @Test("wrong password, NFD password, wrong user id, other app key forms")
    func wrongSecrets() throws {
        let vault = try vault()
        let key = try UserKey.generate()
        let nfc = "Zoë-pässword"  // precomposed ë and ä
        let nfd = "Zoe\u{308}-pa\u{308}ssword"
        let passwordBlob = try vault.wrap(key, password: nfc)
        #expect(try vault.unwrap(passwordBlob, password: nfc) == key)
        for wrong in ["", "zoë-pässword", nfd, nfc + " "] {
            #expect(throws: UserKeyError.authenticationFailed, "\(wrong.unicodeScalars.count) scalars") {
                try vault.unwrap(passwordBlob, password: wrong)
            }
        }
        let serverBlob = try vault.wrap(key, userID: "1")
        #expect(try vault.unwrap(serverBlob, userID: "1") == key)
        for wrong in ["1 ", "01", " 1", "2", ""] {
            #expect(throws: UserKeyError.authenticationFailed, "user id \(wrong)") {
                try vault.unwrap(serverBlob, userID: wrong)
            }
        }
        // The same 32 bytes as hex: per-user code uses the hex text's 64 ASCII bytes, another key (spec §7.9).
        let hexVault = try UserKeyVault(appKey: Hex.encode((0..<32).map { UInt8($0) }), cost: Self.cheap)
        #expect(throws: UserKeyError.authenticationFailed) { try hexVault.unwrap(serverBlob, userID: "1") }
        let otherVault = try UserKeyVault(appKey: "base64:" + String(repeating: "A", count: 43) + "=", cost: Self.cheap)
        #expect(throws: UserKeyError.authenticationFailed) { try otherVault.unwrap(serverBlob, userID: "1") }
        // The password blob does not depend on the app key.
        #expect(try otherVault.unwrap(passwordBlob, password: nfc) == key)
    }

    @Test("the Argon2id cost must match, and must be one libsodium accepts")
    func costs() throws {
        let key = try UserKey.generate()
        let blob = try vault().wrap(key, password: "pw")
        let other = try UserKeyVault(appKey: Self.appKey, cost: Argon2Cost(opsLimit: 2, memLimit: 8192))
        #expect(throws: UserKeyError.authenticationFailed) { try other.unwrap(blob, password: "pw") }
        #expect(throws: UserKeyError.self) {
            try UserKeyVault(appKey: Self.appKey, cost: Argon2Cost(opsLimit: 0, memLimit: 8192))
        }
        #expect(throws: UserKeyError.self) {
            try UserKeyVault(appKey: Self.appKey, cost: Argon2Cost(opsLimit: 2, memLimit: 1024))
        }
        #expect(throws: KeyError.missing(variable: "APP_KEY")) { try UserKeyVault(appKey: "") }
        #expect("\(Argon2Cost.interactive)" == "Argon2Cost(ops 2, 64 MiB)")
    }

    @Test("raw app key rule (spec §7.9): base64 decoded, anything else as text; pad below 32, cut above 64")
    func rawAppKey() throws {
        #expect(try RawAppKey.bytes(of: "base64:AAECAw==") == [0, 1, 2, 3])
        #expect(try RawAppKey.bytes(of: "base64:not base64!") == Array("base64:not base64!".utf8))
        #expect(try RawAppKey.bytes(of: "00ff") == Array("00ff".utf8))
        let long = String(repeating: "k", count: 80)
        let longVault = try UserKeyVault(appKey: long, cost: Self.cheap)
        let cutVault = try UserKeyVault(appKey: String(repeating: "k", count: 64), cost: Self.cheap)
        #expect(try longVault.serverWrappingKey(userID: "1") == cutVault.serverWrappingKey(userID: "1"))
    }

    @Test("descriptions never show key bytes")
    func descriptions() throws {
        let key = try UserKey(bytes: [UInt8](repeating: 0x41, count: 32))
        #expect("\(key)" == "UserKey(32 bytes)")
        #expect(!"\(try vault())".contains("AAEC"))
        #expect("\(BlindIndex(userKey: key))" == "BlindIndex(user key)")
    }
}
