import Testing

@testable import LaravelCrypto

/// laravel-crypto's `BootPerUserEncryption` order (spec §7.2) — header, cookie, server blob,
/// enrolment — and the one place we are stricter: a password blob is never replaced.
@Suite("User key resolution")
struct UserKeyResolverTests {
    static let appKey = "base64:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="

    func resolver(encryptedCookie: Bool = true) throws -> UserKeyResolver {
        let vault = try UserKeyVault(appKey: Self.appKey, cost: Argon2Cost(opsLimit: 1, memLimit: 8192))
        let crypt = try Cipher.aegis256.makeEncrypter(key: Self.appKey)
        return UserKeyResolver(vault: vault, cookieEncrypter: encryptedCookie ? crypt : nil)
    }

    @Test("a valid header wins; nothing to write")
    func header() throws {
        let key = try UserKey.generate()
        let result = try resolver().resolve(headerToken: key.token, cookieValue: "junk", userID: "7", storedBlob: nil)
        guard case .fromRequest(let found, .header) = result else { Issue.record("\(result)"); return }
        #expect(found == key)
    }

    @Test("the cookie, encrypted with the app's Crypt or raw")
    func cookie() throws {
        let key = try UserKey.generate()
        let resolver = try resolver()
        let cookie = try #require(resolver.cookieEncrypter).encryptString(key.token)
        let result = try resolver.resolve(headerToken: "not a token", cookieValue: cookie, userID: "7", storedBlob: nil)
        guard case .fromRequest(let found, .cookie) = result else { Issue.record("\(result)"); return }
        #expect(found == key)
        let raw = try self.resolver(encryptedCookie: false).resolve(
            headerToken: nil, cookieValue: key.token, userID: "7", storedBlob: nil)
        #expect(raw.key == key)
        // A raw token where an encrypted cookie is expected is ignored, like any failure.
        let ignored = try resolver.resolve(headerToken: nil, cookieValue: key.token, userID: "7", storedBlob: nil)
        guard case .enrolled = ignored else { Issue.record("\(ignored)"); return }
    }

    @Test("server blob: unwrapped, token sent back in the header and an encrypted cookie")
    func serverBlob() throws {
        let resolver = try resolver()
        let key = try UserKey.generate()
        let blob = try resolver.vault.wrap(key, userID: "7")
        let result = try resolver.resolve(headerToken: nil, cookieValue: nil, userID: "7", storedBlob: blob)
        guard case .unwrapped(let found, let response) = result else { Issue.record("\(result)"); return }
        #expect(found == key)
        #expect(response.token == key.token)
        #expect(try #require(resolver.cookieEncrypter).decryptString(response.cookieValue) == key.token)
        #expect(throws: UserKeyError.authenticationFailed) {
            try resolver.resolve(headerToken: nil, cookieValue: nil, userID: "8", storedBlob: blob)
        }
    }

    @Test("no blob: a new server-wrapped key to store")
    func enrolment() throws {
        let resolver = try resolver()
        let result = try resolver.resolve(headerToken: nil, cookieValue: nil, userID: "7", storedBlob: [])
        guard case .enrolled(let key, let blob, let response) = result else { Issue.record("\(result)"); return }
        #expect(blob.count == 73 && blob[0] == 0x02)
        #expect(try resolver.vault.unwrap(blob, userID: "7") == key)
        #expect(response.token == key.token)
    }

    @Test("stricter than upstream: a password blob is never replaced, an unknown version is an error")
    func passwordBlobKept() throws {
        let resolver = try resolver()
        let key = try UserKey.generate()
        let blob = try resolver.vault.wrap(key, password: "pw")
        let result = try resolver.resolve(headerToken: "bad", cookieValue: "bad", userID: "7", storedBlob: blob)
        guard case .passwordRequired = result else { Issue.record("\(result)"); return }
        #expect(result.key == nil)
        var unknown = blob
        unknown[0] = 0x03
        #expect(throws: UserKeyError.unknownVersion(0x03)) {
            try resolver.resolve(headerToken: nil, cookieValue: nil, userID: "7", storedBlob: unknown)
        }
        // With the token (issued at login), the key is found and the blob is untouched.
        let withToken = try resolver.resolve(headerToken: key.token, cookieValue: nil, userID: "7", storedBlob: blob)
        #expect(withToken.key == key)
    }
}

@Suite("Scoped user key")
struct UserKeyContextTests {
    @Test("the key is current inside the scope and wiped when it returns")
    func wipedOnReturn() throws {
        let key = try UserKey.generate()
        let copy = key
        #expect(UserKeyContext.current == nil)
        #expect(throws: UserKeyError.missingContext) { try UserKeyContext.requireCurrent() }
        let token = try UserKeyContext.withUserKey(key) { () throws -> String in
            let current = try UserKeyContext.requireCurrent()
            _ = try current.makeEncrypter().encryptString("x")
            return current.token
        }
        #expect(token.count == 43)
        #expect(copy.isWiped && key.isWiped)
        #expect(copy.withUnsafeBytes { $0.count } == 0)
        #expect("\(copy)" == "UserKey(wiped)")
        #expect(throws: UserKeyError.keyWiped) { try copy.makeEncrypter() }
        #expect(throws: UserKeyError.keyWiped) { try BlindIndex(userKey: copy).compute("a", column: "b") }
        #expect(throws: UserKeyError.keyWiped) {
            try UserKeyVault(appKey: "base64:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=").wrap(copy, userID: "1")
        }
        #expect(copy != copy)
    }

    struct Failure: Error {}

    @Test("the key is wiped when the operation throws, also in async code")
    func wipedOnThrow() async throws {
        let key = try UserKey.generate()
        await #expect(throws: Failure.self) {
            try await UserKeyContext.withUserKey(key) { () async throws -> Void in
                #expect(UserKeyContext.current == key)
                await Task.yield()
                throw Failure()
            }
        }
        #expect(key.isWiped)
    }

    @Test("64 concurrent tasks each see only their own key")
    func isolation() async throws {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<64 {
                group.addTask {
                    let key = try UserKey.generate()
                    let token = key.token
                    return try await UserKeyContext.withUserKey(key) {
                        await Task.yield()
                        return try UserKeyContext.requireCurrent().token == token
                    }
                }
            }
            for try await sawOwnKey in group { #expect(sawOwnKey) }
        }
    }
}
