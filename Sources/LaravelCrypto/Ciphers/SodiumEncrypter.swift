/// The five `Sodium_*` ciphers in laravel-crypto's v3 compact format.
///
/// Security: the nonce is drawn from libsodium's CSPRNG for every message (callers never choose
/// it) and is also the associated data, so it is authenticated; SecretBox takes no associated
/// data. The payload reveals the plaintext length. There is no key identifier: decryption tries
/// the current key and then each previous key.
final class SodiumEncrypter: KeyReportingDecrypter {
    let cipher: Cipher
    let algorithm: SodiumAEAD
    let keys: KeyRing
    let options: EncrypterOptions
    /// The keys as plain pointers: the hot paths below capture only trivial values (``Core``), so
    /// threads sharing this encrypter never write a shared reference count.
    private let keyBytes: HandleTable<KeyPointer>

    init(cipher: Cipher, algorithm: SodiumAEAD, keys: KeyRing, options: EncrypterOptions) throws {
        if let reason = algorithm.unavailabilityReason {
            throw CipherError.unavailable(cipher: cipher, reason: reason)
        }
        try keys.requireByteCount(algorithm.keyByteCount, for: .cipher(cipher))
        self.cipher = cipher
        self.algorithm = algorithm
        self.keys = keys
        self.options = options
        self.keyBytes = HandleTable(keys)
    }

    /// What one call needs, as a trivial value; valid while `self` is (the call's duration).
    private var core: Core {
        Core(
            cipher: cipher, algorithm: algorithm, keys: keyBytes.entries,
            readsLegacyEmptyAssociatedData: options.readsLegacyEmptyAssociatedData)
    }

    func encryptBytes(_ plaintext: [UInt8]) throws(EncryptionError) -> String {
        let core = core
        return try TypedErrors.encrypting { try plaintext.withUnsafeBytes { try core.seal($0, nonce: nil) } }
    }

    func encryptString(_ text: String) throws(EncryptionError) -> String {
        let core = core
        return try TypedErrors.encrypting { try text.withUTF8Bytes { try core.seal($0, nonce: nil) } }
    }

    func decryptBytes(_ payload: String) throws(DecryptionError) -> [UInt8] {
        try TypedErrors.decrypting { try decryptBytesReportingCurrentKey(payload).plaintext }
    }

    func decryptBytesReportingCurrentKey(_ payload: String) throws -> (plaintext: [UInt8], openedByCurrentKey: Bool) {
        try options.checkPayloadSize(payload)
        return try core.decodedBytes(payload)
    }

    func decryptString(_ payload: String) throws(DecryptionError) -> String {
        try options.checkPayloadSize(payload)
        let core = core
        return try TypedErrors.decrypting { try core.decodedString(payload) }
    }

    /// Encrypts with a fresh random nonce, or with `fixedNonce` (known-answer tests only).
    package func seal(_ plaintext: UnsafeRawBufferPointer, nonce fixedNonce: UnsafeRawBufferPointer?) throws -> String {
        try core.seal(plaintext, nonce: fixedNonce)
    }
}

extension SodiumEncrypter {
    /// The cipher, its algorithm, the key pointers and the options one call reads: all trivial, so
    /// the closures that capture it never retain anything.
    private struct Core {
        let cipher: Cipher
        let algorithm: SodiumAEAD
        let keys: HandleTable<KeyPointer>.Entries
        let readsLegacyEmptyAssociatedData: Bool

        func decodedBytes(_ payload: String) throws -> (plaintext: [UInt8], openedByCurrentKey: Bool) {
            try CompactPayload.withDecoded(
                payload, nonceByteCount: algorithm.nonceByteCount, minimumBodyByteCount: algorithm.tagByteCount
            ) { nonce, body in
                let count = body.count - algorithm.tagByteCount
                var openedByCurrentKey = false
                let plaintext = try [UInt8](unsafeUninitializedCapacity: count) { out, initialized in
                    openedByCurrentKey = try open(body, nonce: nonce, into: UnsafeMutableRawBufferPointer(out))
                    initialized = count
                }
                return (plaintext, openedByCurrentKey)
            }
        }

        func decodedString(_ payload: String) throws -> String {
            try CompactPayload.withDecoded(
                payload, nonceByteCount: algorithm.nonceByteCount, minimumBodyByteCount: algorithm.tagByteCount
            ) { nonce, body in
                let count = body.count - algorithm.tagByteCount
                return try String(unsafeUninitializedCapacity: count) { out in
                    let plaintext = UnsafeMutableRawBufferPointer(out)
                    _ = try open(body, nonce: nonce, into: plaintext)
                    guard UTF8Validation.isValid(UnsafeRawBufferPointer(plaintext)) else {
                        SodiumMemory.zero(plaintext)
                        throw DecryptionError.invalidUTF8
                    }
                    return count
                }
            }
        }

        func seal(_ plaintext: UnsafeRawBufferPointer, nonce fixedNonce: UnsafeRawBufferPointer?) throws -> String {
            let nonceCount = algorithm.nonceByteCount
            if let fixedNonce, fixedNonce.count != nonceCount {
                throw EncryptionError.cipherFailed(reason: "a \(cipher.rawValue) nonce has \(nonceCount) bytes")
            }
            return try CompactPayload.encode(byteCount: nonceCount + plaintext.count + algorithm.tagByteCount) { raw in
                let nonce = UnsafeMutableRawBufferPointer(rebasing: raw[0..<nonceCount])
                if let fixedNonce {
                    nonce.copyMemory(from: fixedNonce)
                } else {
                    NoncePool.shared.fill(nonce)
                }
                let ad =
                    algorithm.acceptsAssociatedData
                    ? UnsafeRawBufferPointer(nonce) : UnsafeRawBufferPointer(start: nil, count: 0)
                do throws(PrimitiveError) {
                    try algorithm.seal(
                        plaintext, associatedData: ad, nonce: UnsafeRawBufferPointer(nonce), key: keys.current,
                        into: UnsafeMutableRawBufferPointer(rebasing: raw[nonceCount...]))
                } catch {
                    throw EncryptionError.cipherFailed(reason: "\(error)")
                }
            }
        }

        /// Tries every key of the ring (then, if enabled, the legacy empty associated data);
        /// returns whether the current key opened it with the current associated data.
        func open(
            _ body: UnsafeRawBufferPointer, nonce: UnsafeRawBufferPointer, into plaintext: UnsafeMutableRawBufferPointer
        ) throws(DecryptionError) -> Bool {
            let empty = UnsafeRawBufferPointer(start: nil, count: 0)
            let primaryAD = algorithm.acceptsAssociatedData ? nonce : empty
            if let keyIndex = try openWithAnyKey(body, ad: primaryAD, nonce: nonce, into: plaintext) {
                return keyIndex == 0
            }
            if readsLegacyEmptyAssociatedData && algorithm.acceptsAssociatedData,
                try openWithAnyKey(body, ad: empty, nonce: nonce, into: plaintext) != nil
            {
                return false
            }
            throw .authenticationFailed
        }

        /// The position in the ring of the key that opens `body`, or `nil` when none does.
        private func openWithAnyKey(
            _ body: UnsafeRawBufferPointer, ad: UnsafeRawBufferPointer, nonce: UnsafeRawBufferPointer,
            into plaintext: UnsafeMutableRawBufferPointer
        ) throws(DecryptionError) -> Int? {
            try keys.first { index, key throws(DecryptionError) -> Int? in
                do throws(PrimitiveError) {
                    try algorithm.open(body, associatedData: ad, nonce: nonce, key: key, into: plaintext)
                    return index
                } catch .authenticationFailed {
                    return nil
                } catch {
                    throw .invalidPayload(reason: "\(error)")
                }
            }
        }
    }
}
