import LaravelCrypto
import Testing

// The public API issue #10 names, exactly as a separate package calls it (no @testable import here).

func perUserContract(raw: [UInt8], appKey: String) throws {
    // ── Per-user keys (spec §7.1–§7.3, §7.9) ────────────────────────────────────────────────
    let userKey = try UserKey(bytes: raw)  // KeyError unless exactly 32 bytes
    let fresh = try UserKey.generate()
    let token: String = userKey.token  // base64url, no padding, 43 characters
    let back: UserKey = try UserKey(token: token)  // upstream's lenient decodeToken rules
    let same: Bool = back == userKey  // constant time
    let copy: [UInt8] = userKey.withUnsafeBytes { Array($0) }

    let opsLimit: Int = 2, memLimit: Int = 67_108_864
    let cost = Argon2Cost(opsLimit: opsLimit, memLimit: memLimit)
    let interactive: Argon2Cost = .interactive  // the same cost
    let vault = try UserKeyVault(appKey: appKey, cost: cost)  // raw-app-key rule of §7.9 for mode 2
    let passwordBlob: [UInt8] = try vault.wrap(userKey, password: "p@ss")  // mode 1: 89 bytes, 0x01…
    let serverBlob: [UInt8] = try vault.wrap(userKey, userID: "7")  // mode 2: 73 bytes, 0x02…
    let k1: UserKey = try vault.unwrap(passwordBlob, password: "p@ss")  // throws UserKeyError
    let k2: UserKey = try vault.unwrap(serverBlob, userID: "7")
    let errorTypes: [any Error.Type] = [UserKeyError.self, KeyError.self]  // what the calls above throw
    let changed: [UInt8] = try vault.rewrap(passwordBlob, oldPassword: "p@ss", newPassword: "n3w")
    let promoted: [UInt8] = try vault.promote(serverBlob, userID: "7", password: "p@ss")  // same key

    // ── Values under a user key (§7.4): Laravel's AES-256-CBC envelope, no previous keys ───
    let userCrypt: any Encrypter = try userKey.makeEncrypter()
    _ = try userCrypt.encryptString("123-45-6789")

    // ── Blind indexes (§7.6) ───────────────────────────────────────────────────────────────
    let perUser = BlindIndex(userKey: userKey)
    let global = try BlindIndex(appKey: appKey)  // parsed as AppKeyLoader does; 32 bytes
    let index: [UInt8] = try perUser.compute("  ÄBC  ", column: "email", normalise: true, context: ["t1"])
    let found: Bool = perUser.verify(index, value: "äbc", column: "email", normalise: true, context: ["t1"])
    _ = try global.compute("a@b.c", column: "email", normalise: false, context: [])

    // ── Sealed job keys (§7.8) ─────────────────────────────────────────────────────────────
    let sealed: String = try SealedJobKey.seal(userKey, appKey: appKey)  // 96 characters
    let unsealed: UserKey = try SealedJobKey.unseal(sealed, appKey: appKey)

    _ = (fresh, same, copy, interactive, k1, k2, errorTypes, changed, promoted, found, unsealed)
}

@Suite("Per-user API contract (issue #10)")
struct PerUserContractTests {
    @Test("the contract program runs with real values")
    func contractRuns() throws {
        let raw = (0..<32).map { UInt8(0x80 + $0) }
        try perUserContract(raw: raw, appKey: "base64:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
    }

    @Test("the contract's values are what it says")
    func contractValues() throws {
        let appKey = "base64:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
        let userKey = try UserKey(bytes: (0..<32).map { UInt8(0x80 + $0) })
        #expect(userKey.token == "gIGCg4SFhoeIiYqLjI2Oj5CRkpOUlZaXmJmam5ydnp8")
        #expect(throws: KeyError.self) { try UserKey(bytes: [UInt8](repeating: 1, count: 31)) }
        let vault = try UserKeyVault(appKey: appKey, cost: .interactive)
        #expect(Argon2Cost.interactive == Argon2Cost(opsLimit: 2, memLimit: 67_108_864))
        let passwordBlob = try vault.wrap(userKey, password: "p@ss")
        let serverBlob = try vault.wrap(userKey, userID: "7")
        #expect(passwordBlob.count == 89 && passwordBlob[0] == 0x01)
        #expect(serverBlob.count == 73 && serverBlob[0] == 0x02)
        let changed = try vault.rewrap(passwordBlob, oldPassword: "p@ss", newPassword: "n3w")
        #expect(try vault.unwrap(changed, password: "n3w") == userKey)
        #expect(throws: UserKeyError.authenticationFailed) { try vault.unwrap(changed, password: "p@ss") }
        let promoted = try vault.promote(serverBlob, userID: "7", password: "p@ss")
        #expect(promoted[0] == 0x01)
        #expect(try vault.unwrap(promoted, password: "p@ss") == userKey)
        let sealed = try SealedJobKey.seal(userKey, appKey: appKey)
        #expect(sealed.count == 96)
        #expect(try SealedJobKey.unseal(sealed, appKey: appKey) == userKey)
        let index = try BlindIndex(userKey: userKey).compute(
            "  ÄBC  ", column: "email", normalise: true, context: ["t1"])
        #expect(index.count == 32)
        #expect(
            BlindIndex(userKey: userKey).verify(index, value: "äbc", column: "email", normalise: true, context: ["t1"]))
        #expect(
            !BlindIndex(userKey: userKey).verify(index, value: "äbd", column: "email", normalise: true, context: ["t1"])
        )
    }
}
