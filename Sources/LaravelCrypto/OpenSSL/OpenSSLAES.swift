internal import COpenSSL

/// AES-CBC (no padding: the caller pads and unpads in constant time) and AES-GCM from OpenSSL's
/// libcrypto, over raw buffers. libsodium has neither AES-CBC nor AES-128-GCM.
enum OpenSSLAES: Sendable {
    case cbc128, cbc256, gcm128, gcm256

    var keyByteCount: Int {
        switch self {
        case .cbc128, .gcm128: 16
        case .cbc256, .gcm256: 32
        }
    }

    private var cipher: OpaquePointer? {
        switch self {
        case .cbc128: Self.fetched.cbc128
        case .cbc256: Self.fetched.cbc256
        case .gcm128: Self.fetched.gcm128
        case .gcm256: Self.fetched.gcm256
        }
    }

    /// The four ciphers, fetched from OpenSSL's default provider once (an implicit fetch on every
    /// `EVP_CipherInit_ex` costs about 0.2 µs, a tenth of a 1 KiB payload).
    private static let fetched = FetchedCiphers()

    private final class FetchedCiphers: @unchecked Sendable {
        // Immutable after init; OpenSSL documents fetched algorithm objects as shareable across threads.
        let cbc128 = EVP_CIPHER_fetch(nil, "AES-128-CBC", nil)
        let cbc256 = EVP_CIPHER_fetch(nil, "AES-256-CBC", nil)
        let gcm128 = EVP_CIPHER_fetch(nil, "AES-128-GCM", nil)
        let gcm256 = EVP_CIPHER_fetch(nil, "AES-256-GCM", nil)
    }

    /// CBC over whole blocks, in one call: `input.count` must be a multiple of 16 and equal `output.count`.
    func cbc(
        encrypt: Bool, _ input: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer, iv: UnsafeRawBufferPointer,
        into output: UnsafeMutableRawBufferPointer
    ) throws(SodiumError) {
        guard key.count == keyByteCount else { throw .invalidLength(what: "key", expected: keyByteCount, actual: key.count) }
        guard iv.count == 16 else { throw .invalidLength(what: "iv", expected: 16, actual: iv.count) }
        guard input.count % 16 == 0, output.count == input.count else {
            throw .invalidLength(what: "ciphertext", expected: input.count - input.count % 16, actual: input.count)
        }
        guard let context = EVP_CIPHER_CTX_new() else { throw .callFailed("EVP_CIPHER_CTX_new") }
        defer { EVP_CIPHER_CTX_free(context) }
        guard EVP_CipherInit_ex(context, cipher, nil, pointer(key), pointer(iv), encrypt ? 1 : 0) == 1,
            EVP_CIPHER_CTX_set_padding(context, 0) == 1
        else { throw .callFailed("EVP_CipherInit_ex") }
        guard input.count > 0, let out = output.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        var written: Int32 = 0
        guard EVP_CipherUpdate(context, out, &written, pointer(input), Int32(input.count)) == 1,
            Int(written) == input.count
        else { throw .callFailed("EVP_CipherUpdate") }
    }

    /// GCM with no associated data and a 16-byte tag: `ciphertext.count == plaintext.count`.
    func gcmSeal(
        _ plaintext: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer, iv: UnsafeRawBufferPointer,
        ciphertext: UnsafeMutableRawBufferPointer, tag: UnsafeMutableRawBufferPointer
    ) throws(SodiumError) {
        let context = try gcmContext(encrypt: true, key: key, iv: iv, count: plaintext.count, output: ciphertext.count)
        defer { EVP_CIPHER_CTX_free(context) }
        var written: Int32 = 0
        if plaintext.count > 0, let out = ciphertext.baseAddress?.assumingMemoryBound(to: UInt8.self) {
            guard EVP_EncryptUpdate(context, out, &written, pointer(plaintext), Int32(plaintext.count)) == 1 else {
                throw .callFailed("EVP_EncryptUpdate")
            }
        }
        var final: UInt8 = 0
        guard EVP_EncryptFinal_ex(context, &final, &written) == 1, tag.count == 16,
            EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, 16, tag.baseAddress) == 1
        else { throw .callFailed("AES-GCM tag") }
    }

    /// Verifies the 16-byte `tag` and decrypts; throws ``SodiumError/authenticationFailed`` on mismatch.
    func gcmOpen(
        _ ciphertext: UnsafeRawBufferPointer, tag: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer,
        iv: UnsafeRawBufferPointer, into plaintext: UnsafeMutableRawBufferPointer
    ) throws(SodiumError) {
        guard tag.count == 16 else { throw .invalidLength(what: "tag", expected: 16, actual: tag.count) }
        let context = try gcmContext(encrypt: false, key: key, iv: iv, count: ciphertext.count, output: plaintext.count)
        defer { EVP_CIPHER_CTX_free(context) }
        var written: Int32 = 0
        if ciphertext.count > 0, let out = plaintext.baseAddress?.assumingMemoryBound(to: UInt8.self) {
            guard EVP_DecryptUpdate(context, out, &written, pointer(ciphertext), Int32(ciphertext.count)) == 1 else {
                throw .callFailed("EVP_DecryptUpdate")
            }
        }
        guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, 16, UnsafeMutableRawPointer(mutating: tag.baseAddress)) == 1
        else { throw .callFailed("EVP_CTRL_GCM_SET_TAG") }
        var final: UInt8 = 0
        guard EVP_DecryptFinal_ex(context, &final, &written) == 1 else {
            SodiumMemory.zero(plaintext)
            throw .authenticationFailed
        }
    }

    private func gcmContext(
        encrypt: Bool, key: UnsafeRawBufferPointer, iv: UnsafeRawBufferPointer, count: Int, output: Int
    ) throws(SodiumError) -> OpaquePointer {
        guard key.count == keyByteCount else { throw .invalidLength(what: "key", expected: keyByteCount, actual: key.count) }
        guard iv.count == 12 else { throw .invalidLength(what: "iv", expected: 12, actual: iv.count) }
        guard output == count, count < Int(Int32.max) else { throw .invalidLength(what: "output", expected: count, actual: output) }
        guard let context = EVP_CIPHER_CTX_new() else { throw .callFailed("EVP_CIPHER_CTX_new") }
        guard EVP_CipherInit_ex(context, cipher, nil, pointer(key), pointer(iv), encrypt ? 1 : 0) == 1 else {
            EVP_CIPHER_CTX_free(context)
            throw .callFailed("EVP_CipherInit_ex")
        }
        return context
    }
}

/// Facts about the linked libcrypto.
enum OpenSSLInfo {
    /// `OpenSSL_version(OPENSSL_VERSION)`.
    static var versionText: String {
        OpenSSL_version(OPENSSL_VERSION).map { String(cString: $0) } ?? "OpenSSL (unknown version)"
    }
}
