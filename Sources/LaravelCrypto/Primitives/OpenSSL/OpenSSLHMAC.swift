internal import COpenSSL

/// HMAC from OpenSSL's libcrypto: SHA-256 for Laravel's envelope MAC (OpenSSL uses the CPU's SHA
/// instructions, which libsodium's portable SHA-256 does not), SHA-1 for Laravel's cookie-name prefix.
package enum OpenSSLHMAC {
    /// Size of an HMAC-SHA256 in bytes.
    static let sha256ByteCount = 32

    /// OpenSSL's HMAC implementation, fetched once; `EVP_MAC` objects are immutable and shared.
    private static let hmac = FetchedAlgorithm(EVP_MAC_fetch(nil, "HMAC", nil))

    /// An HMAC-SHA256 key prepared once: OpenSSL's keyed context in a ``ContextPool``, restarted
    /// per message (restarting is cheaper than copying the keyed context, and copying cheaper
    /// than keying; figures in `docs/benchmarks.md`). The keyed state is key-equivalent: it lives in OpenSSL's memory
    /// and `EVP_MAC_CTX_free` cleanses every copy when the pool is released.
    package final class PreparedKey: Sendable {
        /// The key as a plain pointer, for hot paths shared by many threads; valid while `self` is.
        let handle: Handle
        /// Owns what ``handle`` points to; `nil` if OpenSSL could not key HMAC.
        private let pool: ContextPool?

        package init(_ key: UnsafeRawBufferPointer) {
            pool = hmac.pointer.flatMap { lc_hmac_sha256_keyed($0, pointer(key), key.count) }.map {
                ContextPool(template: $0, kind: .mac)
            }
            handle = Handle(pool: pool?.handle)
        }

        /// `HMAC-SHA256(key, first ‖ second)` into `out` (32 bytes); `false` only if OpenSSL fails.
        @discardableResult
        package func sha256(
            first: UnsafeRawBufferPointer, second: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer
        ) -> Bool {
            handle.sha256(first: first, second: second, into: out)
        }

        /// A ``PreparedKey``'s context pool as a trivial value: copying it and calling it touch no
        /// reference count. Valid while that key is alive.
        struct Handle: Sendable {
            fileprivate let pool: ContextPool.Handle?

            /// `HMAC-SHA256(key, first ‖ second)` into `out` (32 bytes); `false` only if OpenSSL
            /// fails (`out` is then zeroed).
            @discardableResult
            func sha256(
                first: UnsafeRawBufferPointer, second: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer
            ) -> Bool {
                guard out.count == sha256ByteCount, let digest = out.baseAddress?.assumingMemoryBound(to: UInt8.self),
                    let pool, let context = pool.take()
                else { return false }
                let ok =
                    lc_hmac_sha256_restart(context, pointer(first), first.count, pointer(second), second.count, digest)
                    == 1
                pool.give(context)
                if !ok { SodiumMemory.zero(out) }
                return ok
            }
        }
    }

    /// `HMAC-SHA1(key, message)` (20 bytes).
    static func sha1(key: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 20)
        var length: UInt32 = 20
        out.withUnsafeMutableBufferPointer { digest in
            _ = HMAC(
                EVP_sha1(), nonNullPointer(key), Int32(key.count), nonNullPointer(message), message.count,
                digest.baseAddress, &length)
        }
        return out
    }
}
