internal import CSodium

/// The other libsodium calls of laravel-crypto's XSalsa20 + HMAC file format and its signers:
/// the XSalsa20 keystream (`crypto_stream_xor`), HMAC-SHA-512-256 (`crypto_auth`), HMAC-SHA-512
/// with a key of any length (`crypto_auth_hmacsha512`), SHA-512, and nonce increments.
enum SodiumStreamAuth {
    static let xsalsaKeyByteCount = 32
    static let xsalsaNonceByteCount = 24
    static let authKeyByteCount = 32
    static let authByteCount = 32

    /// `message XOR XSalsa20(key, nonce)` from block 0, into `out` (same length).
    static func xsalsa20XOR(
        _ message: UnsafeRawBufferPointer, nonce: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer,
        into out: UnsafeMutableRawBufferPointer
    ) throws(PrimitiveError) {
        try Sodium.ensureReady()
        guard key.count == xsalsaKeyByteCount, let k = pointer(key) else {
            throw .invalidLength(what: "XSalsa20 key", expected: xsalsaKeyByteCount, actual: key.count)
        }
        guard nonce.count == xsalsaNonceByteCount, let n = pointer(nonce) else {
            throw .invalidLength(what: "XSalsa20 nonce", expected: xsalsaNonceByteCount, actual: nonce.count)
        }
        guard out.count == message.count else {
            throw .invalidLength(what: "XSalsa20 output", expected: message.count, actual: out.count)
        }
        guard let m = pointer(message), let c = out.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        guard crypto_stream_xor(c, m, UInt64(message.count), n, k) == 0 else { throw .callFailed("crypto_stream_xor") }
    }

    /// HMAC-SHA-512-256 (`crypto_auth`) of the concatenated `parts` under a 32-byte key, into `out` (32 bytes).
    static func auth(
        _ parts: [UnsafeRawBufferPointer], key: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer
    ) throws(PrimitiveError) {
        try Sodium.ensureReady()
        guard key.count == authKeyByteCount, let k = pointer(key) else {
            throw .invalidLength(what: "HMAC-SHA-512-256 key", expected: authKeyByteCount, actual: key.count)
        }
        guard out.count == authByteCount, let o = out.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            throw .invalidLength(what: "HMAC-SHA-512-256 output", expected: authByteCount, actual: out.count)
        }
        var state = crypto_auth_hmacsha512256_state()
        defer { SodiumMemory.zero(inline: &state) }
        guard crypto_auth_hmacsha512256_init(&state, k, key.count) == 0 else {
            throw .callFailed("crypto_auth_hmacsha512256_init")
        }
        for part in parts {
            if let p = pointer(part) { crypto_auth_hmacsha512256_update(&state, p, UInt64(part.count)) }
        }
        guard crypto_auth_hmacsha512256_final(&state, o) == 0 else {
            throw .callFailed("crypto_auth_hmacsha512256_final")
        }
    }

    /// Constant-time check of an HMAC-SHA-512-256 tag (`crypto_auth_verify`).
    static func authVerify(_ tag: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer)
        -> Bool
    {
        guard Sodium.isReady, tag.count == authByteCount, key.count == authKeyByteCount, let t = pointer(tag),
            let k = pointer(key)
        else {
            return false
        }
        return crypto_auth_verify(t, nonNullPointer(message), UInt64(message.count), k) == 0
    }

    /// HMAC-SHA-512 of `message` under a key of any length, into `out` (64 bytes).
    static func hmacSHA512(
        _ message: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer
    ) throws(PrimitiveError) {
        try Sodium.ensureReady()
        guard out.count == 64, let o = out.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            throw .invalidLength(what: "HMAC-SHA-512 output", expected: 64, actual: out.count)
        }
        var state = crypto_auth_hmacsha512_state()
        defer { SodiumMemory.zero(inline: &state) }
        let status: Int32 = {
            guard crypto_auth_hmacsha512_init(&state, nonNullPointer(key), key.count) == 0 else { return -1 }
            if let m = pointer(message) { crypto_auth_hmacsha512_update(&state, m, UInt64(message.count)) }
            return crypto_auth_hmacsha512_final(&state, o)
        }()
        guard status == 0 else { throw .callFailed("crypto_auth_hmacsha512") }
    }

    /// Adds 1 to `number` as a little-endian integer of its length, wrapping (`sodium_increment`).
    static func increment(_ number: UnsafeMutableRawBufferPointer) {
        guard let n = number.baseAddress?.assumingMemoryBound(to: UInt8.self), number.count > 0 else { return }
        sodium_increment(n, number.count)
    }
}

/// SHA-512 from libsodium (`crypto_hash_sha512`), fed in pieces.
struct SodiumSHA512 {
    static let byteCount = 64
    private var state = crypto_hash_sha512_state()

    init() {
        crypto_hash_sha512_init(&state)
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let p = pointer(bytes) else { return }
        crypto_hash_sha512_update(&state, p, UInt64(bytes.count))
    }

    /// The digest (64 bytes); the state is wiped.
    mutating func finalize() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Self.byteCount)
        crypto_hash_sha512_final(&state, &out)
        SodiumMemory.zero(inline: &state)
        return out
    }
}

/// BLAKE2b fed in pieces (`crypto_generichash_init/update/final`); the 64-byte-aligned state lives in
/// memory this class owns and wipes.
package final class SodiumGenericHashStream {
    private let state: UnsafeMutableRawPointer
    private let stateByteCount = crypto_generichash_statebytes()
    let outputByteCount: Int

    /// A stream with `key` (empty for unkeyed; 16–64 bytes) and `outputByteCount` (16–64): the caller
    /// has checked both sizes and that libsodium is initialised, the only ways the init call fails.
    package init(checkedKey key: UnsafeRawBufferPointer, outputByteCount: Int) {
        self.outputByteCount = outputByteCount
        state = .allocate(byteCount: stateByteCount, alignment: 64)
        crypto_generichash_init(OpaquePointer(state), pointer(key), key.count, outputByteCount)
    }

    deinit {
        sodium_memzero(state, stateByteCount)
        state.deallocate()
    }

    package func update(_ bytes: UnsafeRawBufferPointer) {
        guard let p = pointer(bytes) else { return }
        crypto_generichash_update(OpaquePointer(state), p, UInt64(bytes.count))
    }

    /// The digest; the stream cannot be used afterwards.
    package func finalize() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: outputByteCount)
        crypto_generichash_final(OpaquePointer(state), &out, outputByteCount)
        return out
    }
}
