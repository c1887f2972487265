/// Every cipher the package speaks, named as Laravel's `config/app.php` `cipher` names it.
///
/// The `Sodium_*` ciphers write laravel-crypto's compact payload
/// (`base64url(nonce ‖ ciphertext ‖ tag)`, the nonce also being the associated data). The
/// `aes-*` ciphers write Laravel's own base64 JSON envelope (`iv`, `value`, `mac`, `tag`): use
/// them for data shared with Laravel's native encrypter and prefer a `Sodium_*` cipher for new data.
public enum Cipher: String, CaseIterable, Sendable, Hashable {
    /// AEGIS-256 with a 256-bit tag (libsodium ≥ 1.0.19); 32-byte key, 32-byte nonce.
    case aegis256 = "Sodium_AEGIS256GCM"
    /// AEGIS-128L with a 256-bit tag (libsodium ≥ 1.0.19); 16-byte key, 16-byte nonce.
    case aegis128L = "Sodium_AEGIS128LGCM"
    /// AES-256-GCM (needs hardware AES); 32-byte key, 12-byte nonce.
    case aes256GCM = "Sodium_AES256GCM"
    /// XChaCha20-Poly1305 (IETF); 32-byte key, 24-byte nonce.
    case xChaCha20Poly1305 = "Sodium_XChaCha20Poly1305"
    /// XSalsa20-Poly1305 secretbox; 32-byte key, 24-byte nonce, tag before the ciphertext.
    case secretBox = "Sodium_SecretBox"
    /// Laravel's AES-128-CBC + HMAC-SHA256 envelope.
    case laravelAES128CBC = "aes-128-cbc"
    /// Laravel's AES-256-CBC + HMAC-SHA256 envelope (Laravel's default cipher).
    case laravelAES256CBC = "aes-256-cbc"
    /// Laravel's AES-128-GCM envelope.
    case laravelAES128GCM = "aes-128-gcm"
    /// Laravel's AES-256-GCM envelope.
    case laravelAES256GCM = "aes-256-gcm"

    /// Reads a cipher name the way its owner does: `Sodium_*` names exactly (case-sensitive, as
    /// laravel-crypto matches them), `aes-*` names in any case (as Laravel lowercases them).
    public init?(configName: String) {
        if let exact = Cipher(rawValue: configName) {
            self = exact
        } else if let laravel = Cipher(rawValue: configName.lowercased()), laravel.isLaravelEnvelope {
            self = laravel
        } else {
            return nil
        }
    }

    /// Reads a cipher name as ``init(configName:)`` does, for a name that must be known (an
    /// `APP_CIPHER` value, `config/app.php`'s `cipher`).
    /// - Throws: ``CipherError/unsupported(name:)`` for any other name.
    public init(named name: String) throws(CipherError) {
        guard let cipher = Cipher(configName: name) else { throw .unsupported(name: name) }
        self = cipher
    }

    /// Key size in bytes: 16 for AEGIS-128L and `aes-128-*`, 32 otherwise.
    public var keyByteCount: Int {
        switch backend {
        case .sodium(let algorithm): algorithm.keyByteCount
        case .laravel(let aes): aes.keyByteCount
        }
    }

    /// Whether payloads are Laravel's JSON envelope (`aes-*`) rather than laravel-crypto's compact form.
    public var isLaravelEnvelope: Bool {
        switch backend {
        case .sodium: false
        case .laravel: true
        }
    }

    /// How key strings are read for this cipher: hex fallback for `Sodium_*`, raw fallback for `aes-*`.
    public var keyTextFormat: KeyTextFormat { isLaravelEnvelope ? .laravel : .laravelCrypto }

    /// The libsodium primitive behind a `Sodium_*` cipher.
    package var sodiumAlgorithm: SodiumAEAD? {
        switch backend {
        case .sodium(let algorithm): algorithm
        case .laravel: nil
        }
    }

    /// Why this cipher cannot run on this machine, or `nil` when it can.
    public var unavailabilityReason: String? {
        sodiumAlgorithm?.unavailabilityReason ?? (Sodium.isReady ? nil : "libsodium could not be initialised")
    }
}
