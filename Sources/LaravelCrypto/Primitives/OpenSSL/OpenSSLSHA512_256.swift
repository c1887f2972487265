internal import COpenSSL

/// FIPS SHA-512/256 (SHA-512 with its own initial values, cut to 32 bytes) from OpenSSL's libcrypto:
/// libsodium has none. laravel-crypto's `Sha256` hasher is this function (`hash('sha512/256')`).
final class OpenSSLSHA512_256 {
    static let byteCount = 32
    private let context: OpaquePointer?

    init() {
        context = EVP_MD_CTX_new()
        if let context, EVP_DigestInit_ex(context, EVP_sha512_256(), nil) != 1 {
            EVP_MD_CTX_free(context)
        }
    }

    deinit {
        EVP_MD_CTX_free(context)
    }

    func update(_ bytes: UnsafeRawBufferPointer) {
        guard let context, let base = bytes.baseAddress, bytes.count > 0 else { return }
        EVP_DigestUpdate(context, base, bytes.count)
    }

    /// The digest (32 bytes), or `nil` if OpenSSL failed.
    func finalize() -> [UInt8]? {
        guard let context else { return nil }
        var out = [UInt8](repeating: 0, count: Self.byteCount)
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(context, &out, &length) == 1, length == UInt32(Self.byteCount) else { return nil }
        return out
    }

    /// `HMAC-SHA-512/256(key, message)` (32 bytes), as PHP's `hash_hmac('sha512/256', …, true)`.
    static func hmac(key: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: byteCount)
        var length: UInt32 = 0
        let result = out.withUnsafeMutableBufferPointer { digest in
            HMAC(
                EVP_sha512_256(), nonNullPointer(key), Int32(key.count), nonNullPointer(message), message.count,
                digest.baseAddress,
                &length)
        }
        return result != nil && length == UInt32(byteCount) ? out : nil
    }
}
