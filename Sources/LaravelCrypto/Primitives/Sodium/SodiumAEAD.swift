internal import CSodium

/// Every authenticated cipher laravel-crypto uses, behind one seal and one open over raw buffers.
///
/// `body` is exactly what PHP's matching `sodium_crypto_*` function returns: `ciphertext ‖ tag`
/// for the AEADs and `tag ‖ ciphertext` for SecretBox (XSalsa20-Poly1305), which takes no
/// associated data. Every length is checked before libsodium sees a pointer.
package enum SodiumAEAD: Sendable, CaseIterable {
    case aegis256
    case aegis128L
    case aes256GCM
    case xChaCha20Poly1305
    case secretBox

    /// Key size in bytes (laravel-crypto spec §0.1).
    var keyByteCount: Int {
        switch self {
        case .aegis128L: 16
        case .aegis256, .aes256GCM, .xChaCha20Poly1305, .secretBox: 32
        }
    }

    /// Nonce size in bytes.
    package var nonceByteCount: Int {
        switch self {
        case .aegis256: 32
        case .aegis128L: 16
        case .aes256GCM: 12
        case .xChaCha20Poly1305, .secretBox: 24
        }
    }

    /// Tag size in bytes: AEGIS uses its 256-bit tag.
    package var tagByteCount: Int {
        switch self {
        case .aegis256, .aegis128L: 32
        case .aes256GCM, .xChaCha20Poly1305, .secretBox: 16
        }
    }

    /// Whether the cipher authenticates associated data (SecretBox does not).
    package var acceptsAssociatedData: Bool { self != .secretBox }

    /// Why the cipher cannot run here, or `nil` when it can.
    package var unavailabilityReason: String? {
        guard Sodium.isReady else { return "libsodium could not be initialised" }
        switch self {
        case .aegis256, .aegis128L:
            return Sodium.hasAEGIS
                ? nil
                : "AEGIS needs libsodium ≥ 1.0.19, but \(Sodium.versionString) is linked. Install a newer libsodium "
                    + "(your system's libsodium-dev or Homebrew's libsodium) or build one with LaravelCrypto's "
                    + "scripts/build-libsodium.sh, point PKG_CONFIG_PATH at it and rebuild (README: \"Using "
                    + "LaravelCrypto in "
                    + "your package\"); every other cipher works with this libsodium"
        case .aes256GCM:
            return Sodium.hasHardwareAES256GCM
                ? nil : "libsodium's AES-256-GCM needs a CPU with hardware AES (AES-NI/PCLMUL or ARMv8 crypto)"
        case .xChaCha20Poly1305, .secretBox:
            return nil
        }
    }

    /// Encrypts `plaintext` into `body` (`plaintext.count + tagByteCount` bytes).
    package func seal(
        _ plaintext: UnsafeRawBufferPointer,
        associatedData ad: UnsafeRawBufferPointer,
        nonce: UnsafeRawBufferPointer,
        key: UnsafeRawBufferPointer,
        into body: UnsafeMutableRawBufferPointer
    ) throws(PrimitiveError) {
        try checkSizes(key: key, nonce: nonce, ad: ad)
        guard body.count == plaintext.count + tagByteCount else {
            throw .invalidLength(what: "ciphertext", expected: plaintext.count + tagByteCount, actual: body.count)
        }
        // body always holds the tag, so it is never empty.
        guard let c = body.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            throw .invalidLength(what: "ciphertext", expected: tagByteCount, actual: 0)
        }
        guard let n = pointer(nonce), let k = pointer(key) else {
            throw .invalidLength(what: "key", expected: keyByteCount, actual: 0)
        }
        let a = pointer(ad)
        let mlen = UInt64(plaintext.count), adlen = UInt64(ad.count)
        let m = nonNullPointer(plaintext)
        let rc: Int32
        switch self {
        case .aegis256: rc = lc_aegis256_encrypt(c, m, mlen, a, adlen, n, k)
        case .aegis128L: rc = lc_aegis128l_encrypt(c, m, mlen, a, adlen, n, k)
        case .aes256GCM: rc = crypto_aead_aes256gcm_encrypt(c, nil, m, mlen, a, adlen, nil, n, k)
        case .xChaCha20Poly1305: rc = crypto_aead_xchacha20poly1305_ietf_encrypt(c, nil, m, mlen, a, adlen, nil, n, k)
        case .secretBox: rc = crypto_secretbox_detached(c + tagByteCount, c, m, mlen, n, k)
        }
        guard rc == 0 else { throw .callFailed("\(self) encryption") }
    }

    /// Verifies and decrypts `body` into `plaintext` (`body.count - tagByteCount` bytes).
    ///
    /// Throws ``PrimitiveError/authenticationFailed`` when the tag does not verify; nothing is
    /// written that the caller may use in that case.
    package func open(
        _ body: UnsafeRawBufferPointer,
        associatedData ad: UnsafeRawBufferPointer,
        nonce: UnsafeRawBufferPointer,
        key: UnsafeRawBufferPointer,
        into plaintext: UnsafeMutableRawBufferPointer
    ) throws(PrimitiveError) {
        try checkSizes(key: key, nonce: nonce, ad: ad)
        guard body.count >= tagByteCount else {
            throw .invalidLength(what: "ciphertext", expected: tagByteCount, actual: body.count)
        }
        guard plaintext.count == body.count - tagByteCount else {
            throw .invalidLength(what: "plaintext", expected: body.count - tagByteCount, actual: plaintext.count)
        }
        guard let c = pointer(body) else {
            throw .invalidLength(what: "ciphertext", expected: tagByteCount, actual: 0)
        }
        guard let n = pointer(nonce), let k = pointer(key) else {
            throw .invalidLength(what: "key", expected: keyByteCount, actual: 0)
        }
        let a = pointer(ad)
        let m = nonNullPointer(plaintext)
        let clen = UInt64(body.count), adlen = UInt64(ad.count)
        let rc: Int32
        switch self {
        case .aegis256: rc = lc_aegis256_decrypt(m, c, clen, a, adlen, n, k)
        case .aegis128L: rc = lc_aegis128l_decrypt(m, c, clen, a, adlen, n, k)
        case .aes256GCM: rc = crypto_aead_aes256gcm_decrypt(m, nil, nil, c, clen, a, adlen, n, k)
        case .xChaCha20Poly1305: rc = crypto_aead_xchacha20poly1305_ietf_decrypt(m, nil, nil, c, clen, a, adlen, n, k)
        case .secretBox: rc = crypto_secretbox_open_detached(m, c + tagByteCount, c, clen - UInt64(tagByteCount), n, k)
        }
        guard rc == 0 else { throw .authenticationFailed }
    }

    /// One bit per cipher that can run here, decided once per process: each call then checks one
    /// load instead of asking libsodium and the CPU again.
    private static let runnable: UInt8 = allCases.reduce(0) { mask, cipher in
        cipher.unavailabilityReason == nil ? mask | cipher.bit : mask
    }

    /// This cipher's bit in ``runnable``.
    private var bit: UInt8 {
        switch self {
        case .aegis256: 1
        case .aegis128L: 2
        case .aes256GCM: 4
        case .xChaCha20Poly1305: 8
        case .secretBox: 16
        }
    }

    private func checkSizes(
        key: UnsafeRawBufferPointer, nonce: UnsafeRawBufferPointer, ad: UnsafeRawBufferPointer
    ) throws(PrimitiveError) {
        guard Self.runnable & bit != 0 else { throw .unavailable(unavailabilityReason ?? "unavailable here") }
        guard key.count == keyByteCount else {
            throw .invalidLength(what: "key", expected: keyByteCount, actual: key.count)
        }
        guard nonce.count == nonceByteCount else {
            throw .invalidLength(what: "nonce", expected: nonceByteCount, actual: nonce.count)
        }
        guard acceptsAssociatedData || ad.isEmpty else {
            throw .invalidLength(what: "associated data", expected: 0, actual: ad.count)
        }
    }
}
