import ArgumentParser
import LaravelCrypto

/// Generates keys in the form `php artisan crypto:keys` prints them.
///
/// This first version prints keys (`--show`); writing and rotating `.env` files comes next.
@main
struct CryptoKeys: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crypto-keys",
        abstract: "Generate laravel-crypto keys (APP_KEY sized for the cipher, file, BLAKE2b and HMAC keys).",
        discussion: """
            Examples:
              crypto-keys --show
              crypto-keys --show --cipher Sodium_AEGIS128LGCM --no-file
            """)

    @Option(help: "The cipher APP_KEY is for (a Laravel config name).")
    var cipher: String = Cipher.aegis256.rawValue

    @Flag(help: "Print the keys (required: writing .env is not implemented yet).")
    var show = false

    @Flag(help: "Skip APP_KEY.") var noApp = false
    @Flag(help: "Skip the file-encryption key.") var noFile = false
    @Flag(help: "Skip the BLAKE2b hashing key.") var noBlake2b = false
    @Flag(help: "Skip the HMAC key.") var noHmac = false

    func validate() throws {
        guard Cipher(configName: cipher) != nil else {
            throw ValidationError("Unknown cipher \"\(cipher)\". Known: \(Cipher.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        guard show else { throw ValidationError("Only --show is implemented so far; it prints keys and writes nothing.") }
    }

    func run() throws {
        guard let cipher = Cipher(configName: cipher) else { return }
        if !noApp { print("App Key: \(try EncryptionKey.generate(for: cipher).exportedString())") }
        if !noFile { print("File Key: \(try EncryptionKey.generate().exportedString())") }
        if !noBlake2b { print("Blake2b Key: \(try EncryptionKey.generate().exportedString())") }
        if !noHmac { print("HMAC Key: \(try EncryptionKey.generate().exportedString())") }
    }
}
