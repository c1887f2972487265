extension Cipher {
    /// What runs a cipher: a libsodium AEAD (laravel-crypto's compact payload) or OpenSSL AES
    /// (Laravel's JSON envelope). The one exhaustive cipher → backend map: a new ``Cipher`` case
    /// does not compile until it is added here, and every other fact about a cipher derives from it.
    enum Backend: Sendable {
        case sodium(SodiumAEAD)
        case laravel(OpenSSLAES)
    }

    /// The backend of this cipher.
    var backend: Backend {
        switch self {
        case .aegis256: .sodium(.aegis256)
        case .aegis128L: .sodium(.aegis128L)
        case .aes256GCM: .sodium(.aes256GCM)
        case .xChaCha20Poly1305: .sodium(.xChaCha20Poly1305)
        case .secretBox: .sodium(.secretBox)
        case .laravelAES128CBC: .laravel(.cbc128)
        case .laravelAES256CBC: .laravel(.cbc256)
        case .laravelAES128GCM: .laravel(.gcm128)
        case .laravelAES256GCM: .laravel(.gcm256)
        }
    }

    /// How key strings are read for this cipher with `options` — the one rule every way of building
    /// an encrypter uses (``makeEncrypter(key:previousKeys:options:)``, ``CipherConfiguration``,
    /// ``AppConfiguration``, ``MigrationEncrypter``): laravel-crypto's wrapped form of Laravel's
    /// payload reads keys as laravel-crypto does, otherwise ``keyTextFormat``.
    public func keyTextFormat(options: EncrypterOptions) -> KeyTextFormat {
        options.usesLaravelCryptoWrapping ? .laravelCrypto : keyTextFormat
    }

    /// The key ring of `APP_KEY` / `APP_PREVIOUS_KEYS`-style strings for this cipher and `options`.
    /// - Throws: ``KeyError`` naming what was malformed.
    public func keyRing(key: String, previousKeys: [String] = [], options: EncrypterOptions = EncrypterOptions())
        throws(KeyError) -> KeyRing
    {
        try KeyRing(currentKey: key, previousKeys: previousKeys, format: keyTextFormat(options: options))
    }
}
