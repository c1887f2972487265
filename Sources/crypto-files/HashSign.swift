import ArgumentParser
import Foundation
import LaravelCrypto

enum HashAlgorithm: String, ExpressibleByArgument, CaseIterable {
    case blake2b
    case sha512_256 = "sha512-256"
    case sha512
}

struct Hash: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Hash a file: blake2b (base64url, keyed with CRYPTO_BLAKE2B_HASHING_KEY's text), sha512-256 "
            + "(laravel-crypto's \"Sha256\") or sha512 (hex)."
    )
    @Argument(help: "The file to hash.") var file: String
    @Option(help: "blake2b (default), sha512-256 or sha512.") var algorithm: HashAlgorithm = .blake2b
    @OptionGroup var common: CommonOptions

    func run() throws {
        try failing {
            let digest: String
            switch algorithm {
            case .blake2b:
                digest = try BLAKE2bHasher(
                    laravelCryptoKeyText: try common.configuration()["CRYPTO_BLAKE2B_HASHING_KEY"]
                ).hashFile(atPath: file)
            case .sha512_256: digest = try SHA512_256Hasher().hashFile(atPath: file)
            case .sha512: digest = try SHA512Hasher().hashFile(atPath: file)
            }
            try common.report(["file": file, "algorithm": algorithm.rawValue, "hash": digest], text: digest)
        }
    }
}

enum SignAlgorithm: String, ExpressibleByArgument, CaseIterable {
    case blake2b, hmac256, hmac512, eddsa
}

/// The signer for an algorithm, with keys from the configuration.
func signer(_ algorithm: SignAlgorithm, common: CommonOptions) throws -> (
    sign: ([UInt8]) -> String, verify: (String, [UInt8]) -> Bool
) {
    let configuration = try common.configuration()
    let hmacKey = configuration["CRYPTO_HMAC_KEY"] ?? ""
    switch algorithm {
    case .blake2b, .hmac256, .hmac512:
        let kind: HMACSigner.Algorithm =
            algorithm == .blake2b ? .blake2b(outputSize: 32) : algorithm == .hmac256 ? .sha512_256 : .sha512
        let signer = try HMACSigner(kind, key: hmacKey)
        return (signer.sign, { signer.verify($0, for: $1) })
    case .eddsa:
        let folder = URL(fileURLWithPath: common.env).deletingLastPathComponent()
        let path =
            configuration["CRYPTO_EDDSA_PUBLIC_CRYPTO_KEY"].flatMap { $0.isEmpty ? nil : $0 }
            ?? folder.appendingPathComponent("storage/keys/eddsa.key").path
        let text: [UInt8]
        do {
            text = try RegularFile.read(path)
        } catch {
            throw UnreadableFile(path: path, what: "the EdDSA key file ", reason: error.reason)
        }
        let signer = try Ed25519Signer(keyFileContents: String(decoding: text, as: UTF8.self))
        return (signer.sign, { signer.verify($0, for: $1) })
    }
}

/// A file that could not be read: a run-time failure (exit 1), not a usage error.
struct UnreadableFile: Error, CustomStringConvertible {
    let path: String
    let what: String
    let reason: String
    var description: String { "Cannot read \(what)\(path): \(reason)." }
}

/// The largest file `sign` and `verify` read (they sign it whole: Ed25519 needs the whole message).
let signedFileLimit = 1 << 32

/// The bytes of a regular file to sign or verify: a FIFO or a device is refused, not read.
func contents(of file: String) throws -> [UInt8] {
    do {
        return try RegularFile.read(file, limit: signedFileLimit)
    } catch {
        throw UnreadableFile(path: file, what: "", reason: error.reason)
    }
}

struct Sign: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sign a file: blake2b, hmac256 (HMAC-SHA-512-256), hmac512 or eddsa; base64url.")
    @Argument(help: "The file to sign.") var file: String
    @Option(help: "blake2b (default), hmac256, hmac512 or eddsa.") var algorithm: SignAlgorithm = .blake2b
    @OptionGroup var common: CommonOptions

    func run() throws {
        try failing {
            let signature = try signer(algorithm, common: common).sign(try contents(of: file))
            try common.report(["file": file, "algorithm": algorithm.rawValue, "signature": signature], text: signature)
        }
    }
}

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify a file's signature; exit status 1 when it does not verify.")
    @Argument(help: "The signed file.") var file: String
    @Argument(help: "The signature (base64url).") var signature: String
    @Option(help: "blake2b (default), hmac256, hmac512 or eddsa.") var algorithm: SignAlgorithm = .blake2b
    @OptionGroup var common: CommonOptions

    func run() throws {
        let valid = try failing { try signer(algorithm, common: common).verify(signature, try contents(of: file)) }
        try common.report(
            ["file": file, "algorithm": algorithm.rawValue, "valid": valid], text: valid ? "valid" : "invalid")
        if !valid { throw ExitCode.failure }
    }
}
