import LaravelCrypto

/// What `crypto-keys` generated and where; secret values are carried only for `--show`.
public struct KeyGenerationReport: Sendable {
    /// One generated environment variable.
    public struct Variable: Sendable {
        /// `APP_KEY`, `CRYPTO_FILE_ENCRYPTION_KEY`, …
        public let name: String
        /// Key size in bytes.
        public let byteCount: Int
        /// `created` (there was none), `rotated` (the old one became a previous key) or `replaced`.
        public let action: String
        /// The previous-keys variable and how many keys it now lists (rotated keys only).
        public let previous: (name: String, count: Int)?
        /// The `base64:` value: a secret.
        public let value: String
    }

    /// The generated EdDSA key pair and its file.
    public struct EdDSA: Sendable {
        /// Where the key file is (or would be) written.
        public let path: String
        /// `created` or `replaced`.
        public let action: String
        /// The key pair (its secret half is printed only with `--show`).
        public let keyPair: Ed25519KeyPair
    }

    /// The environment file.
    public let environmentFile: String
    /// The cipher `APP_KEY` was sized for.
    public let cipher: Cipher
    /// Whether files were written (false with `--show`).
    public let written: Bool
    /// Generated variables, in generation order.
    public let variables: [Variable]
    /// The EdDSA key pair, unless skipped.
    public let eddsa: EdDSA?
    /// Whether `APP_CIPHER` is missing from the file although the cipher is not the loaders' default.
    public let cipherNotRecorded: Bool
}
