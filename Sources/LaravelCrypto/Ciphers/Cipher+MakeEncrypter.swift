extension Cipher {
    /// Builds the encrypter for this cipher from `APP_KEY`/`APP_PREVIOUS_KEYS`-style strings.
    ///
    /// Key strings are read with ``keyTextFormat(options:)``; each entry of `previousKeys` may itself be a
    /// comma-separated list, as `APP_PREVIOUS_KEYS` is.
    /// - Throws: ``KeyError`` for a malformed or wrongly sized key, ``CipherError`` when the cipher
    ///   cannot run here (AEGIS on libsodium < 1.0.19, AES-256-GCM without hardware AES).
    public func makeEncrypter(
        key: String, previousKeys: [String] = [], options: EncrypterOptions = EncrypterOptions()
    ) throws -> any Encrypter {
        try makeEncrypter(keyRing: keyRing(key: key, previousKeys: previousKeys, options: options), options: options)
    }

    /// Builds the encrypter for this cipher from keys you already hold.
    /// - Throws: ``KeyError/invalidLength(for:expected:actual:)`` when a key has the wrong size,
    ///   ``CipherError`` when the cipher cannot run here.
    public func makeEncrypter(keyRing: KeyRing, options: EncrypterOptions = EncrypterOptions()) throws -> any Encrypter
    {
        try makeKeyReportingEncrypter(keyRing: keyRing, options: options)
    }

    /// The same encrypter, typed as what every built-in one is: a decrypter that can say which key
    /// opened a payload (``MigrationEncrypter`` relies on it).
    func makeKeyReportingEncrypter(keyRing: KeyRing, options: EncrypterOptions) throws -> any KeyReportingDecrypter {
        switch backend {
        case .sodium(let algorithm):
            return try SodiumEncrypter(cipher: self, algorithm: algorithm, keys: keyRing, options: options)
        case .laravel: return try LaravelEncrypter(cipher: self, keys: keyRing, options: options)
        }
    }
}
