/// A column written by Eloquent's `encrypted:array`, `encrypted:json`, `encrypted:object` or
/// `encrypted:collection` cast: `Crypt::encryptString(json_encode($value))` with PHP's default
/// flags (`/` escaped as `\/`, non-ASCII as `\u00fc`), read back with `json_decode`.
///
/// `Value` is any `Codable` type whose shape matches the JSON: a struct for an object, an array
/// for a list, `[String: …]` for an associative array. Like ``EncryptedString`` it decrypts only
/// when asked.
///
/// ```swift
/// struct User: Codable { var id: Int64; var settings: EncryptedJSON<Settings> }
/// let settings = try user.settings.decrypt(with: crypt)
/// ```
public struct EncryptedJSON<Value: Codable & Sendable>: EncryptedColumnValue {
    /// The stored column text.
    public let ciphertext: String

    /// A value from its stored text, as read from the database.
    public init(ciphertext: String) {
        self.ciphertext = ciphertext
    }

    /// Encodes `value` as PHP's `json_encode` does and encrypts the JSON text.
    /// - Throws: ``EncryptionError`` (``EncryptionError/jsonEncodingFailed(_:)`` for a value JSON cannot hold).
    public init(sealing value: Value, with encrypter: some Encrypter) throws {
        ciphertext = try encrypter.encryptJSON(value, escapingUnicode: true)
    }

    /// Decrypts and decodes the value.
    /// - Throws: ``DecryptionError``; ``DecryptionError/jsonDecodingFailed(_:)`` when the JSON does
    ///   not have `Value`'s shape.
    public func decrypt(with encrypter: some Encrypter) throws -> Value {
        try encrypter.decryptJSON(ciphertext, as: Value.self)
    }
}
