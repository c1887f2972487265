internal import COpenSSL

/// An AES key prepared once for Laravel's envelope: OpenSSL cipher contexts keyed at creation,
/// kept in a ``ContextPool`` per direction and restarted with each payload's IV. A fresh context per
/// payload (new, key schedule, free with `OPENSSL_cleanse`) was most of a 1 KiB payload's time.
///
/// The expanded key schedule is key-equivalent: it lives in OpenSSL's memory for as long as the
/// key does and `EVP_CIPHER_CTX_free` cleanses every context when the pools are released.
package final class PreparedAESKey: Sendable {
    package var aes: OpenSSLAES { handle.aes }
    /// The key as plain pointers, for hot paths shared by many threads; valid while `self` is.
    let handle: Handle
    /// Contexts keyed for each direction (CBC decryption needs its own key schedule); they own
    /// what ``handle`` points to.
    private let encrypting: ContextPool
    private let decrypting: ContextPool

    /// Keys both directions; throws when OpenSSL cannot or the key has the wrong size.
    package init(_ aes: OpenSSLAES, key: UnsafeRawBufferPointer) throws(PrimitiveError) {
        guard key.count == aes.keyByteCount else {
            throw .invalidLength(what: "key", expected: aes.keyByteCount, actual: key.count)
        }
        func pool(encrypt: Bool) throws(PrimitiveError) -> ContextPool {
            guard let context = EVP_CIPHER_CTX_new() else { throw .callFailed("EVP_CIPHER_CTX_new") }
            guard EVP_CipherInit_ex(context, aes.evpCipher, nil, pointer(key), nil, encrypt ? 1 : 0) == 1 else {
                EVP_CIPHER_CTX_free(context)
                throw .callFailed("EVP_CipherInit_ex")
            }
            return ContextPool(template: context, kind: .cipher)
        }
        encrypting = try pool(encrypt: true)
        decrypting = try pool(encrypt: false)
        handle = Handle(aes: aes, encrypting: encrypting.handle, decrypting: decrypting.handle)
    }

    /// CBC over whole blocks (no padding); see ``Handle/cbc(encrypt:_:iv:into:)``.
    package func cbc(
        encrypt: Bool, _ input: UnsafeRawBufferPointer, iv: UnsafeRawBufferPointer,
        into output: UnsafeMutableRawBufferPointer
    ) throws(PrimitiveError) {
        try handle.cbc(encrypt: encrypt, input, iv: iv, into: output)
    }

    /// GCM encryption; see ``Handle/gcmSeal(_:iv:ciphertext:tag:)``.
    package func gcmSeal(
        _ plaintext: UnsafeRawBufferPointer, iv: UnsafeRawBufferPointer, ciphertext: UnsafeMutableRawBufferPointer,
        tag: UnsafeMutableRawBufferPointer
    ) throws(PrimitiveError) {
        try handle.gcmSeal(plaintext, iv: iv, ciphertext: ciphertext, tag: tag)
    }

    /// GCM decryption; see ``Handle/gcmOpen(_:tag:iv:into:)``.
    package func gcmOpen(
        _ ciphertext: UnsafeRawBufferPointer, tag: UnsafeRawBufferPointer, iv: UnsafeRawBufferPointer,
        into plaintext: UnsafeMutableRawBufferPointer
    ) throws(PrimitiveError) {
        try handle.gcmOpen(ciphertext, tag: tag, iv: iv, into: plaintext)
    }
}

extension PreparedAESKey {
    /// A ``PreparedAESKey``'s cipher and context pools as a trivial value: copying it and calling
    /// it touch no reference count. Valid while that key is alive.
    struct Handle: Sendable {
        let aes: OpenSSLAES
        fileprivate let encrypting: ContextPool.Handle
        fileprivate let decrypting: ContextPool.Handle

        /// CBC over whole blocks (no padding); `input.count` must be a multiple of 16 and equal `output.count`.
        func cbc(
            encrypt: Bool, _ input: UnsafeRawBufferPointer, iv: UnsafeRawBufferPointer,
            into output: UnsafeMutableRawBufferPointer
        ) throws(PrimitiveError) {
            guard iv.count == 16 else { throw .invalidLength(what: "iv", expected: 16, actual: iv.count) }
            guard input.count % 16 == 0, output.count == input.count, input.count < Int(Int32.max) else {
                throw .invalidLength(what: "ciphertext", expected: input.count - input.count % 16, actual: input.count)
            }
            try (encrypt ? encrypting : decrypting).withContext(
                orThrow: PrimitiveError.callFailed("EVP_CIPHER_CTX_copy")
            ) {
                context throws(PrimitiveError) in
                guard EVP_CipherInit_ex(context, nil, nil, nil, pointer(iv), encrypt ? 1 : 0) == 1,
                    EVP_CIPHER_CTX_set_padding(context, 0) == 1
                else { throw .callFailed("EVP_CipherInit_ex") }
                guard input.count > 0, let out = output.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
                var written: Int32 = 0
                guard EVP_CipherUpdate(context, out, &written, pointer(input), Int32(input.count)) == 1,
                    Int(written) == input.count
                else { throw .callFailed("EVP_CipherUpdate") }
            }
        }

        /// GCM with a 12-byte IV, no associated data and a 16-byte tag.
        func gcmSeal(
            _ plaintext: UnsafeRawBufferPointer, iv: UnsafeRawBufferPointer, ciphertext: UnsafeMutableRawBufferPointer,
            tag: UnsafeMutableRawBufferPointer
        ) throws(PrimitiveError) {
            guard tag.count == 16, let tagAddress = tag.baseAddress else {
                throw .invalidLength(what: "tag", expected: 16, actual: tag.count)
            }
            try gcm(encrypt: true, plaintext, iv: iv, into: ciphertext, tag: tagAddress)
        }

        /// Verifies the 16-byte `tag` and decrypts; ``PrimitiveError/authenticationFailed`` on mismatch
        /// (the output is then wiped).
        func gcmOpen(
            _ ciphertext: UnsafeRawBufferPointer, tag: UnsafeRawBufferPointer, iv: UnsafeRawBufferPointer,
            into plaintext: UnsafeMutableRawBufferPointer
        ) throws(PrimitiveError) {
            guard tag.count == 16, let tagAddress = tag.baseAddress else {
                throw .invalidLength(what: "tag", expected: 16, actual: tag.count)
            }
            try gcm(
                encrypt: false, ciphertext, iv: iv, into: plaintext, tag: UnsafeMutableRawPointer(mutating: tagAddress))
        }

        /// One GCM pass in either direction: the tag is read from `tag` when decrypting (and checked by
        /// the final call) and written to it when encrypting.
        private func gcm(
            encrypt: Bool, _ input: UnsafeRawBufferPointer, iv: UnsafeRawBufferPointer,
            into output: UnsafeMutableRawBufferPointer,
            tag: UnsafeMutableRawPointer
        ) throws(PrimitiveError) {
            guard iv.count == 12 else { throw .invalidLength(what: "iv", expected: 12, actual: iv.count) }
            guard output.count == input.count, input.count < Int(Int32.max) else {
                throw .invalidLength(what: "output", expected: input.count, actual: output.count)
            }
            try (encrypt ? encrypting : decrypting).withContext(
                orThrow: PrimitiveError.callFailed("EVP_CIPHER_CTX_copy")
            ) {
                context throws(PrimitiveError) in
                guard EVP_CipherInit_ex(context, nil, nil, nil, pointer(iv), encrypt ? 1 : 0) == 1 else {
                    throw .callFailed("EVP_CipherInit_ex")
                }
                var written: Int32 = 0
                if input.count > 0 {
                    guard
                        EVP_CipherUpdate(context, nonNullPointer(output), &written, pointer(input), Int32(input.count))
                            == 1
                    else {
                        throw .callFailed("EVP_CipherUpdate")
                    }
                }
                var final: UInt8 = 0
                if encrypt {
                    guard EVP_CipherFinal_ex(context, &final, &written) == 1,
                        EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, 16, tag) == 1
                    else { throw .callFailed("AES-GCM tag") }
                } else {
                    guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, 16, tag) == 1 else {
                        throw .callFailed("EVP_CTRL_GCM_SET_TAG")
                    }
                    guard EVP_CipherFinal_ex(context, &final, &written) == 1 else {
                        SodiumMemory.zero(output)
                        throw .authenticationFailed
                    }
                }
            }
        }
    }
}
