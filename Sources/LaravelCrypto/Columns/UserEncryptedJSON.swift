/// A column written by laravel-crypto's `UserEncryptedJson` cast (spec §7.5):
/// `json_encode($value, JSON_UNESCAPED_UNICODE)` (so `/` is `\/` and non-ASCII stays raw UTF-8),
/// encrypted with the user's key in Laravel's AES-256-CBC format.
///
/// Without an explicit key, the key of the current request or job (``UserKeyContext/current``) is used.
public struct UserEncryptedJSON<Value: Codable & Sendable>: EncryptedColumnValue {
    /// The stored column text.
    public let ciphertext: String

    /// A value from its stored text, as read from the database.
    public init(ciphertext: String) {
        self.ciphertext = ciphertext
    }

    /// Encodes `value` as the cast does and encrypts it under `key` (by default the context's).
    /// - Throws: ``UserKeyError`` without a usable key, ``EncryptionError``.
    public init(sealing value: Value, key: UserKey? = nil) throws {
        ciphertext = try UserKeyContext.resolve(key).makeEncrypter().encryptJSON(value, escapingUnicode: false)
    }

    /// Decrypts and decodes the value under `key` (by default the context's).
    /// - Throws: ``UserKeyError`` without a usable key, ``DecryptionError``.
    public func decrypt(key: UserKey? = nil) throws -> Value {
        try UserKeyContext.resolve(key).makeEncrypter().decryptJSON(ciphertext, as: Value.self)
    }
}
