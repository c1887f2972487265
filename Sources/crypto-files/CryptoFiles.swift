import ArgumentParser
import Foundation
import LaravelCrypto

/// Encrypts, decrypts, hashes and signs files as laravel-crypto does, with the keys of a Laravel `.env`.
@main
struct CryptoFiles: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crypto-files",
        abstract: "Encrypt, decrypt, hash, sign and verify files in laravel-crypto's formats.",
        discussion: """
            Keys come from the .env (or the process environment, which wins), as the app reads them:
            CRYPTO_FILE_ENCRYPTION_KEY (else APP_KEY) and CRYPTO_FILE_ENCRYPTION_PREVIOUS_KEYS (else
            APP_PREVIOUS_KEYS) for files, CRYPTO_BLAKE2B_HASHING_KEY (its literal text, as upstream) for
            BLAKE2b hashes, CRYPTO_HMAC_KEY for HMAC signatures, and the Ed25519 key file at
            CRYPTO_EDDSA_PUBLIC_CRYPTO_KEY (else storage/keys/eddsa.key beside the .env).

            Output files are written atomically: on any error nothing is left at the destination, and an
            existing destination keeps its old content; a destination that is a symbolic link is written
            through (the link stays). Only regular files are read: a FIFO or a device is refused. Exit
            status 0 on success, 1 on failure (a signature that does not verify included).

            Examples:
              crypto-files encrypt invoice.pdf invoice.pdf.enc
              crypto-files decrypt invoice.pdf.enc invoice.pdf --env /srv/app/.env
              crypto-files encrypt big.tar big.tar.enc --driver xsalsa-hmac --json
              crypto-files hash invoice.pdf --algorithm sha512
              crypto-files sign invoice.pdf --algorithm eddsa > invoice.sig
              crypto-files verify invoice.pdf "$(cat invoice.sig)" --algorithm eddsa
            """,
        subcommands: [Encrypt.self, Decrypt.self, Hash.self, Sign.self, Verify.self])
}

/// Options every subcommand shares.
struct CommonOptions: ParsableArguments {
    @Option(help: "The .env file to read keys from.")
    var env: String = ".env"

    @Flag(help: "Print a JSON summary on stdout.")
    var json = false

    func configuration() throws -> AppConfiguration {
        if FileManager.default.fileExists(atPath: env) { return try AppConfiguration.fromDotEnvFile(atPath: env) }
        return AppConfiguration.fromEnvironment()
    }

    func report(_ fields: [String: Any], text: String) throws {
        if json {
            let data = try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(text)
        }
    }
}

/// Turns a thrown error into a message on stderr and exit status 1.
func failing<R>(_ body: () throws -> R) throws -> R {
    do {
        return try body()
    } catch let error as ValidationError {
        throw error
    } catch {
        FileHandle.standardError.write(Data("crypto-files: \(error)\n".utf8))
        throw ExitCode.failure
    }
}

enum DriverName: String, ExpressibleByArgument, CaseIterable {
    case secretstream
    case xsalsaHMAC = "xsalsa-hmac"
    case native
}

struct FileCommandOptions: ParsableArguments {
    @Argument(help: "The file to read.")
    var input: String
    @Argument(help: "The file to write (replaced atomically).")
    var output: String
    @Option(
        help:
            "secretstream (default), xsalsa-hmac or native (APP_CIPHER per chunk); else CRYPTO_FILE_ENCRYPTION_ALGORITHM."
    )
    var driver: DriverName?
    @OptionGroup var common: CommonOptions

    func encrypter() throws -> FileEncrypter {
        let configuration = try common.configuration()
        let driver: FileEncrypter.Driver? = try self.driver.map { name in
            switch name {
            case .secretstream: .secretStream
            case .xsalsaHMAC: .xsalsaHMAC
            case .native: .native(try configuration.cipher() ?? .aegis256)
            }
        }
        return try configuration.makeFileEncrypter(driver: driver)
    }

    func run(_ verb: String, _ body: (FileEncrypter, ((Int) -> Void)?) throws -> Void) throws {
        try failing {
            let files = try encrypter()
            let progress = Progress(path: input, verb: verb)
            let start = Date()
            try body(files, progress.map { bar in { bar.update($0) } })
            progress?.finish()
            let size = fileSize(atPath: output) ?? 0
            try common.report(
                [
                    "operation": verb, "input": input, "output": output, "output_bytes": size,
                    "driver": "\(files.driver)",
                    "seconds": Date().timeIntervalSince(start),
                ],
                text: "\(verb) \(input) → \(output) (\(size) bytes)")
        }
    }
}

struct Encrypt: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Encrypt a file (Crypt::encryptFile).")
    @OptionGroup var options: FileCommandOptions
    func run() throws {
        try options.run("encrypted") { files, progress in
            try files.encryptFile(atPath: options.input, toPath: options.output, progress: progress)
        }
    }
}

struct Decrypt: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Decrypt a file (Crypt::decryptFile); previous keys are tried in order.")
    @OptionGroup var options: FileCommandOptions
    func run() throws {
        try options.run("decrypted") { files, progress in
            try files.decryptFile(atPath: options.input, toPath: options.output, progress: progress)
        }
    }
}

/// A progress bar with bytes/s and ETA on stderr, for files over 4 MiB when stderr is a terminal.
/// The size of the file at `path`, through symbolic links (`attributesOfItem` describes a link itself).
func fileSize(atPath path: String) -> Int? {
    let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    return try? FileManager.default.attributesOfItem(atPath: resolved)[.size] as? Int
}

final class Progress {
    let total: Int
    let verb: String
    let start = Date()
    var last = Date.distantPast

    init?(path: String, verb: String) {
        guard isatty(STDERR_FILENO) == 1,
            let size = fileSize(atPath: path),
            size > 4 << 20
        else { return nil }
        total = size
        self.verb = verb
    }

    func update(_ done: Int) {
        let now = Date()
        guard now.timeIntervalSince(last) > 0.1 || done == total else { return }
        last = now
        let fraction = Double(done) / Double(max(total, 1))
        let elapsed = now.timeIntervalSince(start)
        let rate = Double(done) / max(elapsed, 1e-6)
        let eta = rate > 0 ? Double(total - done) / rate : 0
        let width = 30, filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let line = String(
            format: "\r\u{1B}[K%@ %3.0f%% %.1f MiB/s ETA %.0fs", bar, fraction * 100, rate / 1_048_576, eta)
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
