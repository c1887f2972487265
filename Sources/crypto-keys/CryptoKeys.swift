import ArgumentParser
import CryptoKeysCore
import LaravelCrypto

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `php artisan crypto:keys` for Swift: generates and rotates every key laravel-crypto uses, in
/// the same variables, encodings and files, and rewrites `.env` atomically.
@main
struct CryptoKeys: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crypto-keys",
        abstract: "Generate and rotate laravel-crypto's keys in a .env file (like `php artisan crypto:keys`).",
        discussion: """
            Generates, in laravel-crypto's order: the Ed25519 key file (storage/keys/eddsa.key next to the .env, or \
            CRYPTO_EDDSA_PUBLIC_CRYPTO_KEY), APP_KEY sized for the cipher, CRYPTO_FILE_ENCRYPTION_KEY, \
            CRYPTO_BLAKE2B_HASHING_KEY and CRYPTO_HMAC_KEY, all as `base64:` + padded base64, from libsodium's \
            generator.

            Rotation (--force on a .env that has keys): the old APP_KEY moves to the front of APP_PREVIOUS_KEYS and \
            the old file key to the front of CRYPTO_FILE_ENCRYPTION_PREVIOUS_KEYS (no duplicates, order kept), so \
            data encrypted before still decrypts; the BLAKE2b, HMAC and EdDSA keys are replaced. Every other byte of \
            the .env is kept; the file is replaced atomically (temporary file, fsync, rename) and keeps its mode (new \
            files 0600; the key file 0600). Secrets are printed only with --show. With APP_ENV=production it asks for \
            confirmation unless --force.

            Examples:
              crypto-keys                      (create every key in ./.env)
              crypto-keys --force              (rotate them)
              crypto-keys --show --no-eddsa    (print new keys, write nothing)
              crypto-keys --env deploy/.env --cipher aes-256-cbc --no-eddsa
              crypto-keys --json               (report for scripts, no secrets)
            """)

    @Option(help: "The .env file to read and rewrite.")
    var env: String = ".env"

    @Option(
        help:
            "The cipher APP_KEY is for (default: APP_CIPHER from the environment or the .env, else Sodium_AEGIS256GCM)."
    )
    var cipher: String?

    @Option(name: .customLong("eddsa-path"), help: "Where to write the Ed25519 key file.")
    var eddsaPath: String?

    @Flag(help: "Rotate keys that already exist and skip the production confirmation.")
    var force = false

    @Flag(help: "Print the keys and write nothing.")
    var show = false

    @Flag(help: "Print a JSON report (secret values only together with --show).")
    var json = false

    @Flag(help: "Skip the Ed25519 (EdDSA) key file.") var noEddsa = false
    @Flag(help: "Skip APP_KEY / APP_PREVIOUS_KEYS.") var noApp = false
    @Flag(help: "Skip CRYPTO_FILE_ENCRYPTION_KEY / _PREVIOUS_KEYS.") var noFile = false
    @Flag(help: "Skip CRYPTO_BLAKE2B_HASHING_KEY.") var noBlake2b = false
    @Flag(help: "Skip CRYPTO_HMAC_KEY.") var noHmac = false

    func validate() throws {
        if let cipher, Cipher(configName: cipher) == nil {
            throw ValidationError(
                "Unknown cipher \"\(cipher)\". Known: \(Cipher.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
    }

    func run() throws {
        var request = KeyGenerationRequest(environmentFile: env)
        request.cipherName = cipher
        request.environmentCipherName = getenv("APP_CIPHER").map { String(cString: $0) }
        request.eddsaPath = eddsaPath
        request.force = force
        request.show = show
        let skipped: [KeyGenerationRequest.Generator: Bool] = [
            .eddsa: noEddsa, .app: noApp, .file: noFile, .blake2b: noBlake2b, .hmac: noHmac,
        ]
        request.generators = KeyGenerationRequest.Generator.allCases.filter { skipped[$0] != true }

        let generator = KeyGenerator(request: request) { question in
            // Only an interactive "yes" counts; no terminal means no.
            StandardError.write(question + " ")
            guard isatty(STDIN_FILENO) == 1, let answer = readLine() else { return false }
            return ["yes", "y"].contains(answer.lowercased())
        }
        let report: KeyGenerationReport
        do {
            report = try generator.run()
        } catch {
            StandardError.write("crypto-keys: \(error)\n")
            throw ExitCode.failure
        }
        if json {
            print(report.json(includeSecrets: show))
        } else if show {
            report.shownLines().forEach { print($0) }
        } else {
            report.summaryLines().forEach { print($0) }
        }
    }
}
