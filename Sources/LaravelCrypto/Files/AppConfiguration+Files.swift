extension AppConfiguration {
    /// The file driver laravel-crypto picks from `CRYPTO_FILE_ENCRYPTION_ALGORITHM`: `native` (with
    /// `APP_CIPHER`), `xsalsa-hmac`, and anything else — unset included — secretstream.
    /// - Throws: ``CipherError/unsupported(name:)`` for an unknown `APP_CIPHER` with `native`.
    public func fileDriver() throws -> FileEncrypter.Driver {
        switch variables["CRYPTO_FILE_ENCRYPTION_ALGORITHM"] ?? "" {
        case "native", "NativeFileEncrypter": .native(try cipher() ?? .aegis256)
        case "xsalsa-hmac", "XSalsaHmacFileEncrypter": .xsalsaHMAC
        default: .secretStream
        }
    }

    /// The file encrypter as laravel-crypto configures it: `CRYPTO_FILE_ENCRYPTION_KEY` (else
    /// `APP_KEY`) and `CRYPTO_FILE_ENCRYPTION_PREVIOUS_KEYS` (else `APP_PREVIOUS_KEYS`), with
    /// `driver` or ``fileDriver()``.
    /// - Throws: ``KeyError``, ``CipherError``.
    public func makeFileEncrypter(driver: FileEncrypter.Driver? = nil) throws -> FileEncrypter {
        func value(_ name: String, else fallback: String) -> String {
            let own = variables[name] ?? ""
            return own.isEmpty ? variables[fallback] ?? "" : own
        }
        return try FileEncrypter(
            driver: try driver ?? fileDriver(), key: value("CRYPTO_FILE_ENCRYPTION_KEY", else: "APP_KEY"),
            previousKeys: [value("CRYPTO_FILE_ENCRYPTION_PREVIOUS_KEYS", else: "APP_PREVIOUS_KEYS")])
    }
}
