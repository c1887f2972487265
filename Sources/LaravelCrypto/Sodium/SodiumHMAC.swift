internal import CSodium

/// HMAC-SHA-256 from libsodium (`crypto_auth_hmacsha256_*`), any key length, over several parts.
enum SodiumHMAC {
    /// Output size in bytes.
    static let byteCount = 32

    /// `HMAC-SHA256(key, parts[0] ‖ parts[1] ‖ …)` written into `out`, which must hold 32 bytes.
    static func sha256(
        key: UnsafeRawBufferPointer, parts: [UnsafeRawBufferPointer], into out: UnsafeMutableRawBufferPointer
    ) {
        guard out.count == byteCount, let digest = out.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        var state = crypto_auth_hmacsha256_state()
        var zero: UInt8 = 0
        withUnsafePointer(to: &zero) { empty in
            crypto_auth_hmacsha256_init(&state, pointer(key) ?? empty, key.count)
            for part in parts where part.count > 0 {
                crypto_auth_hmacsha256_update(&state, pointer(part) ?? empty, UInt64(part.count))
            }
        }
        crypto_auth_hmacsha256_final(&state, digest)
        sodium_memzero(&state, MemoryLayout<crypto_auth_hmacsha256_state>.size)
    }
}
