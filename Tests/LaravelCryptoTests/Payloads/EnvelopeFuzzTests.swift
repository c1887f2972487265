import Foundation
import LaravelCryptoTestSupport
import Testing

@testable import LaravelCrypto

/// Seeded fuzzing of everything that reads Laravel-shaped input: every mutation must end in a
/// value or a typed ``DecryptionError``, never a crash or another error type.
@Suite("Envelope, cookie and migration fuzzing")
struct EnvelopeFuzzTests {
    static let alphabet: [UInt8] =
        Array(#"{}[]":,\/ 0123456789abcdefABCDEF+=-_nultrue"#.utf8) + [0x00, 0x0A, 0x7F, 0x80, 0xC3, 0xA9, 0xFF]

    func mutate(_ bytes: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var bytes = bytes
        for _ in 0..<(1 + Int(rng.next() % 4)) {
            guard !bytes.isEmpty else { break }
            let at = Int(rng.next() % UInt64(bytes.count))
            switch rng.next() % 4 {
            case 0: bytes[at] = Self.alphabet[Int(rng.next() % UInt64(Self.alphabet.count))]
            case 1: bytes.remove(at: at)
            case 2: bytes.insert(Self.alphabet[Int(rng.next() % UInt64(Self.alphabet.count))], at: at)
            default: bytes = Array(bytes[0..<at])
            }
        }
        return bytes
    }

    func expectTyped(_ body: () throws -> Void) -> Bool {
        do {
            try body()
            return true
        } catch is DecryptionError {
            return false
        } catch {
            Issue.record("untyped error: \(error)")
            return false
        }
    }

    @Test(arguments: [Cipher.laravelAES256CBC, .laravelAES128GCM])
    func mutatedEnvelopes(cipher: Cipher) throws {
        let encrypter = try cipher.makeEncrypter(keyRing: KeyRing(current: try EncryptionKey.generate(for: cipher)))
        let payload = try encrypter.encryptString("fuzz me, but gently")
        let json = try #require(Data(base64Encoded: payload)).map { $0 }
        var rng = SplitMix64(seed: cipher == .laravelAES256CBC ? 11 : 12)
        var accepted = 0
        for _ in 0..<10_000 {
            let mutated = mutate(json, &rng)
            // Mutate the JSON (then re-encode it) and, one time in four, the base64 text itself.
            let text =
                rng.next() % 4 == 0
                ? String(decoding: mutate(Array(payload.utf8), &rng), as: UTF8.self)
                : Data(mutated).base64EncodedString()
            if expectTyped({ _ = try encrypter.decryptBytes(text) }) { accepted += 1 }
        }
        // Only mutations that leave the authenticated fields intact may decrypt (whitespace, an
        // extra member, a changed tag on CBC …); most must not.
        #expect(accepted < 2_000, "\(accepted) of 10000 mutations decrypted")
    }

    @Test func mutatedCookiesAndMigrationInput() throws {
        let key = try EncryptionKey.generate(for: .laravelAES256CBC)
        let cookies = try CookieEncrypter(
            configuration: CipherConfiguration(cipher: .laravelAES256CBC, keys: KeyRing(current: key)))
        let migration = try MigrationEncrypter(
            writing: CipherConfiguration(
                cipher: .xChaCha20Poly1305, keys: KeyRing(current: try EncryptionKey.generate())),
            reading: [CipherConfiguration(cipher: .laravelAES256CBC, keys: KeyRing(current: key))])
        let cookie = Array(try cookies.headerValue("value", forCookieNamed: "c").utf8)
        let compact = Array(try migration.encryptString("value").utf8)
        var rng = SplitMix64(seed: 99)
        for _ in 0..<5_000 {
            let mutatedCookie = String(decoding: mutate(cookie, &rng), as: UTF8.self)
            _ = expectTyped { _ = try cookies.decrypt(mutatedCookie, forCookieNamed: "c") }
            _ = expectTyped { _ = try migration.decryptString(mutatedCookie) }
            let mutatedCompact = String(decoding: mutate(compact, &rng), as: UTF8.self)
            _ = expectTyped { _ = try migration.decryptBytes(mutatedCompact) }
            _ = migration.needsReencryption(mutatedCompact)
        }
    }
}
