internal import CSodium

/// Argon2id v1.3 from libsodium (`crypto_pwhash` with `ALG_ARGON2ID13`): one lane, no secret,
/// no associated data, as PHP's `sodium_crypto_pwhash` runs it.
package enum SodiumPasswordHash {
    /// Salt size: 16 bytes.
    static let saltByteCount = 16
    /// The smallest operations limit Argon2id accepts.
    static var minimumOpsLimit: Int { crypto_pwhash_argon2id_opslimit_min() }
    /// The smallest memory limit in bytes.
    static var minimumMemLimit: Int { crypto_pwhash_argon2id_memlimit_min() }
    /// The largest memory limit in bytes this platform accepts.
    static var maximumMemLimit: Int { crypto_pwhash_argon2id_memlimit_max() }

    /// Derives `out.count` bytes from `password` and `salt` with the given cost.
    package static func argon2id(
        password: UnsafeRawBufferPointer, salt: UnsafeRawBufferPointer, opsLimit: Int, memLimit: Int,
        into out: UnsafeMutableRawBufferPointer
    ) throws(PrimitiveError) {
        try Sodium.ensureReady()
        guard salt.count == saltByteCount, let s = pointer(salt) else {
            throw .invalidLength(what: "salt", expected: saltByteCount, actual: salt.count)
        }
        guard out.count >= 16, let o = out.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            throw .invalidLength(what: "Argon2id output", expected: 32, actual: out.count)
        }
        guard opsLimit >= minimumOpsLimit, memLimit >= minimumMemLimit, memLimit <= maximumMemLimit else {
            throw .callFailed("Argon2id cost out of range")
        }
        let status = crypto_pwhash(
            o, UInt64(out.count), nonNullCharPointer(password), UInt64(password.count), s, UInt64(opsLimit), memLimit,
            crypto_pwhash_ALG_ARGON2ID13)
        // libsodium fails only when it cannot allocate the memory the cost asks for.
        guard status == 0 else { throw .callFailed("crypto_pwhash (out of memory for memLimit \(memLimit))") }
    }
}
