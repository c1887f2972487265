extension Encrypter {
    /// Encrypts a value as JSON text, as Laravel's `encrypted:array`/`encrypted:json` casts do
    /// (`Crypt::encryptString(json_encode($value))`) or, with `escapingUnicode: false`,
    /// laravel-crypto's `UserEncryptedJson` cast (`JSON_UNESCAPED_UNICODE`).
    /// - Throws: ``EncryptionError/jsonEncodingFailed(_:)`` or ``EncryptionError``.
    public func encryptJSON(_ value: some Encodable, escapingUnicode: Bool = true) throws -> String {
        var json: [UInt8]
        do {
            json = try PHPJSONEncoder(escapesUnicode: escapingUnicode).encode(value)
        } catch {
            throw EncryptionError.jsonEncodingFailed(error)
        }
        defer { SecureMemory.wipe(&json) }
        return try encryptBytes(json)
    }

    /// Decrypts a payload made by ``encryptJSON(_:escapingUnicode:)`` or by PHP
    /// (`json_encode` then `Crypt::encryptString`) and decodes the JSON as `json_decode($json, true)`.
    /// - Throws: ``DecryptionError``; ``DecryptionError/jsonDecodingFailed(_:)`` when the plaintext is
    ///   not JSON of the shape `type` expects.
    public func decryptJSON<T: Decodable>(_ payload: String, as type: T.Type = T.self) throws -> T {
        var plaintext = try decryptBytes(payload)
        defer { SecureMemory.wipe(&plaintext) }
        do {
            return try PHPJSONDecoder().decode(type, from: plaintext)
        } catch {
            throw DecryptionError.jsonDecodingFailed(error)
        }
    }
}
