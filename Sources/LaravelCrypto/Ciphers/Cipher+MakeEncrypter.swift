extension Cipher {
    /// Builds the encrypter for this cipher from `APP_KEY`/`APP_PREVIOUS_KEYS`-style strings.
    ///
    /// Key strings are read with ``keyTextFormat``; each entry of `previousKeys` may itself be a
    /// comma-separated list, as `APP_PREVIOUS_KEYS` is.
    /// - Throws: ``KeyError`` for a malformed or wrongly sized key, ``CipherError`` when the cipher
    ///   cannot run here (AEGIS on libsodium < 1.0.19, AES-256-GCM without hardware AES).
    public func makeEncrypter(
        key: String, previousKeys: [String] = [], options: EncrypterOptions = EncrypterOptions()
    ) throws -> any Encrypter {
        // laravel-crypto's wrapped form of Laravel's payload reads keys as laravel-crypto does.
        let format = options.usesLaravelCryptoWrapping ? KeyTextFormat.laravelCrypto : keyTextFormat
        return try makeEncrypter(
            keyRing: KeyRing(currentKey: key, previousKeys: previousKeys, format: format), options: options)
    }

    /// Builds the encrypter for this cipher from keys you already hold.
    /// - Throws: ``KeyError/invalidLength(cipher:expected:actual:)`` when a key has the wrong size,
    ///   ``CipherError`` when the cipher cannot run here.
    public func makeEncrypter(keyRing: KeyRing, options: EncrypterOptions = EncrypterOptions()) throws -> any Encrypter {
        if let algorithm = sodiumAlgorithm {
            return try SodiumEncrypter(cipher: self, algorithm: algorithm, keys: keyRing, options: options)
        }
        return try LaravelEncrypter(cipher: self, keys: keyRing, options: options)
    }
}
