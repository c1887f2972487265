/// A user key sealed under the app key for a queued job (spec §7.8), so a worker — PHP or Swift —
/// can run the job with that user's key.
///
/// `base64(nonce ‖ crypto_secretbox(U, nonce, rawAppKey[0..<32]))`: 72 bytes, 96 characters of
/// padded standard base64. The app key is read by the per-user rule (spec §7.9: a `base64:` key's
/// bytes, otherwise the text's own bytes) and must be at least 32 bytes. Anyone with the app key
/// and the queue payload can unseal it: it protects the key on the queue's storage, not from the app.
public enum SealedJobKey {
    /// The decoded size of a sealed key: 72 bytes.
    public static let byteCount = 72
    /// The encoded size: 96 characters.
    public static let characterCount = 96
    /// laravel-crypto's class name, as it appears in PHP-serialized jobs.
    public static let phpClassName = #"CodeLieutenant\LaravelCrypto\Encryption\UserKey\SealedJobKey"#

    private static let nonceByteCount = 24

    /// Seals `key` under the app key with a fresh nonce.
    /// - Throws: ``UserKeyError/appKeyTooShort(minimum:actual:)``, ``KeyError/missing(variable:)``,
    ///   ``UserKeyError/keyWiped``.
    public static func seal(_ key: UserKey, appKey: String) throws -> String {
        try seal(key, appKey: appKey, fixedNonce: nil)
    }

    /// Sealing with a given nonce (known-answer tests only).
    package static func seal(_ key: UserKey, appKey: String, nonce: [UInt8]) throws -> String {
        guard nonce.count == nonceByteCount else {
            throw UserKeyError.invalidLength(what: "nonce", expected: nonceByteCount, actual: nonce.count)
        }
        return try seal(key, appKey: appKey, fixedNonce: nonce)
    }

    private static func seal(_ key: UserKey, appKey: String, fixedNonce: [UInt8]?) throws -> String {
        try RawAppKey.withSealingKey(of: appKey) { secret in try seal(key, secret: secret, fixedNonce: fixedNonce) }
    }

    /// Opens a sealed key. The text is read as PHP's strict `base64_decode` reads it (standard
    /// alphabet; spaces, tabs and line breaks skipped, as upstream) and must decode to exactly 72 bytes.
    /// - Throws: ``UserKeyError/invalidSealedKey(reason:)``, ``UserKeyError/authenticationFailed`` for
    ///   another app key or a damaged sealed key, ``UserKeyError/appKeyTooShort(minimum:actual:)``.
    public static func unseal(_ sealed: String, appKey: String) throws -> UserKey {
        try withDecoded(sealed) { bytes in
            try RawAppKey.withSealingKey(of: appKey) { secret in try open(bytes, secret: secret) }
        }
    }

    /// `base64(nonce ‖ secretbox(U))` under a 32-byte `secret`.
    static func seal(_ key: UserKey, secret: UnsafeRawBufferPointer, fixedNonce: [UInt8]?) throws -> String {
        try withUnsafeTemporaryAllocation(byteCount: byteCount, alignment: 16) { sealed in
            let nonce = UnsafeMutableRawBufferPointer(rebasing: sealed[..<nonceByteCount])
            if let fixedNonce { nonce.copyBytes(from: fixedNonce) } else { NoncePool.shared.fill(nonce) }
            try UserKeyError.mapping {
                try key.withKeyBytes { plaintext in
                    try SodiumAEAD.secretBox.seal(
                        plaintext, associatedData: UnsafeRawBufferPointer(start: nil, count: 0),
                        nonce: UnsafeRawBufferPointer(nonce),
                        key: secret, into: UnsafeMutableRawBufferPointer(rebasing: sealed[nonceByteCount...]))
                }
            }
            return Base64.encode(UnsafeRawBufferPointer(sealed), alphabet: .standard, padded: true)
        }
    }

    /// The 72 bytes of a sealed key's text, in a stack buffer.
    static func withDecoded<R>(_ sealed: String, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        var text = sealed
        return try text.withUTF8 { utf8 in
            try withUnsafeTemporaryAllocation(byteCount: Base64.decodingCapacity(for: utf8.count), alignment: 16) {
                scratch in
                let count: Int
                do throws(Base64.DecodingFailure) {
                    count = try Base64.decode(UnsafeRawBufferPointer(utf8), mode: .phpStrict, into: scratch)
                } catch {
                    throw UserKeyError.invalidSealedKey(reason: "it is not base64 (\(error.reason))")
                }
                guard count == byteCount else {
                    throw UserKeyError.invalidLength(what: "sealed job key", expected: byteCount, actual: count)
                }
                return try body(UnsafeRawBufferPointer(rebasing: scratch[..<count]))
            }
        }
    }

    /// Opens 72 sealed bytes under a 32-byte `secret`, straight into the key's own buffer.
    static func open(_ bytes: UnsafeRawBufferPointer, secret: UnsafeRawBufferPointer) throws -> UserKey {
        try UserKeyError.mapping {
            let storage = try WipedBuffer.make(count: UserKey.byteCount) { out in
                try SodiumAEAD.secretBox.open(
                    UnsafeRawBufferPointer(rebasing: bytes[nonceByteCount...]),
                    associatedData: UnsafeRawBufferPointer(start: nil, count: 0),
                    nonce: UnsafeRawBufferPointer(rebasing: bytes[..<nonceByteCount]), key: secret, into: out)
            }
            return UserKey(storage: storage)
        }
    }

    // MARK: The PHP-serialized form

    /// The sealed key as PHP serializes laravel-crypto's `SealedJobKey` object inside a job:
    /// `O:60:"CodeLieutenant\LaravelCrypto\Encryption\UserKey\SealedJobKey":1:{s:4:"blob";s:96:"…";}`.
    /// - Throws: ``UserKeyError/invalidSealedKey(reason:)`` unless `sealed` is 96 characters.
    public static func phpSerializedObject(_ sealed: String) throws(UserKeyError) -> String {
        guard sealed.utf8.count == characterCount else {
            throw .invalidSealedKey(reason: "it must be \(characterCount) characters, not \(sealed.utf8.count)")
        }
        return "O:\(phpClassName.utf8.count):\"\(phpClassName)\":1:{s:4:\"blob\";s:\(characterCount):\"\(sealed)\";}"
    }

    /// The sealed key inside a PHP-serialized `SealedJobKey` object, or inside a whole serialized job
    /// (a Laravel queue payload's `data.command`) that carries one, such as its `sealedKey` property.
    /// - Throws: ``UserKeyError/invalidSealedKey(reason:)`` when no well-formed `SealedJobKey` object is found.
    public static func sealedKey(inPHPSerialized text: String) throws(UserKeyError) -> String {
        let prefix = Array(
            "O:\(phpClassName.utf8.count):\"\(phpClassName)\":1:{s:4:\"blob\";s:\(characterCount):\"".utf8)
        let suffix = Array("\";}".utf8)
        let bytes = Array(text.utf8)
        guard let start = firstIndex(of: prefix, in: bytes) else {
            throw .invalidSealedKey(reason: "no serialized \(phpClassName) object with a 96-character blob was found")
        }
        let blobStart = start + prefix.count, blobEnd = blobStart + characterCount
        guard blobEnd + suffix.count <= bytes.count, Array(bytes[blobEnd..<(blobEnd + suffix.count)]) == suffix else {
            throw .invalidSealedKey(reason: "the serialized \(phpClassName) object is cut short or malformed")
        }
        return String(decoding: bytes[blobStart..<blobEnd], as: UTF8.self)
    }

    private static func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count, let first = needle.first else { return nil }
        var index = 0
        while index <= haystack.count - needle.count {
            if haystack[index] == first, haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
