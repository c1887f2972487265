@testable import LaravelCrypto

extension SodiumAEAD {
    /// `seal` over arrays, for tests.
    func seal(_ plaintext: [UInt8], ad: [UInt8], nonce: [UInt8], key: [UInt8]) throws -> [UInt8] {
        var body = [UInt8](repeating: 0, count: plaintext.count + tagByteCount)
        try plaintext.withUnsafeBytes { p in
            try ad.withUnsafeBytes { a in
                try nonce.withUnsafeBytes { n in
                    try key.withUnsafeBytes { k in
                        try body.withUnsafeMutableBytes { b in
                            try seal(p, associatedData: a, nonce: n, key: k, into: b)
                        }
                    }
                }
            }
        }
        return body
    }

    /// `open` over arrays, for tests.
    func open(_ body: [UInt8], ad: [UInt8], nonce: [UInt8], key: [UInt8]) throws -> [UInt8] {
        var plaintext = [UInt8](repeating: 0, count: max(body.count - tagByteCount, 0))
        try body.withUnsafeBytes { c in
            try ad.withUnsafeBytes { a in
                try nonce.withUnsafeBytes { n in
                    try key.withUnsafeBytes { k in
                        try plaintext.withUnsafeMutableBytes { m in
                            try open(c, associatedData: a, nonce: n, key: k, into: m)
                        }
                    }
                }
            }
        }
        return plaintext
    }
}
