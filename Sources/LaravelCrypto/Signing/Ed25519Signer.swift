/// laravel-crypto's `EdDSA` signer (spec §8.2): Ed25519 with the key file `crypto-keys` writes;
/// `sign` gives base64url without padding, `verify` accepts padded or standard-alphabet signatures
/// as upstream does and returns `false` where upstream throws (a signature that is not 64 bytes).
public struct Ed25519Signer: Sendable {
    private let keyPair: Ed25519KeyPair

    /// A signer from the key file's text (`hex(pk) "\n" hex(sk)`, 193 bytes).
    /// - Throws: what ``Ed25519KeyPair`` throws for a malformed key file.
    public init(keyFileContents: String) throws {
        keyPair = try Ed25519KeyPair(keyFileContents: keyFileContents)
    }

    /// A signer from a key pair you hold.
    public init(keyPair: Ed25519KeyPair) {
        self.keyPair = keyPair
    }

    /// The 64-byte signature of `bytes`. (libsodium's Ed25519 signing cannot fail once a key pair
    /// exists; should it ever, this traps rather than return an empty signature.)
    public func signRaw(_ bytes: [UInt8]) -> [UInt8] {
        do {
            return try keyPair.sign(bytes)
        } catch {
            preconditionFailure("\(error)")
        }
    }

    /// The signature as base64url without padding (86 characters).
    public func sign(_ bytes: [UInt8]) -> String {
        signRaw(bytes).withUnsafeBytes { Base64.encode($0, alphabet: .url, padded: false) }
    }

    /// Whether `signature` (base64url or standard, padded or not) is a valid signature of `bytes`.
    public func verify(_ signature: String, for bytes: [UInt8]) -> Bool {
        Self.verify(signature, for: bytes, publicKey: keyPair.publicKey)
    }

    /// Whether `signature` (base64url or standard, padded or not) is valid for `bytes` under
    /// `publicKey` — for a verifier that holds only the public half.
    public static func verify(_ signature: String, for bytes: [UInt8], publicKey: Ed25519PublicKey) -> Bool {
        guard let raw = try? Base64.decode(signature, mode: .phpStrictEitherAlphabet), raw.count == 64 else {
            return false
        }
        return publicKey.isValidSignature(raw, for: bytes)
    }

    /// Whether `signature` is valid for `bytes` under a 32-byte `publicKey`.
    @available(*, deprecated, message: "use verify(_:for:publicKey:) with an Ed25519PublicKey")
    public static func verify(_ signature: String, for bytes: [UInt8], publicKey: [UInt8]) -> Bool {
        guard let key = try? Ed25519PublicKey(bytes: publicKey) else { return false }
        return verify(signature, for: bytes, publicKey: key)
    }

    /// Whether `raw` (64 bytes) is a valid signature of `bytes`.
    public func verifyRaw(_ raw: [UInt8], for bytes: [UInt8]) -> Bool {
        keyPair.publicKey.isValidSignature(raw, for: bytes)
    }
}
