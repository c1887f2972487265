import Foundation

/// A Wycheproof test-vector file, read from `../shared/vectors/wycheproof/` at test time.
public struct WycheproofFile<Group: Decodable & Sendable>: Decodable, Sendable {
    /// The algorithm the file tests.
    public let algorithm: String
    /// How many test cases the file says it has.
    public let numberOfTests: Int
    /// The groups of cases (one key size, IV size or tag size each).
    public let testGroups: [Group]

    /// Reads `name` from ``Repository/wycheproofVectors``.
    public static func load(_ name: String) throws -> WycheproofFile<Group> {
        let url = Repository.wycheproofVectors.appendingPathComponent(name)
        return try JSONDecoder().decode(WycheproofFile<Group>.self, from: Data(contentsOf: url))
    }
}

/// A case's expected outcome. A file with any other value fails to load, so no case is silently
/// sorted into the wrong branch.
public enum WycheproofResult: String, Decodable, Sendable {
    /// Must be accepted and produce the listed output.
    case valid
    /// May be accepted or rejected (legacy or weak inputs); a test must decide which we do.
    case acceptable
    /// Must be rejected.
    case invalid
}

/// An AEAD group (`aes_gcm_test.json`, `xchacha20_poly1305_test.json`, `aegis*_test.json`).
public struct AEADGroup: Decodable, Sendable {
    /// Key size in bits.
    public let keySize: Int
    /// Nonce size in bits.
    public let ivSize: Int
    /// Tag size in bits.
    public let tagSize: Int
    /// The cases.
    public let tests: [AEADCase]
}

/// One AEAD case; every byte field is hex.
public struct AEADCase: Decodable, Sendable {
    public let tcId: Int
    public let comment: String
    public let key: String
    public let iv: String
    public let aad: String
    public let msg: String
    public let ct: String
    public let tag: String
    public let result: WycheproofResult
}

/// An AES-CBC-PKCS5 group.
public struct CBCGroup: Decodable, Sendable {
    /// Key size in bits.
    public let keySize: Int
    /// The cases.
    public let tests: [CBCCase]
}

/// One AES-CBC-PKCS5 case; every byte field is hex.
public struct CBCCase: Decodable, Sendable {
    public let tcId: Int
    public let key: String
    public let iv: String
    public let msg: String
    public let ct: String
    public let result: WycheproofResult
}

/// An HMAC group.
public struct MACGroup: Decodable, Sendable {
    /// Key size in bits.
    public let keySize: Int
    /// Tag size in bits (a truncated tag when below the hash size).
    public let tagSize: Int
    /// The cases.
    public let tests: [MACCase]
}

/// One HMAC case; every byte field is hex.
public struct MACCase: Decodable, Sendable {
    public let tcId: Int
    public let key: String
    public let msg: String
    public let tag: String
    public let result: WycheproofResult
}

/// An Ed25519 verification group: one public key, many messages and signatures.
public struct Ed25519Group: Decodable, Sendable {
    /// The group's public key.
    public struct PublicKey: Decodable, Sendable {
        /// The 32-byte key, hex.
        public let pk: String
    }

    /// One signature case; every byte field is hex.
    public struct Case: Decodable, Sendable {
        public let tcId: Int
        public let msg: String
        public let sig: String
        public let result: WycheproofResult
    }

    /// The key every case verifies under.
    public let publicKey: PublicKey
    /// The cases.
    public let tests: [Case]
}
