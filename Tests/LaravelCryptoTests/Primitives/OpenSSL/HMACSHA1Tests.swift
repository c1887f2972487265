import LaravelCryptoTestSupport
import Testing

@testable import LaravelCrypto

/// The prepared HMAC-SHA1 key behind Laravel's cookie-name prefix, against the published test
/// cases of RFC 2202 §3 (Wycheproof has no HMAC-SHA1 file). Real Laravel's prefixes are checked
/// end to end by the cookie interop tests.
@Suite("HMAC-SHA1 (RFC 2202) through OpenSSL")
struct HMACSHA1Tests {
    /// RFC 2202 test cases 1, 2 and 6: a short key, a key shorter than the digest, and a key
    /// longer than SHA-1's block (hashed first).
    static let cases: [(key: [UInt8], message: String, digest: String)] = [
        ([UInt8](repeating: 0x0B, count: 20), "Hi There", "b617318655057264e28bc0b6fb378c8ef146be00"),
        (Array("Jefe".utf8), "what do ya want for nothing?", "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"),
        (
            [UInt8](repeating: 0xAA, count: 80), "Test Using Larger Than Block-Size Key - Hash Key First",
            "aa4ae5e15272d00e95705637ce8a3b55ed402112"
        ),
    ]

    @Test func rfc2202() {
        for (key, message, digest) in Self.cases {
            let prepared = key.withUnsafeBytes { OpenSSLHMAC.PreparedKey($0, digest: .sha1) }
            // Twice on one prepared key: the restarted context must not carry the first message.
            for _ in 0..<2 {
                var out = [UInt8](repeating: 0, count: OpenSSLHMAC.Digest.sha1.byteCount)
                let bytes = Array(message.utf8), half = bytes.count / 2
                let ok = Array(bytes[..<half]).withUnsafeBytes { first in
                    Array(bytes[half...]).withUnsafeBytes { second in
                        out.withUnsafeMutableBytes {
                            prepared.handle.authenticate(first: first, second: second, into: $0)
                        }
                    }
                }
                #expect(ok)
                #expect(out.withUnsafeBytes { Hex.encode($0) } == digest, "key of \(key.count) bytes")
            }
        }
    }

    /// A key prepared for SHA-1 refuses to produce an HMAC-SHA256, and a wrong-sized output buffer
    /// is refused and zeroed, rather than a short or mislabelled digest.
    @Test func refusesTheWrongDigestOrSize() {
        let prepared = [UInt8](repeating: 1, count: 32).withUnsafeBytes { OpenSSLHMAC.PreparedKey($0, digest: .sha1) }
        var out = [UInt8](repeating: 0xFF, count: 32)
        let empty = UnsafeRawBufferPointer(start: nil, count: 0)
        #expect(!out.withUnsafeMutableBytes { prepared.sha256(first: empty, second: empty, into: $0) })
        #expect(out == [UInt8](repeating: 0, count: 32))
        out = [UInt8](repeating: 0xFF, count: 32)
        #expect(!out.withUnsafeMutableBytes { prepared.handle.authenticate(first: empty, second: empty, into: $0) })
        #expect(out == [UInt8](repeating: 0, count: 32))
    }
}
