import Foundation
import Testing

@testable import LaravelCrypto

@Suite("Migration keyring")
struct MigrationEncrypterTests {
    /// AEGIS-256 when the linked libsodium has it, else XChaCha20-Poly1305.
    static let modern: Cipher = Cipher.aegis256.unavailabilityReason == nil ? .aegis256 : .xChaCha20Poly1305

    static func configuration(_ cipher: Cipher, previous: Int = 0) throws -> CipherConfiguration {
        let previous = try (0..<previous).map { _ in try EncryptionKey.generate(for: cipher) }
        return CipherConfiguration(
            cipher: cipher, keys: KeyRing(current: try EncryptionKey.generate(for: cipher), previous: previous))
    }

    @Test func readsEveryConfiguredCipherAndWritesOne() throws {
        let writing = try Self.configuration(Self.modern, previous: 1)
        let laravel = try Self.configuration(.laravelAES256CBC, previous: 1)
        let gcm = try Self.configuration(.laravelAES128GCM)
        let box = try Self.configuration(.secretBox)
        let migration = try MigrationEncrypter(writing: writing, reading: [laravel, gcm, box])
        #expect(migration.cipher == Self.modern)

        let old: [(String, CipherConfiguration)] = [
            (try laravel.makeEncrypter().encryptString("from cbc"), laravel),
            (
                try CipherConfiguration(cipher: .laravelAES256CBC, keys: KeyRing(current: laravel.keys.previous[0]))
                    .makeEncrypter()
                    .encryptString("from cbc, previous key"), laravel
            ),
            (try gcm.makeEncrypter().encryptString("from gcm"), gcm),
            (try box.makeEncrypter().encryptString("from secretbox"), box),
            (
                try CipherConfiguration(cipher: Self.modern, keys: KeyRing(current: writing.keys.previous[0]))
                    .makeEncrypter()
                    .encryptString("writer, previous key"), writing
            ),
        ]
        for (payload, _) in old {
            #expect(migration.needsReencryption(payload))
            let text = try migration.decryptString(payload)
            let fresh = try #require(try migration.reencryptedIfNeeded(payload))
            #expect(!migration.needsReencryption(fresh))
            #expect(try migration.reencryptedIfNeeded(fresh) == nil)
            #expect(try migration.decryptString(fresh) == text)
            // The rewritten payload is the writer's own format, readable without the migration.
            #expect(try writing.makeEncrypter().decryptString(fresh) == text)
        }
        let current = try migration.encryptString("new")
        #expect(!migration.needsReencryption(current))
        #expect(try migration.decryptBytes(current) == Array("new".utf8))
        #expect(try migration.decrypt(try migration.encrypt(["a": 1]), as: [String: Int].self) == ["a": 1])
    }

    @Test(arguments: [Cipher.xChaCha20Poly1305, .laravelAES256CBC, .laravelAES256GCM])
    func onePassStalenessAgreesWithNeedsReencryption(writerCipher: Cipher) throws {
        let writing = try Self.configuration(writerCipher, previous: 2)
        let cbc = try Self.configuration(.laravelAES128CBC, previous: 1)
        let box = try Self.configuration(.secretBox)
        let migration = try MigrationEncrypter(writing: writing, reading: [cbc, box])
        func encrypter(_ cipher: Cipher, _ key: EncryptionKey) throws -> any Encrypter {
            try CipherConfiguration(cipher: cipher, keys: KeyRing(current: key)).makeEncrypter()
        }
        let payloads: [(String, stale: Bool)] = [
            (try migration.encryptString("current"), false),
            (try encrypter(writerCipher, writing.keys.previous[0]).encryptString("previous 0"), true),
            (try encrypter(writerCipher, writing.keys.previous[1]).encryptString("previous 1"), true),
            (try encrypter(.laravelAES128CBC, cbc.keys.current).encryptString("reader"), true),
            (try encrypter(.laravelAES128CBC, cbc.keys.previous[0]).encryptString("reader, previous"), true),
            (try encrypter(.secretBox, box.keys.current).encryptString("other family"), true),
        ]
        if writerCipher == .xChaCha20Poly1305 {
            // The legacy empty associated data, with the current key: readable, but stale.
            let legacy = try MigrationEncrypter(
                writing: CipherConfiguration(
                    cipher: writerCipher, keys: writing.keys,
                    options: EncrypterOptions(readsLegacyEmptyAssociatedData: true)))
            let payload = try #require(KnownAnswerTests.legacyV2.first { $0.0 == .xChaCha20Poly1305 }?.1)
            let keyed = try MigrationEncrypter(
                writing: CipherConfiguration(
                    cipher: writerCipher,
                    keys: KeyRing(current: try KeyTextFormat.laravelCrypto.parse(KnownAnswerTests.key32)),
                    options: EncrypterOptions(readsLegacyEmptyAssociatedData: true)))
            #expect(keyed.needsReencryption(payload))
            let (plaintext, stale) = try keyed.decryptBytesNotingStaleness(payload)
            #expect(plaintext == Array("hello world".utf8) && stale)
            #expect(try legacy.decryptBytesNotingStaleness(try legacy.encryptString("x")).needsReencryption == false)
        }
        for (payload, stale) in payloads {
            let (plaintext, noted) = try migration.decryptBytesNotingStaleness(payload)
            #expect(noted == stale)
            #expect(noted == migration.needsReencryption(payload))
            #expect(plaintext == (try migration.decryptBytes(payload)))
        }
        #expect(throws: DecryptionError.authenticationFailed) {
            try migration.decryptBytesNotingStaleness(
                try encrypter(writerCipher, try EncryptionKey.generate(for: writerCipher)).encryptString("x"))
        }
    }

    @Test func errorsSayWhatWentWrong() throws {
        let migration = try MigrationEncrypter(
            writing: try Self.configuration(Self.modern), reading: [try Self.configuration(.laravelAES256CBC)])
        let stranger = try Self.configuration(.laravelAES256CBC)
        #expect(throws: DecryptionError.authenticationFailed) {
            try migration.decryptString(try stranger.makeEncrypter().encryptString("x"))
        }
        let strangerModern = try Self.configuration(Self.modern)
        #expect(throws: DecryptionError.authenticationFailed) {
            try migration.decryptString(try strangerModern.makeEncrypter().encryptString("x"))
        }
        for garbage in ["", "!!!", "eyJ", "eyJpdiI6", String(repeating: "A", count: 7)] {
            #expect(throws: DecryptionError.self) { try migration.decryptBytes(garbage) }
            #expect(migration.needsReencryption(garbage))
            #expect(throws: DecryptionError.self) { try migration.reencryptedIfNeeded(garbage) }
        }
        // Authenticated but not UTF-8: reported as such, not as a key problem.
        let binary = try migration.encryptBytes([0xFF, 0xFE])
        #expect(throws: DecryptionError.invalidUTF8) { try migration.decryptString(binary) }
    }

    @Test func aLaravelPayloadNeedsALaravelReader() throws {
        let laravel = try Self.configuration(.laravelAES256GCM)
        let onlyModern = try MigrationEncrypter(writing: try Self.configuration(Self.modern))
        let payload = try laravel.makeEncrypter().encryptString("x")
        #expect(PayloadFormat.detect(payload) == .laravelEnvelope)
        // No envelope reader: the compact reader decodes the text (laravel-crypto accepts both
        // alphabets) and its tag check fails; the point is a typed error, never a crash.
        #expect(throws: DecryptionError.self) { try onlyModern.decryptString(payload) }
        let withLaravel = try MigrationEncrypter(writing: try Self.configuration(Self.modern), reading: [laravel])
        #expect(try withLaravel.decryptString(payload) == "x")
    }

    @Test func formatDetection() throws {
        #expect(PayloadFormat.detect("eyJpdiI6Ij") == .laravelEnvelope)
        #expect(PayloadFormat.detect("AAAA") == .compact)
        #expect(PayloadFormat.detect("") == .compact)
        // laravel-crypto's wrapped aes-* payloads are compact-looking base64url.
        let wrapped = CipherConfiguration(
            cipher: .laravelAES256CBC, keys: KeyRing(current: try EncryptionKey.generate(for: .laravelAES256CBC)),
            options: EncrypterOptions(usesLaravelCryptoWrapping: true))
        #expect(PayloadFormat.of(wrapped) == .compact)
        let migration = try MigrationEncrypter(writing: try Self.configuration(Self.modern), reading: [wrapped])
        let payload = try wrapped.makeEncrypter().encryptString("wrapped")
        #expect(try migration.decryptString(payload) == "wrapped")
    }
}
