internal import CSodium

/// libsodium's key derivation (`crypto_kdf_derive_from_key`): BLAKE2b keyed with a 32-byte master
/// key, the subkey id as salt and an 8-byte context as personalisation.
package enum SodiumKDF {
    /// Master key size: exactly 32 bytes.
    static let keyByteCount = 32
    /// Context size: exactly 8 bytes.
    static let contextByteCount = 8

    /// Derives `out.count` bytes (16–64) for `subkeyID` and `context` from `key`.
    package static func derive(
        subkeyID: UInt64, context: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer,
        into out: UnsafeMutableRawBufferPointer
    ) throws(PrimitiveError) {
        try Sodium.ensureReady()
        guard key.count == keyByteCount, let k = pointer(key) else {
            throw .invalidLength(what: "KDF key", expected: keyByteCount, actual: key.count)
        }
        guard context.count == contextByteCount, let c = context.baseAddress?.assumingMemoryBound(to: CChar.self) else {
            throw .invalidLength(what: "KDF context", expected: contextByteCount, actual: context.count)
        }
        guard (16...64).contains(out.count), let o = out.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            throw .invalidLength(what: "KDF subkey", expected: 32, actual: out.count)
        }
        guard crypto_kdf_derive_from_key(o, out.count, subkeyID, c, k) == 0 else {
            throw .callFailed("crypto_kdf_derive_from_key")
        }
    }
}
