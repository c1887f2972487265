import Foundation
import LaravelCrypto

extension KeyGenerationReport {
    /// The lines `php artisan crypto:keys --show` prints, in its order (secrets included).
    package func shownLines() -> [String] {
        var lines: [String] = []
        if let eddsa { lines.append("EdDSA Key: \(eddsa.keyPair.keyFileContents())") }
        let labels = [
            "APP_KEY": "App Key", "CRYPTO_FILE_ENCRYPTION_KEY": "File Key", "CRYPTO_BLAKE2B_HASHING_KEY": "Blake2b Key",
            "CRYPTO_HMAC_KEY": "HMAC Key",
        ]
        for variable in variables { lines.append("\(labels[variable.name] ?? variable.name): \(variable.value)") }
        return lines
    }

    /// A summary without secrets: what changed where.
    package func summaryLines() -> [String] {
        var lines = ["Keys for \(cipher.rawValue) written to \(environmentFile):"]
        if let eddsa {
            lines.append(
                "  EdDSA key pair \(eddsa.action): \(eddsa.path) (mode 0600, public key \(eddsa.keyPair.publicKey.hex))"
            )
        }
        for variable in variables {
            var line = "  \(variable.name) \(variable.action) (\(variable.byteCount) bytes)"
            if let previous = variable.previous, variable.action == "rotated" {
                line +=
                    "; the old key is first in \(previous.name) (\(previous.count) previous "
                    + "key\(previous.count == 1 ? "" : "s"))"
            }
            lines.append(line)
        }
        if cipherNotRecorded {
            lines.append(
                "Note: APP_CIPHER is not set in \(environmentFile); add APP_CIPHER=\(cipher.rawValue) so the app reads "
                    + "APP_KEY with this cipher."
            )
        }
        return lines
    }

    /// Machine-readable report (schema in `docs/crypto-keys.md`); secrets only when `includeSecrets`.
    package func json(includeSecrets: Bool) -> String {
        struct Document: Encodable {
            let schema = 1
            let env_file: String
            let cipher: String
            let written: Bool
            let keys: [Key]
            let eddsa: EdDSAEntry?
        }
        struct Key: Encodable {
            let variable: String
            let bytes: Int
            let action: String
            let previous_keys_variable: String?
            let previous_keys_count: Int?
            let value: String?
        }
        struct EdDSAEntry: Encodable {
            let path: String
            let action: String
            let public_key: String
            let key_file: String?
        }
        let document = Document(
            env_file: environmentFile, cipher: cipher.rawValue, written: written,
            keys: variables.map {
                Key(
                    variable: $0.name, bytes: $0.byteCount, action: $0.action,
                    previous_keys_variable: $0.previous?.name,
                    previous_keys_count: $0.previous?.count, value: includeSecrets ? $0.value : nil)
            },
            eddsa: eddsa.map {
                EdDSAEntry(
                    path: $0.path, action: $0.action, public_key: $0.keyPair.publicKey.hex,
                    key_file: includeSecrets ? $0.keyPair.keyFileContents() : nil)
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(document)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
