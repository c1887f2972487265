extension UserKey {
    /// The encrypter for this user's values (spec §7.4): Laravel's own AES-256-CBC envelope under the
    /// user key, with no previous keys — what laravel-crypto's `UserEncrypter` and its `UserEncrypted`
    /// casts write, readable by `new Illuminate\Encryption\Encrypter($U, 'AES-256-CBC')`.
    ///
    /// For the `UserEncryptedJson` cast use ``Encrypter/encryptJSON(_:escapingUnicode:)`` with
    /// `escapingUnicode: false` on it.
    ///
    /// `options` can set ``EncrypterOptions/maximumPayloadByteCount``, so that values read from
    /// outside are refused above a size before any decoding.
    /// - Throws: ``UserKeyError/keyWiped`` for a wiped key, ``CipherError`` if OpenSSL cannot prepare the key.
    public func makeEncrypter(options: EncrypterOptions = EncrypterOptions()) throws -> any Encrypter {
        try storage.withUnsafeBytes { bytes in
            guard bytes.count == Self.byteCount else { throw UserKeyError.keyWiped }
            return try LaravelEncrypter(cipher: .laravelAES256CBC, key: bytes, options: options)
        }
    }
}
