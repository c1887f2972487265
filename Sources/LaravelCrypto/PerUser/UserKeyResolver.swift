/// Finds the user key for a request the way laravel-crypto's `BootPerUserEncryption` middleware does
/// (spec §7.2), as a pure function of the request's inputs, so a web framework adapter is a thin layer.
///
/// Order: the `X-Encryption-Token` header, then the `enc_token` cookie, then the stored blob — a
/// server-wrapped one is unwrapped, and a user with no blob at all is enrolled with a fresh
/// server-wrapped key. **Stricter than upstream:** a user whose stored blob is password-wrapped
/// and who presents no valid token is *not* given a new key (upstream replaces the blob and the
/// user's data is lost); the result is ``UserKeyResolution/passwordRequired``. A blob with an
/// unknown version byte is an error, never overwritten.
public struct UserKeyResolver: Sendable {
    /// Wraps and unwraps server blobs.
    public let vault: UserKeyVault
    /// The app's `Crypt` for the cookie (`Crypt::encryptString(token)`), or `nil` when cookie
    /// encryption is off and the cookie holds the token itself.
    public let cookieEncrypter: (any Encrypter)?

    /// A resolver over `vault`; pass the app's encrypter as `cookieEncrypter` when
    /// `CRYPTO_PER_USER_COOKIE_ENCRYPT` is on (upstream's default).
    public init(vault: UserKeyVault, cookieEncrypter: (any Encrypter)?) {
        self.vault = vault
        self.cookieEncrypter = cookieEncrypter
    }

    /// Resolves the key for one authenticated request.
    /// - Parameters:
    ///   - headerToken: the `X-Encryption-Token` header, if sent.
    ///   - cookieValue: the `enc_token` cookie as it arrived (after Laravel's own cookie layer, if any).
    ///   - userID: the user's identifier as PHP's `(string) $user->getAuthIdentifier()` writes it.
    ///   - storedBlob: the user's `encryption_key` column (`nil` or empty when unset).
    /// - Returns: the key and what the caller must persist and send back.
    /// - Throws: ``UserKeyError`` when a stored server blob does not open for this user and app key,
    ///   or the stored blob is malformed. A bad header or cookie is ignored, as upstream ignores it.
    public func resolve(
        headerToken: String?, cookieValue: String?, userID: String, storedBlob: [UInt8]?
    ) throws(UserKeyError) -> UserKeyResolution {
        if let fromRequest = keyFromRequest(headerToken: headerToken, cookieValue: cookieValue) {
            return fromRequest
        }
        guard let storedBlob, !storedBlob.isEmpty else {
            let key = try UserKey.generateForEnrolment()
            let blob = try vault.wrap(key, userID: userID)
            return .enrolled(key, blob: blob, response: try response(for: key))
        }
        switch try UserKeyVault.mode(of: storedBlob) {
        case .password:
            return .passwordRequired
        case .server:
            let key = try vault.unwrap(storedBlob, userID: userID)
            return .unwrapped(key, response: try response(for: key))
        }
    }

    /// Steps 1 and 2 alone: the key the request carries in its header or cookie, or `nil` when
    /// neither holds a valid token. Needs no storage, so an adapter can skip reading the user's
    /// blob on the common path (a bad header or cookie is ignored, as upstream ignores it).
    public func keyFromRequest(headerToken: String?, cookieValue: String?) -> UserKeyResolution? {
        if let headerToken, let key = try? UserKey(token: headerToken) {
            return .fromRequest(key, source: .header)
        }
        if let cookieValue, !cookieValue.isEmpty, let key = keyFromCookie(cookieValue) {
            return .fromRequest(key, source: .cookie)
        }
        return nil
    }

    /// The token in the cookie: `Crypt::decryptString` when cookies are encrypted; any failure ignored.
    private func keyFromCookie(_ value: String) -> UserKey? {
        guard let cookieEncrypter else { return try? UserKey(token: value) }
        guard let token = try? cookieEncrypter.decryptString(value), !token.isEmpty else { return nil }
        return try? UserKey(token: token)
    }

    private func response(for key: UserKey) throws(UserKeyError) -> UserKeyResolution.Response {
        let token = key.token
        guard let cookieEncrypter else { return .init(token: token, cookieValue: token) }
        do {
            return .init(token: token, cookieValue: try cookieEncrypter.encryptString(token))
        } catch {
            throw .primitiveFailed(reason: "the cookie could not be encrypted: \(error)")
        }
    }
}

extension UserKey {
    /// A fresh key, or a typed error when libsodium is unusable.
    static func generateForEnrolment() throws(UserKeyError) -> UserKey {
        do {
            return try generate()
        } catch {
            throw .primitiveFailed(reason: "\(error)")
        }
    }
}

/// What ``UserKeyResolver/resolve(headerToken:cookieValue:userID:storedBlob:)`` found.
public enum UserKeyResolution: Sendable {
    /// Where a request-carried key came from.
    public enum Source: Sendable, Hashable {
        /// The `X-Encryption-Token` header.
        case header
        /// The `enc_token` cookie.
        case cookie
    }

    /// What the response must carry when the key did not come with the request: the header
    /// `X-Encryption-Token: token` and a `Set-Cookie` for `enc_token` with `cookieValue`.
    public struct Response: Sendable {
        /// The token for the response header.
        public let token: String
        /// The cookie value: `Crypt::encryptString(token)`, or the token when cookie encryption is off.
        public let cookieValue: String
    }

    /// The request carried the key; nothing is written to the response.
    case fromRequest(UserKey, source: Source)
    /// The stored server-wrapped blob was opened; send the token back.
    case unwrapped(UserKey, response: Response)
    /// The user had no blob: store `blob` in `encryption_key` **before** encrypting anything under
    /// the key, then send the token back.
    case enrolled(UserKey, blob: [UInt8], response: Response)
    /// The stored blob is password-wrapped and no valid token came: the key needs the user's password
    /// (``UserKeyVault/unwrap(_:password:)`` at login). Upstream would replace the blob here and lose the data.
    case passwordRequired

    /// The key, if one was found.
    public var key: UserKey? {
        switch self {
        case .fromRequest(let key, _), .unwrapped(let key, _), .enrolled(let key, _, _): key
        case .passwordRequired: nil
        }
    }
}
