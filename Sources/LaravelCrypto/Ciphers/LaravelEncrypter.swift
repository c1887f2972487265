/// Laravel's own `Crypt` format: base64 of `{"iv":…,"value":…,"mac":…,"tag":…}` (spec
/// laravel-native.md §3–§5), for data shared with Laravel's native encrypter.
///
/// Prefer a `Sodium_*` cipher for new data. CBC authenticates with HMAC-SHA256 over the base64
/// texts of the IV and ciphertext, checked in constant time for each key before anything is
/// decrypted; padding is removed in constant time. GCM has no associated data. Decryption
/// follows Laravel 11.4+/13.6+: for CBC the first key whose MAC matches is the one used.
final class LaravelEncrypter: KeyReportingDecrypter {
    let cipher: Cipher
    private let aes: OpenSSLAES
    /// Each key of the ring (current first) prepared for AES and, for CBC, for HMAC-SHA256: the
    /// hot paths (``Core``) read the keys' handles only, so threads sharing this encrypter never
    /// write a shared reference count.
    private let keys: HandleTable<PreparedKey>
    private let options: EncrypterOptions

    convenience init(cipher: Cipher, keys: KeyRing, options: EncrypterOptions) throws {
        guard let aes = OpenSSLAES(laravelCipher: cipher) else { throw CipherError.unsupported(name: cipher.rawValue) }
        try keys.requireByteCount(aes.keyByteCount, for: .cipher(cipher))
        let prepared = try keys.all.map { key in
            try key.withUnsafeBytes { try Self.prepare(key: $0, for: aes, cipher: cipher) }
        }
        self.init(cipher: cipher, aes: aes, prepared: prepared, options: options)
    }

    /// One raw key, no previous keys (a user key's encrypter, spec §7.4).
    convenience init(cipher: Cipher, key: UnsafeRawBufferPointer, options: EncrypterOptions = EncrypterOptions()) throws
    {
        guard let aes = OpenSSLAES(laravelCipher: cipher) else { throw CipherError.unsupported(name: cipher.rawValue) }
        guard key.count == aes.keyByteCount else {
            throw KeyError.invalidLength(for: .cipher(cipher), expected: aes.keyByteCount, actual: key.count)
        }
        self.init(
            cipher: cipher, aes: aes, prepared: [try Self.prepare(key: key, for: aes, cipher: cipher)], options: options
        )
    }

    private init(
        cipher: Cipher, aes: OpenSSLAES, prepared: [(mac: OpenSSLHMAC.PreparedKey?, aes: PreparedAESKey)],
        options: EncrypterOptions
    ) {
        self.aes = aes
        keys = HandleTable(
            owners: prepared.flatMap { key -> [any AnyObject & Sendable] in [key.aes] + (key.mac.map { [$0] } ?? []) },
            handles: prepared.map { PreparedKey(aes: $0.aes.handle, mac: $0.mac?.handle) })
        self.cipher = cipher
        self.options = options
    }

    /// Prepares one key for AES and, for CBC, for HMAC-SHA256.
    private static func prepare(
        key: UnsafeRawBufferPointer, for aes: OpenSSLAES, cipher: Cipher
    ) throws -> (mac: OpenSSLHMAC.PreparedKey?, aes: PreparedAESKey) {
        do {
            return (aes.isGCM ? nil : OpenSSLHMAC.PreparedKey(key), try PreparedAESKey(aes, key: key))
        } catch {
            throw CipherError.unavailable(cipher: cipher, reason: "OpenSSL could not prepare the key (\(error))")
        }
    }

    /// What one call needs, as a trivial value; valid while `self` is (the call's duration).
    private var core: Core { Core(cipher: cipher, isAEAD: aes.isGCM, keys: keys.entries, options: options) }

    func encryptBytes(_ plaintext: [UInt8]) throws(EncryptionError) -> String {
        let core = core
        return try TypedErrors.encrypting { try plaintext.withUnsafeBytes { try core.seal($0, iv: nil) } }
    }

    func encryptString(_ text: String) throws(EncryptionError) -> String {
        let core = core
        return try TypedErrors.encrypting { try text.withUTF8Bytes { try core.seal($0, iv: nil) } }
    }

    func decryptBytes(_ payload: String) throws(DecryptionError) -> [UInt8] {
        try TypedErrors.decrypting { try decryptBytesReportingCurrentKey(payload).plaintext }
    }

    func decryptBytesReportingCurrentKey(_ payload: String) throws -> (plaintext: [UInt8], openedByCurrentKey: Bool) {
        try core.decryptBytes(payload)
    }

    func decryptString(_ payload: String) throws(DecryptionError) -> String {
        let core = core
        return try TypedErrors.decrypting { try core.decryptString(payload) }
    }

    /// Encrypts with a random IV, or `fixedIV` (known-answer tests only).
    package func seal(_ plaintext: UnsafeRawBufferPointer, iv fixedIV: [UInt8]?) throws -> String {
        try core.seal(plaintext, iv: fixedIV)
    }
}

extension LaravelEncrypter {
    /// One key of the ring, prepared: for AES, and for HMAC-SHA256 when the cipher is CBC.
    struct PreparedKey: Sendable {
        let aes: PreparedAESKey.Handle
        let mac: OpenSSLHMAC.PreparedKey.Handle?
    }
}
