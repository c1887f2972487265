internal import COpenSSL

/// HMAC from OpenSSL's libcrypto: SHA-256 for Laravel's envelope MAC (OpenSSL uses the CPU's SHA
/// instructions, which libsodium's portable SHA-256 does not), SHA-1 for Laravel's cookie-name
/// prefix. Keys are prepared once (``PreparedKey``), so no call fetches an algorithm by name.
package enum OpenSSLHMAC {
    /// Size of an HMAC-SHA256 in bytes.
    static let sha256ByteCount = 32

    /// OpenSSL's HMAC implementation, fetched once; `EVP_MAC` objects are immutable and shared.
    private static let hmac = FetchedAlgorithm(EVP_MAC_fetch(nil, "HMAC", nil))

    /// The hash an ``PreparedKey`` uses.
    package enum Digest: Sendable, BitwiseCopyable {
        /// SHA-256: Laravel's envelope MAC.
        case sha256
        /// SHA-1: Laravel's cookie-name prefix (`hash_hmac('sha1', …)`), not a MAC of ciphertext.
        case sha1

        /// OpenSSL's name for it.
        var name: StaticString {
            switch self {
            case .sha256: "SHA256"
            case .sha1: "SHA1"
            }
        }

        /// Size of its HMAC in bytes.
        package var byteCount: Int {
            switch self {
            case .sha256: OpenSSLHMAC.sha256ByteCount
            case .sha1: 20
            }
        }
    }

    /// An HMAC key prepared once: OpenSSL's keyed context in a ``ContextPool``, restarted per
    /// message (restarting is cheaper than copying the keyed context, and copying cheaper than
    /// keying; figures in `docs/benchmarks.md`). The keyed state is key-equivalent: it lives in
    /// OpenSSL's memory and `EVP_MAC_CTX_free` cleanses every copy when the pool is released.
    package final class PreparedKey: Sendable {
        /// The key as a plain pointer, for hot paths shared by many threads; valid while `self` is.
        let handle: Handle
        /// Owns what ``handle`` points to; `nil` if OpenSSL could not key HMAC.
        private let pool: ContextPool?

        /// `key` prepared for HMAC with `digest` (SHA-256 unless told).
        package init(_ key: UnsafeRawBufferPointer, digest: Digest = .sha256) {
            pool = hmac.pointer.flatMap { mac in
                digest.name.withUTF8Buffer { name in
                    name.withMemoryRebound(to: CChar.self) {
                        lc_hmac_keyed(mac, $0.baseAddress, pointer(key), key.count)
                    }
                }
            }.map { ContextPool(template: $0, kind: .mac) }
            handle = Handle(pool: pool?.handle, digest: digest)
        }

        /// `HMAC-SHA256(key, first ‖ second)` into `out` (32 bytes); `false` only if OpenSSL fails
        /// or the key was prepared for another digest.
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
            fileprivate let digest: Digest

            /// `HMAC-SHA256(key, first ‖ second)` into `out` (32 bytes); `false` only if OpenSSL
            /// fails or the key was prepared for another digest (`out` is then zeroed).
            @discardableResult
            func sha256(
                first: UnsafeRawBufferPointer, second: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer
            ) -> Bool {
                guard digest == .sha256 else {
                    SodiumMemory.zero(out)
                    return false
                }
                return authenticate(first: first, second: second, into: out)
            }

            /// `HMAC(key, first ‖ second)` into `out` (the digest's size); `false` only if
            /// OpenSSL fails (`out` is then zeroed).
            @discardableResult
            func authenticate(
                first: UnsafeRawBufferPointer, second: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer
            ) -> Bool {
                guard out.count == digest.byteCount, let bytes = out.baseAddress?.assumingMemoryBound(to: UInt8.self),
                    let pool, let context = pool.take()
                else {
                    SodiumMemory.zero(out)
                    return false
                }
                let ok =
                    lc_hmac_restart(
                        context, pointer(first), first.count, pointer(second), second.count, bytes, out.count) == 1
                pool.give(context)
                if !ok { SodiumMemory.zero(out) }
                return ok
            }
        }
    }
}
