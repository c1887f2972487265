import LaravelCrypto

/// The floors of `crypto-bench --suite per-user`: the libsodium calls each per-user operation
/// needs, on buffers allocated once, with fixed nonces and no encoding or validation.
package final class PerUserFloor {
    private let appKey = [UInt8](repeating: 7, count: 32)
    private let userKey = [UInt8](repeating: 9, count: 32)
    private let nonce = [UInt8](repeating: 1, count: 24)
    /// Where the wrapping and sealing floors draw their nonce and write their output, so the
    /// fixed inputs of the opens stay intact.
    private var freshNonce = [UInt8](repeating: 0, count: 24)
    private var scratch = [UInt8](repeating: 0, count: 48)
    private let salt = [UInt8](repeating: 2, count: 16)
    private let userID: [UInt8]
    private let message: [UInt8]
    private var wrapping = [UInt8](repeating: 0, count: 32)
    private var sealedKey = [UInt8](repeating: 0, count: 48)
    private var sealedBox = [UInt8](repeating: 0, count: 48)
    private var opened = [UInt8](repeating: 0, count: 32)
    private var context = [UInt8](repeating: 0, count: 16)
    private var subKey = [UInt8](repeating: 0, count: 32)
    private var index = [UInt8](repeating: 0, count: 32)
    private let tokenText: [UInt8]
    private let indexValue: [UInt8]
    private let column: [UInt8]

    /// Buffers for a user id, a blind-index value and column, sealed once so the opens have input.
    package init(userID: String, indexValue: String, column: String) throws {
        self.userID = Array(userID.utf8)
        message = Array("lc-user-key-wrap-v1".utf8) + Array(userID.utf8)
        self.indexValue = Array(indexValue.utf8)
        self.column = Array(column.utf8)
        tokenText = Array(userKey.withUnsafeBytes { Base64.encode($0, alphabet: .url, padded: false) }.utf8)
        try serverWrap(nonce: nonce, into: &sealedKey)
        try sealBox(nonce: nonce, into: &sealedBox)
    }

    /// Mode 2 wrap: a nonce from the same pool the package draws from, keyed BLAKE2b of the derivation string, then
    /// XChaCha20-Poly1305 seal.
    package func serverWrap() throws {
        freshNonce.withUnsafeMutableBytes { NoncePool.shared.fill($0) }
        try serverWrap(nonce: freshNonce, into: &scratch)
    }

    private func serverWrap(nonce: [UInt8], into sealed: inout [UInt8]) throws {
        try deriveServerKey()
        try userKey.withUnsafeBytes { u in
            try userID.withUnsafeBytes { ad in
                try nonce.withUnsafeBytes { n in
                    try wrapping.withUnsafeBytes { w in
                        try sealed.withUnsafeMutableBytes { out in
                            try SodiumAEAD.xChaCha20Poly1305.seal(u, associatedData: ad, nonce: n, key: w, into: out)
                        }
                    }
                }
            }
        }
    }

    /// Mode 2 unwrap: the same BLAKE2b, then XChaCha20-Poly1305 open.
    package func serverUnwrap() throws {
        try deriveServerKey()
        try sealedKey.withUnsafeBytes { c in
            try userID.withUnsafeBytes { ad in
                try nonce.withUnsafeBytes { n in
                    try wrapping.withUnsafeBytes { w in
                        try opened.withUnsafeMutableBytes { out in
                            try SodiumAEAD.xChaCha20Poly1305.open(c, associatedData: ad, nonce: n, key: w, into: out)
                        }
                    }
                }
            }
        }
    }

    private func deriveServerKey() throws {
        try message.withUnsafeBytes { m in
            try appKey.withUnsafeBytes { k in
                try wrapping.withUnsafeMutableBytes { out in try SodiumGenericHash.hash(m, key: k, into: out) }
            }
        }
    }

    /// Mode 1's Argon2id alone, at `cost`.
    package func passwordHash(_ password: String, opsLimit: Int, memLimit: Int) throws {
        try Array(password.utf8).withUnsafeBytes { p in
            try salt.withUnsafeBytes { s in
                try wrapping.withUnsafeMutableBytes { out in
                    try SodiumPasswordHash.argon2id(
                        password: p, salt: s, opsLimit: opsLimit, memLimit: memLimit, into: out)
                }
            }
        }
    }

    /// Token decode: libsodium's own base64url decoder on the 43 characters.
    package func tokenDecode() throws {
        try tokenText.withUnsafeBytes { text in
            try opened.withUnsafeMutableBytes { out in
                guard Sodium.base642bin(text, into: out) == 32 else {
                    throw PrimitiveError.callFailed("sodium_base642bin")
                }
            }
        }
    }

    /// Blind index: BLAKE2b-128 of the column, `crypto_kdf_derive_from_key`, keyed BLAKE2b-256.
    package func blindIndex() throws {
        try column.withUnsafeBytes { c in
            try context.withUnsafeMutableBytes { out in
                try SodiumGenericHash.hash(c, key: UnsafeRawBufferPointer(start: nil, count: 0), into: out)
            }
        }
        try context.withUnsafeBytes { ctx in
            try userKey.withUnsafeBytes { k in
                try subKey.withUnsafeMutableBytes { out in
                    try SodiumKDF.derive(
                        subkeyID: 1, context: UnsafeRawBufferPointer(rebasing: ctx[..<8]), key: k, into: out)
                }
            }
        }
        try indexValue.withUnsafeBytes { v in
            try subKey.withUnsafeBytes { k in
                try index.withUnsafeMutableBytes { out in try SodiumGenericHash.hash(v, key: k, into: out) }
            }
        }
    }

    /// Sealed job key: a nonce from the package's pool, then secretbox of the user key.
    package func sealBox() throws {
        freshNonce.withUnsafeMutableBytes { NoncePool.shared.fill($0) }
        try sealBox(nonce: freshNonce, into: &scratch)
    }

    private func sealBox(nonce: [UInt8], into sealed: inout [UInt8]) throws {
        try userKey.withUnsafeBytes { u in
            try nonce.withUnsafeBytes { n in
                try appKey.withUnsafeBytes { k in
                    try sealed.withUnsafeMutableBytes { out in
                        try SodiumAEAD.secretBox.seal(
                            u, associatedData: UnsafeRawBufferPointer(start: nil, count: 0), nonce: n, key: k, into: out
                        )
                    }
                }
            }
        }
    }

    /// Sealed job key: secretbox open.
    package func openBox() throws {
        try sealedBox.withUnsafeBytes { c in
            try nonce.withUnsafeBytes { n in
                try appKey.withUnsafeBytes { k in
                    try opened.withUnsafeMutableBytes { out in
                        try SodiumAEAD.secretBox.open(
                            c, associatedData: UnsafeRawBufferPointer(start: nil, count: 0), nonce: n, key: k, into: out
                        )
                    }
                }
            }
        }
    }
}
