/// An encrypter that can say, as it decrypts, whether the payload is in its up-to-date form:
/// opened by the ring's **current** key, in the current format (for the `Sodium_*` ciphers: not
/// through the legacy empty associated data).
///
/// ``MigrationEncrypter`` uses it to decrypt a payload and learn whether it needs re-encryption
/// in one pass, trying each key once.
protocol KeyReportingDecrypter: Encrypter {
    /// Decrypts `payload` as ``Encrypter/decryptBytes(_:)`` does, and says whether the current
    /// key opened it in the current format.
    /// - Throws: ``DecryptionError``, as ``Encrypter/decryptBytes(_:)``.
    func decryptBytesReportingCurrentKey(_ payload: String) throws -> (plaintext: [UInt8], openedByCurrentKey: Bool)
}
