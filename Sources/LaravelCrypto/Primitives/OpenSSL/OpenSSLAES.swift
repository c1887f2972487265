internal import COpenSSL

/// The four AES variants of Laravel's envelope from OpenSSL's libcrypto (libsodium has neither
/// AES-CBC nor AES-128-GCM); the calls themselves are in ``PreparedAESKey``.
package enum OpenSSLAES: Sendable, BitwiseCopyable {
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
        case .cbc128: Self.fetchedCbc128.pointer
        case .cbc256: Self.fetchedCbc256.pointer
        case .gcm128: Self.fetchedGcm128.pointer
        case .gcm256: Self.fetchedGcm256.pointer
        }
    }

    // The four ciphers, fetched from OpenSSL's default provider once (an implicit fetch on every
    // `EVP_CipherInit_ex` looks the algorithm up by name each time: a tenth of a 1 KiB payload
    // when measured, `docs/benchmarks.md`).
    private static let fetchedCbc128 = FetchedAlgorithm(EVP_CIPHER_fetch(nil, "AES-128-CBC", nil))
    private static let fetchedCbc256 = FetchedAlgorithm(EVP_CIPHER_fetch(nil, "AES-256-CBC", nil))
    private static let fetchedGcm128 = FetchedAlgorithm(EVP_CIPHER_fetch(nil, "AES-128-GCM", nil))
    private static let fetchedGcm256 = FetchedAlgorithm(EVP_CIPHER_fetch(nil, "AES-256-GCM", nil))
}

/// An algorithm object fetched from OpenSSL's provider once and kept for the life of the process
/// (never freed).
///
/// `@unchecked Sendable`: the pointer never changes, and OpenSSL documents fetched algorithm
/// objects (`EVP_CIPHER`, `EVP_MAC`) as immutable and shareable across threads.
struct FetchedAlgorithm: @unchecked Sendable {
    /// The object, or `nil` if the provider does not have the algorithm.
    let pointer: OpaquePointer?

    init(_ pointer: OpaquePointer?) { self.pointer = pointer }
}

/// Facts about the linked libcrypto.
package enum OpenSSLInfo {
    /// `OpenSSL_version(OPENSSL_VERSION)`.
    package static var versionText: String {
        OpenSSL_version(OPENSSL_VERSION).map { String(cString: $0) } ?? "OpenSSL (unknown version)"
    }
}
