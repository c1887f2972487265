/// The two payload families, told apart from a payload's first characters without decoding it.
enum PayloadFormat: Sendable, Equatable {
    /// Laravel's base64 JSON envelope. PHP's `json_encode` starts it with `{"`, whose base64 is `eyJ`.
    case laravelEnvelope
    /// laravel-crypto's compact `base64url(nonce ‖ ciphertext ‖ tag)`, or its wrapped `aes-*` form.
    case compact

    /// The family `payload` most likely belongs to. A compact payload starts with `eyJ` by chance
    /// once in 2¹⁸; readers fall back to the other family when the likely one cannot parse it.
    static func detect(_ payload: String) -> PayloadFormat {
        payload.utf8.starts(with: "eyJ".utf8) ? .laravelEnvelope : .compact
    }

    /// The family a cipher configuration writes and reads.
    static func of(_ configuration: CipherConfiguration) -> PayloadFormat {
        configuration.cipher.isLaravelEnvelope && !configuration.options.usesLaravelCryptoWrapping
            ? .laravelEnvelope : .compact
    }
}
