// The README's first example, compiled with the package so it cannot rot.
import LaravelCrypto

// snippet.show
let key = try EncryptionKey.generate(for: .aegis256).exportedString()   // an APP_KEY value
let crypt = try Cipher.aegis256.makeEncrypter(key: key)
let token = try crypt.encryptString("secret")                             // Crypt::encryptString
print(try crypt.decryptString(token))                                     // Crypt::decryptString
// snippet.end
