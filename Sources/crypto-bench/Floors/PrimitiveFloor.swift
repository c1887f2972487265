import LaravelCrypto

/// The physical floor of a benchmark row: only the primitive calls a payload needs, on buffers
/// allocated once, with a fixed nonce and no encoding. For `crypto-bench` and `Benchmarks/`.
///
/// - `Sodium_*`: the libsodium AEAD (seal / open).
/// - `aes-*-cbc`: AES-CBC over the padded plaintext plus HMAC-SHA256 over the ciphertext (Laravel
///   MACs the base64 text, a third longer).
/// - `aes-*-gcm`: AES-GCM (seal / open).
package final class PrimitiveFloor {
    private let cipher: Cipher
    private let key: [UInt8]
    private let nonce: [UInt8]
    private let plaintext: [UInt8]
    private var sealed: [UInt8]
    private var opened: [UInt8]
    private var tag = [UInt8](repeating: 0, count: 32)
    /// `aes-*`: the HMAC and AES keys, prepared once as the encrypter prepares them.
    private let macKey: OpenSSLHMAC.PreparedKey
    private let aesKey: PreparedAESKey?

    /// Buffers for `plaintextCount` bytes under `cipher`, sealed once so ``open()`` has input.
    package init(cipher: Cipher, plaintextCount: Int) throws {
        self.cipher = cipher
        let key = (0..<cipher.keyByteCount).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        self.key = key
        plaintext = [UInt8](repeating: 0x61, count: plaintextCount)
        opened = [UInt8](repeating: 0, count: plaintextCount + 16)
        macKey = key.withUnsafeBytes { OpenSSLHMAC.PreparedKey($0) }
        aesKey = try OpenSSLAES(laravelCipher: cipher).map { aes in
            try key.withUnsafeBytes { key throws(PrimitiveError) in try PreparedAESKey(aes, key: key) }
        }
        if let algorithm = cipher.sodiumAlgorithm {
            if let reason = algorithm.unavailabilityReason {
                throw CipherError.unavailable(cipher: cipher, reason: reason)
            }
            nonce = [UInt8](repeating: 1, count: algorithm.nonceByteCount)
            sealed = [UInt8](repeating: 0, count: plaintextCount + algorithm.tagByteCount)
            opened = [UInt8](repeating: 0, count: plaintextCount)
        } else {
            let isCBC = cipher == .laravelAES128CBC || cipher == .laravelAES256CBC
            nonce = [UInt8](repeating: 1, count: isCBC ? 16 : 12)
            sealed = [UInt8](repeating: 0, count: isCBC ? (plaintextCount / 16 + 1) * 16 : plaintextCount)
            opened = [UInt8](repeating: 0, count: sealed.count)
        }
        try seal()
    }

    /// One encryption.
    package func seal() throws {
        try plaintext.withUnsafeBytes { p in
            try key.withUnsafeBytes { k in
                try nonce.withUnsafeBytes { n in
                    try sealed.withUnsafeMutableBytes { out in
                        try tag.withUnsafeMutableBytes { tag in
                            if let algorithm = cipher.sodiumAlgorithm {
                                let ad =
                                    algorithm.acceptsAssociatedData ? n : UnsafeRawBufferPointer(start: nil, count: 0)
                                try algorithm.seal(p, associatedData: ad, nonce: n, key: k, into: out)
                            } else if let aesKey, aesKey.aes.isGCM {
                                try aesKey.gcmSeal(
                                    p, iv: n, ciphertext: out, tag: UnsafeMutableRawBufferPointer(rebasing: tag[0..<16])
                                )
                            } else if let aesKey {
                                PKCS7.pad(p, into: out)
                                try aesKey.cbc(encrypt: true, UnsafeRawBufferPointer(out), iv: n, into: out)
                                macKey.sha256(first: n, second: UnsafeRawBufferPointer(out), into: tag)
                            }
                        }
                    }
                }
            }
        }
    }

    /// One verification and decryption of what ``seal()`` produced.
    package func open() throws {
        try sealed.withUnsafeBytes { c in
            try key.withUnsafeBytes { k in
                try nonce.withUnsafeBytes { n in
                    try opened.withUnsafeMutableBytes { out in
                        try tag.withUnsafeMutableBytes { tag in
                            if let algorithm = cipher.sodiumAlgorithm {
                                let ad =
                                    algorithm.acceptsAssociatedData ? n : UnsafeRawBufferPointer(start: nil, count: 0)
                                try algorithm.open(c, associatedData: ad, nonce: n, key: k, into: out)
                            } else if let aesKey, aesKey.aes.isGCM {
                                try aesKey.gcmOpen(
                                    c, tag: UnsafeRawBufferPointer(rebasing: tag[0..<16]), iv: n, into: out)
                            } else if let aesKey {
                                withUnsafeTemporaryAllocation(byteCount: 32, alignment: 8) { expected in
                                    macKey.sha256(first: n, second: c, into: expected)
                                    _ = SodiumMemory.constantTimeEquals(
                                        UnsafeRawBufferPointer(expected), UnsafeRawBufferPointer(tag))
                                }
                                try aesKey.cbc(encrypt: false, c, iv: n, into: out)
                                _ = PKCS7.unpaddedCount(UnsafeRawBufferPointer(out))
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Versions of the linked C libraries, for benchmark headers.
package enum LinkedLibraries {
    /// libsodium's version string, e.g. `1.0.20`.
    package static var sodiumVersion: String { Sodium.versionString }
    /// OpenSSL's version text, e.g. `OpenSSL 3.0.17 1 Jul 2025`.
    package static var openSSLVersion: String { OpenSSLInfo.versionText }
    /// Whether libsodium's AES-256-GCM runs (it needs hardware AES).
    package static var hasHardwareAES: Bool { Sodium.hasHardwareAES256GCM }
}

/// The two ways of drawing nonce bytes, for the benchmark's nonce-source line.
package enum NonceSources {
    /// One `randombytes_buf` call (a `getrandom` system call) for `count` bytes.
    package static func drawFromSystem(_ buffer: UnsafeMutableRawBufferPointer) {
        SodiumRandom.fill(buffer)
    }

    /// The pool the encrypters use (see `docs/random-numbers.md`).
    package static func drawFromPool(_ buffer: UnsafeMutableRawBufferPointer) {
        NoncePool.shared.fill(buffer)
    }
}
