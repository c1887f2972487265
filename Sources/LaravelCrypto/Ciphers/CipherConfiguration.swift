/// A cipher with its keys and options: everything needed to build one ``Encrypter``.
public struct CipherConfiguration: Sendable, CustomStringConvertible {
    /// The cipher.
    public let cipher: Cipher
    /// The current key (writes) and previous keys (still read).
    public let keys: KeyRing
    /// Format options (legacy laravel-crypto payloads, laravel-crypto's wrapping of `aes-*`).
    public let options: EncrypterOptions

    /// A configuration from keys you already hold.
    public init(cipher: Cipher, keys: KeyRing, options: EncrypterOptions = EncrypterOptions()) {
        self.cipher = cipher
        self.keys = keys
        self.options = options
    }

    /// A configuration from `APP_KEY` / `APP_PREVIOUS_KEYS`-style strings, read in the format the
    /// cipher's owner uses (see ``Cipher/keyTextFormat(options:)``).
    /// - Throws: ``KeyError`` naming what was malformed.
    public init(
        cipher: Cipher, key: String, previousKeys: [String] = [], options: EncrypterOptions = EncrypterOptions()
    ) throws(KeyError) {
        self.init(
            cipher: cipher, keys: try cipher.keyRing(key: key, previousKeys: previousKeys, options: options),
            options: options)
    }

    /// Builds the encrypter.
    /// - Throws: ``KeyError`` for a wrongly sized key, ``CipherError`` when the cipher cannot run here.
    public func makeEncrypter() throws -> any Encrypter {
        try cipher.makeEncrypter(keyRing: keys, options: options)
    }

    /// The encrypter, typed as a decrypter that can say which key opened a payload.
    func makeKeyReportingEncrypter() throws -> any KeyReportingDecrypter {
        try cipher.makeKeyReportingEncrypter(keyRing: keys, options: options)
    }

    /// The cipher and how many keys, never the keys.
    public var description: String { "CipherConfiguration(\(cipher.rawValue), \(keys))" }
}
