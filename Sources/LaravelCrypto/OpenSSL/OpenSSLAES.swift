internal import COpenSSL

/// The four AES variants of Laravel's envelope from OpenSSL's libcrypto (libsodium has neither
/// AES-CBC nor AES-128-GCM); the calls themselves are in ``PreparedAESKey``.
package enum OpenSSLAES: Sendable {
    case cbc128, cbc256, gcm128, gcm256

    /// The variant behind one of Laravel's `aes-*` ciphers; `nil` for the `Sodium_*` ones.
    package init?(laravelCipher cipher: Cipher) {
        switch cipher.backend {
        case .laravel(let aes): self = aes
        case .sodium: return nil
        }
    }

    /// GCM (authenticated, 12-byte IV, tag) rather than CBC (HMAC, 16-byte IV, padding).
    package var isGCM: Bool { self == .gcm128 || self == .gcm256 }

    var keyByteCount: Int {
        switch self {
        case .cbc128, .gcm128: 16
        case .cbc256, .gcm256: 32
        }
    }

    var evpCipher: OpaquePointer? {
        switch self {
        case .cbc128: Self.fetched.cbc128
        case .cbc256: Self.fetched.cbc256
        case .gcm128: Self.fetched.gcm128
        case .gcm256: Self.fetched.gcm256
        }
    }

    /// The four ciphers, fetched from OpenSSL's default provider once (an implicit fetch on every
    /// `EVP_CipherInit_ex` looks the algorithm up by name each time: a tenth of a 1 KiB payload
    /// when measured, `docs/benchmarks.md`).
    private static let fetched = FetchedCiphers()

    private final class FetchedCiphers: @unchecked Sendable {
        // Immutable after init; OpenSSL documents fetched algorithm objects as shareable across threads.
        let cbc128 = EVP_CIPHER_fetch(nil, "AES-128-CBC", nil)
        let cbc256 = EVP_CIPHER_fetch(nil, "AES-256-CBC", nil)
        let gcm128 = EVP_CIPHER_fetch(nil, "AES-128-GCM", nil)
        let gcm256 = EVP_CIPHER_fetch(nil, "AES-256-GCM", nil)
    }
}

/// Facts about the linked libcrypto.
package enum OpenSSLInfo {
    /// `OpenSSL_version(OPENSSL_VERSION)`.
    package static var versionText: String {
        OpenSSL_version(OPENSSL_VERSION).map { String(cString: $0) } ?? "OpenSSL (unknown version)"
    }
}
