// Moving stored values from Laravel's aes-256-cbc to AEGIS-256 without a flag day.
import LaravelCrypto

let laravelKey = try EncryptionKey.generate(for: .laravelAES256CBC).exportedString()
let newKey = try EncryptionKey.generate(for: .aegis256).exportedString()
var rowSecret = try Cipher.laravelAES256CBC.makeEncrypter(key: laravelKey).encryptString("card on file")

// snippet.show
let migration = try MigrationEncrypter(
    writing: CipherConfiguration(cipher: .aegis256, key: newKey),
    reading: [CipherConfiguration(cipher: .laravelAES256CBC, key: laravelKey)])

let secret = try migration.decryptString(rowSecret)            // old or new payloads
if let fresh = try migration.reencryptedIfNeeded(rowSecret) {   // lazily rewrite on read
    rowSecret = fresh
}
// snippet.end
print(secret, migration.needsReencryption(rowSecret))
