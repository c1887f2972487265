import Foundation
import LaravelCrypto
import LaravelCryptoTestSupport
import Testing

// The public API issue #11 names, exactly as a separate package calls it (no @testable import here).

func filesHashingSigningContract(bytes: [UInt8], appKey: String, keyFileText: String) throws {
    // ── Files (§6): key text as CRYPTO_FILE_ENCRYPTION_KEY; drivers .secretStream (default),
    //    .xsalsaHMAC, .native(Cipher) ─────────────────────────────────────────────────────────
    let previousFileKeys: [String] = []  // CRYPTO_FILE_ENCRYPTION_PREVIOUS_KEYS
    let driver: FileEncrypter.Driver = .native(.aegis256)
    let files = try FileEncrypter(driver: driver, key: appKey, previousKeys: previousFileKeys)
    try files.encryptFile(atPath: "plain.bin", toPath: "plain.bin.enc")
    // On any error nothing exists at the destination afterwards (not even an empty file).
    try files.decryptFile(atPath: "plain.bin.enc", toPath: "plain.out")
    let fileErrors: any Error.Type = FileEncryptionError.self  // what the file calls throw
    _ = try FileEncrypter(driver: .secretStream, key: appKey, previousKeys: [])
    _ = try FileEncrypter(driver: .xsalsaHMAC, key: appKey, previousKeys: [])

    // ── Hashing (§8.1) ─────────────────────────────────────────────────────────────────────
    let outputLength: Int = 32
    let blake = try BLAKE2bHasher(key: Array(appKey.utf8), outputLength: outputLength)  // nil = unkeyed
    let h: String = blake.hash(bytes)  // base64url, no padding
    let hr: [UInt8] = blake.hashRaw(bytes)
    let hv: Bool = blake.verify(h, for: bytes)  // compares the text, as upstream does
    let s256: String = SHA512_256Hasher().hash(bytes)  // laravel-crypto's "Sha256": hex SHA-512/256
    let s512: String = SHA512Hasher().hash(bytes)  // lowercase hex
    let s256ok: Bool = SHA512_256Hasher().verify(s256, for: bytes)
    let s512raw: [UInt8] = SHA512Hasher().hashRaw(bytes)

    // ── Signing (§8.2) ─────────────────────────────────────────────────────────────────────
    let outputSize: Int = 32
    let algorithm: HMACSigner.Algorithm = .blake2b(outputSize: outputSize)  // also .sha512_256, .sha512
    let hmac = try HMACSigner(algorithm, key: appKey)
    let sig: String = hmac.sign(bytes)  // base64url, no padding
    let sv: Bool = hmac.verify(sig, for: bytes)  // constant time
    let ed = try Ed25519Signer(keyFileContents: keyFileText)
    let es: String = ed.sign(bytes)
    let ev: Bool = ed.verify(es, for: bytes)  // padded / standard alphabet accepted, as upstream

    _ = (fileErrors, hr, hv, s256, s512, s256ok, s512raw, sv, ev)
}

@Suite("Files, hashing and signing API contract (issue #11)", .serialized)
struct FilesContractTests {
    @Test("the contract program runs with real values in a scratch folder")
    func contractRuns() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lc-contract-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let bytes = (0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        #expect(
            FileManager.default.createFile(
                atPath: folder.appendingPathComponent("plain.bin").path, contents: Data(bytes)))
        // No child is spawned while the working directory is changed (ProcessRunner takes this lock).
        ProcessRunner.workingDirectoryLock.lock()
        defer { ProcessRunner.workingDirectoryLock.unlock() }
        let previous = FileManager.default.currentDirectoryPath
        #expect(FileManager.default.changeCurrentDirectoryPath(folder.path))
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        let keyPair = try Ed25519KeyPair.generate()
        try filesHashingSigningContract(
            bytes: bytes, appKey: "base64:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
            keyFileText: keyPair.keyFileContents())
        #expect(FileManager.default.contents(atPath: folder.appendingPathComponent("plain.out").path) == Data(bytes))
    }
}
