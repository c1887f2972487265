internal import CSodium

/// Ed25519 from libsodium (`crypto_sign_*`): key pairs, detached signatures, verification.
enum SodiumSign {
    static let publicKeyByteCount = 32
    static let secretKeyByteCount = 64
    static let signatureByteCount = 64

    /// A fresh key pair: the public key and the 64-byte secret key (`seed ‖ public key`) in guarded memory.
    static func keyPair() throws(PrimitiveError) -> (publicKey: [UInt8], secretKey: SecureBuffer) {
        try Sodium.ensureReady()
        var publicKey = [UInt8](repeating: 0, count: publicKeyByteCount)
        var secret = [UInt8](repeating: 0, count: secretKeyByteCount)
        defer { SecureMemory.wipe(&secret) }
        guard crypto_sign_keypair(&publicKey, &secret) == 0 else { throw .callFailed("crypto_sign_keypair") }
        let buffer: SecureBuffer? = secret.withUnsafeBytes { try? SecureBuffer(copying: $0) }
        guard let buffer else { throw .callFailed("sodium_malloc") }
        return (publicKey, buffer)
    }

    /// The public key inside a 64-byte secret key, recomputed from its seed.
    static func publicKey(ofSecretKey secretKey: UnsafeRawBufferPointer) -> [UInt8]? {
        guard secretKey.count == secretKeyByteCount, let sk = pointer(secretKey) else { return nil }
        var publicKey = [UInt8](repeating: 0, count: publicKeyByteCount)
        return crypto_sign_ed25519_sk_to_pk(&publicKey, sk) == 0 ? publicKey : nil
    }

    /// A detached signature of `message`.
    static func sign(_ message: UnsafeRawBufferPointer, secretKey: UnsafeRawBufferPointer) throws(PrimitiveError)
        -> [UInt8]
    {
        guard secretKey.count == secretKeyByteCount, let sk = pointer(secretKey) else {
            throw .invalidLength(what: "secret key", expected: secretKeyByteCount, actual: secretKey.count)
        }
        var signature = [UInt8](repeating: 0, count: signatureByteCount)
        let status = crypto_sign_detached(&signature, nil, nonNullPointer(message), UInt64(message.count), sk)
        guard status == 0 else { throw .callFailed("crypto_sign_detached") }
        return signature
    }

    /// Whether `signature` is a valid Ed25519 signature of `message` under `publicKey`.
    static func verify(
        _ signature: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer, publicKey: UnsafeRawBufferPointer
    ) -> Bool {
        guard Sodium.isReady, signature.count == signatureByteCount, publicKey.count == publicKeyByteCount,
            let sig = pointer(signature), let pk = pointer(publicKey)
        else { return false }
        return crypto_sign_verify_detached(sig, nonNullPointer(message), UInt64(message.count), pk) == 0
    }
}
