import Foundation
import InteropSupport

@testable import LaravelCrypto

/// A Wycheproof test-vector file, read from `../shared/vectors/wycheproof/` at test time.
struct WycheproofFile<Group: Decodable>: Decodable {
    let algorithm: String
    let numberOfTests: Int
    let testGroups: [Group]

    static func load(_ name: String) throws -> WycheproofFile<Group> {
        let url = Fixture.sharedVectors.appendingPathComponent(name)
        return try JSONDecoder().decode(WycheproofFile<Group>.self, from: Data(contentsOf: url))
    }
}

/// An AEAD group (`aes_gcm_test.json`, `xchacha20_poly1305_test.json`, `aegis*_test.json`).
struct AEADGroup: Decodable {
    let keySize: Int
    let ivSize: Int
    let tagSize: Int
    let tests: [AEADCase]
}

struct AEADCase: Decodable {
    let tcId: Int
    let comment: String
    let key: String
    let iv: String
    let aad: String
    let msg: String
    let ct: String
    let tag: String
    let result: String
}

/// An AES-CBC-PKCS5 group.
struct CBCGroup: Decodable {
    let keySize: Int
    let tests: [CBCCase]
}

struct CBCCase: Decodable {
    let tcId: Int
    let key: String
    let iv: String
    let msg: String
    let ct: String
    let result: String
}

/// An HMAC group.
struct MACGroup: Decodable {
    let keySize: Int
    let tagSize: Int
    let tests: [MACCase]
}

struct MACCase: Decodable {
    let tcId: Int
    let key: String
    let msg: String
    let tag: String
    let result: String
}

/// Where the shared vectors are: `../shared/vectors/wycheproof` beside the repository.
enum Fixture {
    static let sharedVectors = Peer.repositoryRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/vectors/wycheproof")
}

extension Array where Element == UInt8 {
    /// Bytes from lowercase or uppercase hex; traps on bad hex, which only test literals and
    /// vector files feed it.
    init(hex: String) {
        guard let bytes = Hex.decode(hex) else { preconditionFailure("not hex: \(hex.prefix(40))") }
        self = bytes
    }

    var hex: String { map { String(format: "%02x", $0) }.joined() }
}

/// SplitMix64: a tiny seedable generator, so fuzz tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) }
    }
}

/// Whether a test that needs `name` must run (CI sets REQUIRE_<name>=1) rather than skip.
func isRequired(_ name: String) -> Bool {
    ProcessInfo.processInfo.environment["REQUIRE_\(name)"] == "1"
}
