// Per-user encryption as laravel-crypto does it, compiled with the package and run by `make test`.
import LaravelCrypto

let appKey = try EncryptionKey.generate(for: .aegis256).exportedString()     // APP_KEY
// snippet.show
let vault = try UserKeyVault(appKey: appKey)                  // Argon2Cost.interactive by default
// Sign-up with no password yet: a server-wrapped key, stored in users.encryption_key (73 bytes).
let userKey = try UserKey.generate()
let serverBlob = try vault.wrap(userKey, userID: "7")
// First login with a password: the same key, now wrapped under the password (89 bytes).
let passwordBlob = try vault.promote(serverBlob, userID: "7", password: "correct horse")
let token = try vault.unwrap(passwordBlob, password: "correct horse").token   // X-Encryption-Token

// A later request carries the token; the key lives only inside this scope and is wiped after it.
let (ssn, found) = try UserKeyContext.withUserKey(try UserKey(token: token)) {
    let key = try UserKeyContext.requireCurrent()
    let stored = try key.makeEncrypter().encryptString("123-45-6789")        // UserEncrypted cast
    let index = try BlindIndex(userKey: key).compute("123-45-6789", column: "ssn")   // ssn_index column
    let found = BlindIndex(userKey: key).verify(index, value: " 123-45-6789 ", column: "ssn")
    return (try key.makeEncrypter().decryptString(stored), found)
}
// A queued job carries the key sealed under the app key.
let sealed = try SealedJobKey.seal(try UserKey(token: token), appKey: appKey)
print(ssn, found, try SealedJobKey.unseal(sealed, appKey: appKey).token == token)
// snippet.end
