import LaravelCrypto

/// What the user asked `crypto-keys` to do.
package struct KeyGenerationRequest: Sendable {
    /// The `.env` file to read and rewrite.
    package var environmentFile: String
    /// The cipher `APP_KEY` is for; `nil` means ``environmentCipherName``, then `APP_CIPHER` from
    /// the file, else AEGIS-256.
    package var cipherName: String?
    /// `APP_CIPHER` from the process environment, which wins over the file as in Laravel's dotenv.
    package var environmentCipherName: String?
    /// Where the EdDSA key file goes; `nil` means `CRYPTO_EDDSA_PUBLIC_CRYPTO_KEY` from the file,
    /// else `storage/keys/eddsa.key`, relative to the `.env` file's folder.
    package var eddsaPath: String?
    /// Rotate existing keys and skip the production confirmation.
    package var force = false
    /// Only print the keys; write nothing.
    package var show = false
    /// Generators to run, in laravel-crypto's order.
    package var generators: [Generator] = Generator.allCases

    /// The five generators of `php artisan crypto:keys`, in the order it runs them.
    package enum Generator: String, CaseIterable, Sendable {
        case eddsa, app, file, blake2b, hmac
    }

    /// A request with defaults for everything but the file.
    package init(environmentFile: String) {
        self.environmentFile = environmentFile
    }
}
