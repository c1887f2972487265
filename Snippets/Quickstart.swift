// The README's "Ten lines", compiled with the package and run by `make test`; a test checks that
// the README shows exactly the lines between the snippet markers.
import Foundation
import LaravelCrypto

// What a Laravel app's .env would hold.
let appKey = try EncryptionKey.generate(for: .aegis256).exportedString()
let previousKeys = try EncryptionKey.generate(for: .aegis256).exportedString()
let envPath = FileManager.default.temporaryDirectory.appendingPathComponent("quickstart-\(UUID().uuidString).env").path
try "APP_KEY=\(appKey)\nAPP_CIPHER=Sodium_AEGIS256GCM\n".write(toFile: envPath, atomically: true, encoding: .utf8)
defer { try? FileManager.default.removeItem(atPath: envPath) }

// snippet.show
let cipher = try Cipher(named: "Sodium_AEGIS256GCM")                 // config/app.php 'cipher'
let crypt = try cipher.makeEncrypter(key: appKey, previousKeys: [previousKeys])
let token = try crypt.encryptString("secret")                        // Crypt::encryptString
let text = try crypt.decryptString(token)                            // Crypt::decryptString
struct Profile: Codable { let id: Int; let name: String }
let payload = try crypt.encrypt(Profile(id: 1, name: "Zoë"))         // Crypt::encrypt (PHP serialize)
let profile = try crypt.decrypt(payload, as: Profile.self)
let fromEnv = try AppConfiguration.fromDotEnvFile(atPath: envPath).makeEncrypter()
// snippet.end

print(text, profile.name, try fromEnv.decryptString(fromEnv.encryptString("from .env")))
