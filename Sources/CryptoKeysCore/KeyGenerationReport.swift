import LaravelCrypto

/// What `crypto-keys` generated and where; secret values are carried only for `--show`.
package struct KeyGenerationReport: Sendable {
    /// One generated environment variable.
    package struct Variable: Sendable {
        /// `APP_KEY`, `CRYPTO_FILE_ENCRYPTION_KEY`, …
        package let name: String
        /// Key size in bytes.
        package let byteCount: Int
        /// `created` (there was none), `rotated` (the old one became a previous key) or `replaced`.
        package let action: String
        /// The previous-keys variable and how many keys it now lists (rotated keys only).
        package let previous: (name: String, count: Int)?
        /// The `base64:` value: a secret.
        package let value: String
    }

    /// The generated EdDSA key pair and its file.
    package struct EdDSA: Sendable {
        /// Where the key file is (or would be) written.
        package let path: String
        /// `created` or `replaced`.
        package let action: String
        /// The key pair (its secret half is printed only with `--show`).
        package let keyPair: Ed25519KeyPair
    }

    /// The environment file.
    package let environmentFile: String
    /// The cipher `APP_KEY` was sized for.
    package let cipher: Cipher
    /// Whether files were written (false with `--show`).
    package let written: Bool
    /// Generated variables, in generation order.
    package let variables: [Variable]
    /// The EdDSA key pair, unless skipped.
    package let eddsa: EdDSA?
    /// Whether `APP_CIPHER` is missing from the file although the cipher is not the loaders' default.
    package let cipherNotRecorded: Bool
}
