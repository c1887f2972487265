// Reading and writing what a Laravel app stores: its Crypt payloads and its encrypted cookies.
import LaravelCrypto

struct Profile: Codable { let id: Int; let name: String }

// snippet.show
let appKey = try EncryptionKey.generate(for: .laravelAES256CBC).exportedString()  // the app's APP_KEY

// Laravel's Crypt with its default cipher, APP_PREVIOUS_KEYS included.
let laravel = try Cipher.laravelAES256CBC.makeEncrypter(key: appKey, previousKeys: [""])
let stored = try laravel.encrypt(Profile(id: 1, name: "Zoë"))       // Crypt::encrypt (PHP serialize)
let profile = try laravel.decrypt(stored, as: Profile.self)          // Crypt::decrypt

// Cookies written and read by Laravel's EncryptCookies middleware.
let cookies = try CookieEncrypter(key: appKey)
let header = try cookies.headerValue("session-id", forCookieNamed: "laravel_session")   // Set-Cookie value
let session = try cookies.decrypt(header, forCookieNamed: "laravel_session")
// snippet.end
print(profile.name, session)
