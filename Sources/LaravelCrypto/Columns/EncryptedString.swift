/// A column written by Eloquent's `encrypted` cast: `Crypt::encryptString((string) $value)`.
///
/// The value holds the stored text and decrypts only when asked (``decrypt(with:)``), so fetching a
/// row costs no cryptography, a row saved back unchanged keeps its exact bytes, and a payload no
/// key opens surfaces as a typed error where the value is used instead of failing the whole fetch.
///
/// ```swift
/// struct Patient: Codable { var id: Int64; var notes: EncryptedString }   // one line per column
/// let notes = try patient.notes.decrypt(with: crypt)
/// patient.notes = try EncryptedString(sealing: "…", with: crypt)
/// ```
///
/// Use the app's encrypter (``CipherConfiguration/makeEncrypter()``) so rows written under a previous
/// key (`APP_PREVIOUS_KEYS`) still open, or a ``MigrationEncrypter`` during a cipher migration.
/// Encodes (`Codable`) as the stored text; GRDB and PostgresNIO conformances live in the
/// `LaravelCryptoGRDB` and `LaravelCryptoPostgres` products.
public struct EncryptedString: EncryptedColumnValue {
    /// The stored column text (a Laravel or laravel-crypto payload).
    public let ciphertext: String

    /// A value from its stored text, as read from the database.
    public init(ciphertext: String) {
        self.ciphertext = ciphertext
    }

    /// Encrypts `value` as the cast does on assignment.
    /// - Throws: ``EncryptionError``.
    public init(sealing value: String, with encrypter: some Encrypter) throws {
        ciphertext = try encrypter.encryptString(value)
    }

    /// The plaintext, as the cast returns it on read.
    /// - Throws: ``DecryptionError`` when no key of `encrypter` opens the payload.
    public func decrypt(with encrypter: some Encrypter) throws -> String {
        try encrypter.decryptString(ciphertext)
    }
}
