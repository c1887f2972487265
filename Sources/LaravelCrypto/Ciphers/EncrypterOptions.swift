/// Choices an encrypter is built with; the defaults match laravel-crypto v3 and Laravel 11+.
public struct EncrypterOptions: Sendable, Equatable {
    /// `Sodium_*` ciphers: after the v3 format fails under every key, also try the v1.2/v2
    /// format (empty associated data instead of the nonce). New payloads are always v3.
    ///
    /// Off by default: turn it on only while data written by laravel-crypto 1.2 or 2.x remains.
    public var readsLegacyEmptyAssociatedData: Bool

    /// `aes-*` ciphers: read and write laravel-crypto's wrapped form of Laravel's envelope
    /// (`base64url(16 or 12 unused random bytes ‖ Laravel payload)`, spec §3.6) instead of
    /// Laravel's plain payload.
    public var usesLaravelCryptoWrapping: Bool

    /// Options with the given choices (all off by default).
    public init(readsLegacyEmptyAssociatedData: Bool = false, usesLaravelCryptoWrapping: Bool = false) {
        self.readsLegacyEmptyAssociatedData = readsLegacyEmptyAssociatedData
        self.usesLaravelCryptoWrapping = usesLaravelCryptoWrapping
    }
}
