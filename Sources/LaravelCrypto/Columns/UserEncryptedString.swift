/// A column written by laravel-crypto's `UserEncrypted` cast (spec §7.5): the user's own key
/// encrypts the value in Laravel's AES-256-CBC format (``UserKey/makeEncrypter()``).
///
/// Without an explicit key, sealing and decrypting use the key of the current request or job
/// (``UserKeyContext/current``) and throw ``UserKeyError/missingContext`` outside one, as upstream's
/// `MissingEncryptionContextException`.
///
/// For `UserEncryptedWithIndex`, declare the index column beside it as a ``BlindIndexValue``.
public struct UserEncryptedString: EncryptedColumnValue {
    /// The stored column text.
    public let ciphertext: String

    /// A value from its stored text, as read from the database.
    public init(ciphertext: String) {
        self.ciphertext = ciphertext
    }

    /// Encrypts `value` under `key` (by default the key in ``UserKeyContext``).
    /// - Throws: ``UserKeyError`` without a usable key, ``EncryptionError``.
    public init(sealing value: String, key: UserKey? = nil) throws {
        ciphertext = try UserKeyContext.resolve(key).makeEncrypter().encryptString(value)
    }

    /// The plaintext under `key` (by default the key in ``UserKeyContext``).
    /// - Throws: ``UserKeyError`` without a usable key, ``DecryptionError`` when the key does not open it.
    public func decrypt(key: UserKey? = nil) throws -> String {
        try UserKeyContext.resolve(key).makeEncrypter().decryptString(ciphertext)
    }
}
