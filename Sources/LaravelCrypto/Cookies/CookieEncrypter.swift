/// Cookie values exactly as Laravel's `EncryptCookies` middleware writes and reads them (spec
/// laravel-native.md §8), for a Swift service that shares cookies with a Laravel app.
///
/// A cookie's plaintext is `hex(HMAC-SHA1(current key, name ‖ "v2")) ‖ "|" ‖ value`; the prefix
/// binds the value to the cookie's name so one cookie cannot be replayed as another. The
/// plaintext is encrypted with `encryptString` (Laravel's default), or serialized first when
/// ``serializesValues`` is on (`EncryptCookies::$serialize = true`). For array cookies use the
/// name Laravel uses: `name[key]`.
///
/// Reading follows Laravel 11+: the payload may be under any key of the ring and the prefix may
/// have been made with any of them (8.x–10.x check the current key only).
public struct CookieEncrypter: Sendable {
    /// Whether values are PHP-serialized before encryption, like `EncryptCookies::$serialize`.
    public let serializesValues: Bool

    private let encrypter: any Encrypter
    private let keys: KeyRing

    /// Length of the prefix: 40 hex digits and `|`.
    static let prefixCount = 41

    /// Cookies encrypted with `configuration` (Laravel's default is `aes-256-cbc`).
    /// - Throws: ``KeyError`` or ``CipherError`` when the encrypter cannot be built.
    public init(configuration: CipherConfiguration, serializesValues: Bool = false) throws {
        encrypter = try configuration.makeEncrypter()
        keys = configuration.keys
        self.serializesValues = serializesValues
    }

    /// Cookies encrypted as a Laravel app with this `APP_KEY`, `APP_PREVIOUS_KEYS` and cipher does.
    /// - Throws: ``KeyError`` or ``CipherError`` when the encrypter cannot be built.
    public init(
        cipher: Cipher = .laravelAES256CBC, key: String, previousKeys: [String] = [], serializesValues: Bool = false
    ) throws {
        try self.init(
            configuration: CipherConfiguration(cipher: cipher, key: key, previousKeys: previousKeys),
            serializesValues: serializesValues)
    }

    /// Laravel's `CookieValuePrefix::create(name, key)` for the current key: 40 lowercase hex digits and `|`.
    public func prefix(forCookieNamed name: String) -> String {
        String(decoding: prefixBytes(name: name, key: keys.current), as: UTF8.self)
    }

    /// The encrypted value for a `Set-Cookie` of cookie `name`, before percent-encoding (see
    /// ``headerValue(_:forCookieNamed:)``).
    /// - Throws: ``EncryptionError``.
    public func encrypt(_ value: String, forCookieNamed name: String) throws -> String {
        let plaintext = prefix(forCookieNamed: name) + value
        return serializesValues ? try encrypter.encrypt(plaintext) : try encrypter.encryptString(plaintext)
    }

    /// The encrypted value percent-encoded as Symfony writes it into a `Set-Cookie` header
    /// (PHP `rawurlencode`: `=` becomes `%3D`, `+` `%2B`, `/` `%2F`).
    /// - Throws: ``EncryptionError``.
    public func headerValue(_ value: String, forCookieNamed name: String) throws -> String {
        PercentEncoding.encode(try encrypt(value, forCookieNamed: name))
    }

    /// The value of cookie `name` as the browser sent it (percent-encoded or not).
    /// - Throws: ``DecryptionError``; ``DecryptionError/cookiePrefixMismatch(cookieName:)`` when the
    ///   value decrypts but was made for another cookie name. Laravel turns every such error into a
    ///   `null` cookie.
    public func decrypt(_ cookieValue: String, forCookieNamed name: String) throws -> String {
        var plaintext = try decryptedPlaintext(cookieValue, what: "cookie value")
        defer { SecureMemory.wipe(&plaintext) }
        guard plaintext.count >= Self.prefixCount, hasValidPrefix(plaintext, name: name) else {
            throw DecryptionError.cookiePrefixMismatch(cookieName: name)
        }
        // The prefix was valid UTF-8 and ASCII, so the rest is still valid UTF-8.
        return String(decoding: plaintext[Self.prefixCount...], as: UTF8.self)
    }

    /// The CSRF token from an `X-XSRF-TOKEN` header, as Laravel's `VerifyCsrfToken` reads it:
    /// the header holds the `XSRF-TOKEN` cookie's value (browsers' JavaScript sends it back), which
    /// is decrypted (with ``serializesValues``) and loses its first 41 bytes **without** the prefix
    /// being checked. Compare the result with the session's token in constant time.
    /// - Throws: ``DecryptionError``; Laravel turns any failure into an empty token.
    public func decryptXSRFHeader(_ headerValue: String) throws -> String {
        var plaintext = try decryptedPlaintext(headerValue, what: "header")
        defer { SecureMemory.wipe(&plaintext) }
        guard plaintext.count >= Self.prefixCount else {
            throw DecryptionError.invalidPayload(reason: "the decrypted XSRF token is shorter than its 41-byte prefix")
        }
        return String(decoding: plaintext[Self.prefixCount...], as: UTF8.self)
    }

    /// Percent-decodes `value` and decrypts it (unserializing with ``serializesValues``): the
    /// prefixed plaintext, which the caller wipes.
    private func decryptedPlaintext(_ value: String, what: String) throws -> [UInt8] {
        guard let payload = PercentEncoding.decode(value) else {
            throw DecryptionError.invalidEncoding(reason: "the percent-decoded \(what) is not UTF-8")
        }
        let text =
            serializesValues ? try encrypter.decrypt(payload, as: String.self) : try encrypter.decryptString(payload)
        return Array(text.utf8)
    }

    /// Whether the first 41 bytes are the prefix of `name` under any key, compared in constant time.
    private func hasValidPrefix(_ plaintext: [UInt8], name: String) -> Bool {
        var matched = false
        plaintext.withUnsafeBytes { plaintext in
            let head = UnsafeRawBufferPointer(rebasing: plaintext[0..<Self.prefixCount])
            for key in keys.all {
                let expected = prefixBytes(name: name, key: key)
                matched = expected.withUnsafeBytes { SodiumMemory.constantTimeEquals($0, head) } || matched
            }
        }
        return matched
    }

    private func prefixBytes(name: String, key: EncryptionKey) -> [UInt8] {
        var message = Array(name.utf8)
        message += "v2".utf8
        let digest = key.withUnsafeBytes { key in
            message.withUnsafeBytes { OpenSSLHMAC.sha1(key: key, message: $0) }
        }
        return Array((Hex.encode(digest) + "|").utf8)
    }

    /// Encrypts with a fixed IV (known-answer tests only; `aes-*` ciphers).
    /// - Throws: ``EncryptionError/cipherFailed(reason:)`` for a `Sodium_*` cipher, which takes no
    ///   caller-chosen IV, or an IV of the wrong length.
    package func encrypt(_ value: String, forCookieNamed name: String, iv: [UInt8]) throws -> String {
        guard let laravel = encrypter as? LaravelEncrypter else {
            throw EncryptionError.cipherFailed(
                reason: "a fixed IV is only for the aes-* ciphers, not \(encrypter.cipher.rawValue)")
        }
        var plaintext = Array((prefix(forCookieNamed: name) + value).utf8)
        if serializesValues { plaintext = try PHPSerializer().serialize(String(decoding: plaintext, as: UTF8.self)) }
        return try plaintext.withUnsafeBytes { try laravel.seal($0, iv: iv) }
    }
}
