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

    /// The longest payload text, in UTF-8 bytes, that decryption accepts; longer ones fail with
    /// ``DecryptionError/invalidPayload(reason:)`` before anything is decoded or allocated.
    /// `nil` (the default) accepts any length, as Laravel does.
    ///
    /// Set it where payloads come from outside (request bodies, cookies, queue messages) and
    /// their largest honest size is known: a 1 MiB limit bounds a decrypt to a few MiB of memory.
    public var maximumPayloadByteCount: Int?

    /// Options with the given choices (all off, and no payload size limit, by default).
    public init(
        readsLegacyEmptyAssociatedData: Bool = false, usesLaravelCryptoWrapping: Bool = false,
        maximumPayloadByteCount: Int? = nil
    ) {
        self.readsLegacyEmptyAssociatedData = readsLegacyEmptyAssociatedData
        self.usesLaravelCryptoWrapping = usesLaravelCryptoWrapping
        self.maximumPayloadByteCount = maximumPayloadByteCount
    }

    /// Refuses `payload` when it is longer than ``maximumPayloadByteCount``.
    func checkPayloadSize(_ payload: String) throws(DecryptionError) {
        guard let limit = maximumPayloadByteCount else { return }
        let count = payload.utf8.count
        if count > limit {
            throw .invalidPayload(
                reason: "it is \(count) bytes long, over the \(limit)-byte limit this encrypter was configured with")
        }
    }
}
