/// The "raw app key" laravel-crypto's per-user code reads (spec §7.9): `APP_KEY` as a `base64:`
/// key when the rest decodes (PHP strict base64), otherwise the **text's own bytes** — a hex
/// `APP_KEY` is used as its 64 ASCII characters here, unlike ``Cipher`` and the global
/// ``BlindIndex``, which hex-decode it.
enum RawAppKey {
    /// The bytes the per-user code uses for `appKey`.
    /// - Throws: ``KeyError/missing(variable:)`` for an empty key (upstream would pad it and carry on).
    static func bytes(of appKey: String) throws(KeyError) -> [UInt8] {
        guard !appKey.isEmpty else { throw .missing(variable: "APP_KEY") }
        if appKey.hasPrefix("base64:"),
            let decoded = try? Base64.decode(String(appKey.utf8.dropFirst(7)) ?? "", mode: .phpStrict),
            !decoded.isEmpty
        {
            return decoded
        }
        return Array(appKey.utf8)
    }

    /// The BLAKE2b key of server wrapping (§7.1 mode 2): the raw key's first 32 to 64 bytes, or a
    /// shorter key `sodium_pad`ded to 32.
    static func serverWrappingKey(of appKey: String) throws -> EncryptionKey {
        var raw = try bytes(of: appKey)
        defer { SecureMemory.wipe(&raw) }
        if raw.count >= 32 {
            return try EncryptionKey(bytes: raw.prefix(64))
        }
        var padded = try raw.withUnsafeBytes { raw throws(PrimitiveError) in
            try SodiumPadding.padded(raw, blockSize: 32)
        }
        defer { SecureMemory.wipe(&padded) }
        return try EncryptionKey(bytes: padded)
    }

    /// Lends `body` the secretbox key of sealed job keys (§7.8): the raw key's first 32 bytes, read
    /// without a heap copy (this runs for every job) and wiped afterwards.
    /// - Throws: ``KeyError/missing(variable:)``, ``UserKeyError/appKeyTooShort(minimum:actual:)``
    ///   below 32 bytes, and what `body` throws.
    static func withSealingKey<R>(of appKey: String, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        guard !appKey.isEmpty else { throw KeyError.missing(variable: "APP_KEY") }
        var text = appKey
        return try text.withUTF8 { utf8 in
            let raw = UnsafeRawBufferPointer(utf8)
            if raw.count > prefix.count, raw.prefix(prefix.count).elementsEqual(prefix) {
                let encoded = UnsafeRawBufferPointer(rebasing: raw[prefix.count...])
                let decoded: R?? = try withUnsafeTemporaryAllocation(
                    byteCount: Base64.decodingCapacity(for: encoded.count), alignment: 16
                ) {
                    scratch in
                    defer { SodiumMemory.zero(scratch) }
                    guard let count = try? Base64.decode(encoded, mode: .phpStrict, into: scratch), count > 0 else {
                        return .none
                    }
                    guard count >= 32 else { throw UserKeyError.appKeyTooShort(minimum: 32, actual: count) }
                    return .some(try body(UnsafeRawBufferPointer(rebasing: scratch[..<32])))
                }
                if case .some(.some(let result)) = decoded { return result }
            }
            guard raw.count >= 32 else { throw UserKeyError.appKeyTooShort(minimum: 32, actual: raw.count) }
            return try body(UnsafeRawBufferPointer(rebasing: raw[..<32]))
        }
    }

    private static let prefix = Array("base64:".utf8)
}
