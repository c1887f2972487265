@testable import LaravelCrypto

extension PreparedAESKey {
    /// An AES key prepared from array bytes, for tests.
    static func prepared(_ aes: OpenSSLAES, key: [UInt8]) throws -> PreparedAESKey {
        try key.withUnsafeBytes { k in try PreparedAESKey(aes, key: k) }
    }

    /// CBC over whole blocks, arrays in and out.
    func cbc(encrypt: Bool, _ input: [UInt8], iv: [UInt8]) throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: input.count)
        try input.withUnsafeBytes { i in
            try iv.withUnsafeBytes { v in
                try output.withUnsafeMutableBytes { o in try cbc(encrypt: encrypt, i, iv: v, into: o) }
            }
        }
        return output
    }

    /// GCM seal: ciphertext followed by the 16-byte tag.
    func gcmSeal(_ plaintext: [UInt8], iv: [UInt8]) throws -> [UInt8] {
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count), tag = [UInt8](repeating: 0, count: 16)
        try plaintext.withUnsafeBytes { p in
            try iv.withUnsafeBytes { v in
                try ciphertext.withUnsafeMutableBytes { c in
                    try tag.withUnsafeMutableBytes { t in try gcmSeal(p, iv: v, ciphertext: c, tag: t) }
                }
            }
        }
        return ciphertext + tag
    }

    /// GCM open; `output` receives what was written (all zero after a failed tag check).
    func gcmOpen(_ ciphertext: [UInt8], tag: [UInt8], iv: [UInt8], output: inout [UInt8]) throws {
        output = [UInt8](repeating: 0xA5, count: ciphertext.count)
        try ciphertext.withUnsafeBytes { c in
            try tag.withUnsafeBytes { t in
                try iv.withUnsafeBytes { v in
                    try output.withUnsafeMutableBytes { o in try gcmOpen(c, tag: t, iv: v, into: o) }
                }
            }
        }
    }
}

extension PKCS7 {
    /// `plaintext` padded to whole blocks.
    static func padded(_ plaintext: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: (plaintext.count / 16 + 1) * 16)
        plaintext.withUnsafeBytes { p in out.withUnsafeMutableBytes { o in pad(p, into: o) } }
        return out
    }

    /// The unpadded prefix of `block`, or `nil` when its padding is malformed.
    static func unpadded(_ block: [UInt8]) -> [UInt8]? {
        block.withUnsafeBytes { unpaddedCount($0) }.map { Array(block.prefix($0)) }
    }
}

extension OpenSSLHMAC.PreparedKey {
    /// HMAC-SHA256 of `first ‖ second` under the prepared key, as an array.
    func sha256(_ first: [UInt8], _ second: [UInt8]) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: 32)
        let ok = first.withUnsafeBytes { f in
            second.withUnsafeBytes { s in out.withUnsafeMutableBytes { sha256(first: f, second: s, into: $0) } }
        }
        return ok ? out : nil
    }
}
