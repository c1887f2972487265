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
    /// Every key of the ring prepared for HMAC-SHA1, current first: the cookie-name prefixes.
    /// Prepared once, so no cookie keys HMAC or fetches SHA-1 by name; read through their
    /// handles, so threads sharing this value write no shared reference count.
    private let prefixKeys: HandleTable<OpenSSLHMAC.PreparedKey.Handle>

    /// Length of the prefix: 40 hex digits and `|`.
    static let prefixCount = 41

    /// Cookies encrypted with `configuration` (Laravel's default is `aes-256-cbc`).
    /// - Throws: ``KeyError`` or ``CipherError`` when the encrypter cannot be built.
    public init(configuration: CipherConfiguration, serializesValues: Bool = false) throws {
        encrypter = try configuration.makeEncrypter()
        let prepared = configuration.keys.all.map { key in
            key.withUnsafeBytes { OpenSSLHMAC.PreparedKey($0, digest: .sha1) }
        }
        prefixKeys = HandleTable(owners: prepared, handles: prepared.map(\.handle))
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

    /// Laravel's `CookieValuePrefix::create(name, key)` for the current key: 40 lowercase hex digits
    /// and `|`. (Should OpenSSL fail to compute the HMAC, the digits are zeros;
    /// ``encrypt(_:forCookieNamed:)`` throws instead.)
    public func prefix(forCookieNamed name: String) -> String {
        String(unsafeUninitializedCapacity: Self.prefixCount) { out in
            Self.writePrefix(name: name, key: prefixKeys.entries[0], into: UnsafeMutableRawBufferPointer(out))
            return Self.prefixCount
        }
    }

    /// The encrypted value for a `Set-Cookie` of cookie `name`, before percent-encoding (see
    /// ``headerValue(_:forCookieNamed:)``).
    /// - Throws: ``EncryptionError``.
    public func encrypt(_ value: String, forCookieNamed name: String) throws -> String {
        if serializesValues { return try encrypter.encrypt(prefix(forCookieNamed: name) + value) }
        // One buffer of the final size: appending the value must not move it and leave a copy unwiped.
        var plaintext = [UInt8]()
        plaintext.reserveCapacity(Self.prefixCount + value.utf8.count)
        plaintext.append(contentsOf: repeatElement(0, count: Self.prefixCount))
        guard plaintext.withUnsafeMutableBytes({ Self.writePrefix(name: name, key: prefixKeys.entries[0], into: $0) })
        else {
            throw EncryptionError.cipherFailed(reason: "OpenSSL could not compute the cookie's HMAC-SHA1 prefix")
        }
        plaintext += value.utf8
        defer { SecureMemory.wipe(&plaintext) }
        return try encrypter.encryptBytes(plaintext)
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
    /// prefixed plaintext, valid UTF-8 (as `decryptString` requires), which the caller wipes.
    private func decryptedPlaintext(_ value: String, what: String) throws -> [UInt8] {
        guard let payload = PercentEncoding.decode(value) else {
            throw DecryptionError.invalidEncoding(reason: "the percent-decoded \(what) is not UTF-8")
        }
        if serializesValues { return Array(try encrypter.decrypt(payload, as: String.self).utf8) }
        var plaintext = try encrypter.decryptBytes(payload)
        guard plaintext.withUnsafeBytes(UTF8Validation.isValid) else {
            SecureMemory.wipe(&plaintext)
            throw DecryptionError.invalidUTF8
        }
        return plaintext
    }

    /// Whether the first 41 bytes are the prefix of `name` under any key, compared in constant time.
    private func hasValidPrefix(_ plaintext: [UInt8], name: String) -> Bool {
        var matched = false
        plaintext.withUnsafeBytes { plaintext in
            let head = UnsafeRawBufferPointer(rebasing: plaintext[0..<Self.prefixCount])
            withUnsafeTemporaryAllocation(byteCount: Self.prefixCount, alignment: 8) { expected in
                let keys = prefixKeys.entries
                for index in 0..<keys.count {
                    let made = Self.writePrefix(name: name, key: keys[index], into: expected)
                    matched = SodiumMemory.constantTimeEquals(UnsafeRawBufferPointer(expected), head) && made || matched
                }
            }
        }
        return matched
    }

    /// Writes `hex(HMAC-SHA1(key, name ‖ "v2")) ‖ "|"` into `out` (``prefixCount`` bytes);
    /// `false` only if OpenSSL fails (the digest part is then zeros).
    @discardableResult
    private static func writePrefix(
        name: String, key: OpenSSLHMAC.PreparedKey.Handle, into out: UnsafeMutableRawBufferPointer
    ) -> Bool {
        let ok = withUnsafeTemporaryAllocation(byteCount: OpenSSLHMAC.Digest.sha1.byteCount, alignment: 8) { digest in
            let ok = name.withUTF8Bytes { name in
                let version: StaticString = "v2"
                return version.withUTF8Buffer {
                    key.authenticate(first: name, second: UnsafeRawBufferPointer($0), into: digest)
                }
            }
            Hex.encode(UnsafeRawBufferPointer(digest), into: UnsafeMutableRawBufferPointer(rebasing: out[0..<40]))
            return ok
        }
        out[40] = UInt8(ascii: "|")
        return ok
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
