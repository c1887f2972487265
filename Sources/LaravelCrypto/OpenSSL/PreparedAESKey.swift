internal import COpenSSL

/// An AES key prepared once for Laravel's envelope: OpenSSL cipher contexts keyed at creation,
/// kept in a ``ContextPool`` per direction and restarted with each payload's IV. A fresh context per
/// payload (new, key schedule, free with `OPENSSL_cleanse`) was most of a 1 KiB payload's time.
///
/// The expanded key schedule is key-equivalent: it lives in OpenSSL's memory for as long as the
/// encrypter does and `EVP_CIPHER_CTX_free` cleanses every context when the last holder goes.
package final class PreparedAESKey: Sendable {
    package let aes: OpenSSLAES
    /// Contexts keyed for each direction (CBC decryption needs its own key schedule).
    private let encrypting: ContextPool
    private let decrypting: ContextPool

    /// Keys both directions; throws when OpenSSL cannot or the key has the wrong size.
    package init(_ aes: OpenSSLAES, key: UnsafeRawBufferPointer) throws(SodiumError) {
        guard key.count == aes.keyByteCount else { throw .invalidLength(what: "key", expected: aes.keyByteCount, actual: key.count) }
        func pool(encrypt: Bool) throws(SodiumError) -> ContextPool {
            guard let context = EVP_CIPHER_CTX_new() else { throw .callFailed("EVP_CIPHER_CTX_new") }
            guard EVP_CipherInit_ex(context, aes.evpCipher, nil, pointer(key), nil, encrypt ? 1 : 0) == 1 else {
                EVP_CIPHER_CTX_free(context)
                throw .callFailed("EVP_CipherInit_ex")
            }
            return ContextPool(
                template: context,
                copy: { template in
                    guard let copy = EVP_CIPHER_CTX_new() else { return nil }
                    guard EVP_CIPHER_CTX_copy(copy, template) == 1 else {
                        EVP_CIPHER_CTX_free(copy)
                        return nil
                    }
                    return copy
                },
                free: { EVP_CIPHER_CTX_free($0) })
        }
        self.aes = aes
        encrypting = try pool(encrypt: true)
        decrypting = try pool(encrypt: false)
    }

    /// CBC over whole blocks (no padding); `input.count` must be a multiple of 16 and equal `output.count`.
    package func cbc(
        encrypt: Bool, _ input: UnsafeRawBufferPointer, iv: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) throws(SodiumError) {
        guard iv.count == 16 else { throw .invalidLength(what: "iv", expected: 16, actual: iv.count) }
        guard input.count % 16 == 0, output.count == input.count, input.count < Int(Int32.max) else {
            throw .invalidLength(what: "ciphertext", expected: input.count - input.count % 16, actual: input.count)
        }
        try (encrypt ? encrypting : decrypting).withContext(orThrow: SodiumError.callFailed("EVP_CIPHER_CTX_copy")) {
            context throws(SodiumError) in
            guard EVP_CipherInit_ex(context, nil, nil, nil, pointer(iv), encrypt ? 1 : 0) == 1,
                EVP_CIPHER_CTX_set_padding(context, 0) == 1
            else { throw .callFailed("EVP_CipherInit_ex") }
            guard input.count > 0, let out = output.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
            var written: Int32 = 0
            guard EVP_CipherUpdate(context, out, &written, pointer(input), Int32(input.count)) == 1, Int(written) == input.count
            else { throw .callFailed("EVP_CipherUpdate") }
        }
    }

    /// GCM with a 12-byte IV, no associated data and a 16-byte tag.
    package func gcmSeal(
        _ plaintext: UnsafeRawBufferPointer, iv: UnsafeRawBufferPointer, ciphertext: UnsafeMutableRawBufferPointer,
        tag: UnsafeMutableRawBufferPointer
    ) throws(SodiumError) {
        try checkGCM(iv: iv, count: plaintext.count, output: ciphertext.count)
        guard tag.count == 16 else { throw .invalidLength(what: "tag", expected: 16, actual: tag.count) }
        try encrypting.withContext(orThrow: SodiumError.callFailed("EVP_CIPHER_CTX_copy")) { context throws(SodiumError) in
            guard EVP_CipherInit_ex(context, nil, nil, nil, pointer(iv), 1) == 1 else { throw .callFailed("EVP_CipherInit_ex") }
            var written: Int32 = 0
            if plaintext.count > 0, let out = ciphertext.baseAddress?.assumingMemoryBound(to: UInt8.self) {
                guard EVP_EncryptUpdate(context, out, &written, pointer(plaintext), Int32(plaintext.count)) == 1 else {
                    throw .callFailed("EVP_EncryptUpdate")
                }
            }
            var final: UInt8 = 0
            guard EVP_EncryptFinal_ex(context, &final, &written) == 1,
                EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, 16, tag.baseAddress) == 1
            else { throw .callFailed("AES-GCM tag") }
        }
    }

    /// Verifies the 16-byte `tag` and decrypts; ``SodiumError/authenticationFailed`` on mismatch
    /// (the output is then wiped).
    package func gcmOpen(
        _ ciphertext: UnsafeRawBufferPointer, tag: UnsafeRawBufferPointer, iv: UnsafeRawBufferPointer,
        into plaintext: UnsafeMutableRawBufferPointer
    ) throws(SodiumError) {
        try checkGCM(iv: iv, count: ciphertext.count, output: plaintext.count)
        guard tag.count == 16 else { throw .invalidLength(what: "tag", expected: 16, actual: tag.count) }
        try decrypting.withContext(orThrow: SodiumError.callFailed("EVP_CIPHER_CTX_copy")) { context throws(SodiumError) in
            guard EVP_CipherInit_ex(context, nil, nil, nil, pointer(iv), 0) == 1 else { throw .callFailed("EVP_CipherInit_ex") }
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
    }

    private func checkGCM(iv: UnsafeRawBufferPointer, count: Int, output: Int) throws(SodiumError) {
        guard iv.count == 12 else { throw .invalidLength(what: "iv", expected: 12, actual: iv.count) }
        guard output == count, count < Int(Int32.max) else { throw .invalidLength(what: "output", expected: count, actual: output) }
    }
}
