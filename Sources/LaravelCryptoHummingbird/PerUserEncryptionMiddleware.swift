#if Hummingbird
import HTTPTypes
public import Hummingbird
public import LaravelCrypto
import Foundation
import Logging

/// A request context for ``PerUserEncryptionMiddleware``: who is signed in, and the user's key once found.
///
/// ```swift
/// struct AppContext: PerUserEncryptionRequestContext {
///     var coreContext: CoreRequestContextStorage
///     var encryptionUserID: String?      // set by your authentication middleware
///     var userKey: UserKey?
///     init(source: Source) { coreContext = .init(source: source) }
/// }
/// ```
public protocol PerUserEncryptionRequestContext: RequestContext {
    /// The signed-in user's identifier as PHP's `(string) $user->getAuthIdentifier()` writes it
    /// (`"42"`), or `nil` for a guest — the middleware then does nothing.
    var encryptionUserID: String? { get }
    /// The user's key for the rest of the request; set by the middleware, and wiped (with every
    /// copy) when the request's handler returns or throws.
    var userKey: UserKey? { get set }
}

/// laravel-crypto's `BootPerUserEncryption` middleware for Hummingbird 2 (spec §7.2).
///
/// For a signed-in user it finds the key in this order: the `X-Encryption-Token` header, then the
/// `enc_token` cookie (`Crypt::encryptString(token)` unless cookie encryption is off), then the
/// stored server-wrapped blob, then enrolment with a fresh server-wrapped key. The key is in
/// ``PerUserEncryptionRequestContext/userKey`` and in ``UserKeyContext/current`` while the handler
/// runs and is zeroed when it returns or throws. When the key did not come with the request, the
/// response carries `X-Encryption-Token: <token>` and a `Set-Cookie` for `enc_token` exactly as
/// upstream sends them (Symfony's rendering, `path=/`, `httponly`, lifetime, `secure`, `samesite`).
///
/// **Stricter than upstream:**
/// - A user whose blob is password-wrapped and who sent no valid token is not given a new key
///   (upstream replaces the blob and the user's data becomes unreadable): the request follows
///   ``PerUserEncryptionConfiguration/missingKeyPolicy``.
/// - Enrolment writes only if the user still has no blob (``UserKeyStore/storeNewBlob(_:forUserID:)``);
///   the loser of a race adopts the winner's key instead of overwriting it.
///
/// A bad or forged header or cookie is ignored, as upstream ignores it. Place it after your
/// authentication middleware, and inside ``LaravelCookiesMiddleware`` when Laravel's
/// `EncryptCookies` covers `enc_token` (the decrypted cookie is then taken from the context).
public struct PerUserEncryptionMiddleware<Context: PerUserEncryptionRequestContext>: RouterMiddleware {
    /// Finds the key from the request's inputs.
    public let resolver: UserKeyResolver
    /// Where the users' blobs are.
    public let store: any UserKeyStore
    /// Header, cookie and policy settings.
    public let configuration: PerUserEncryptionConfiguration
    private let tokenHeader: HTTPField.Name
    private let now: @Sendable () -> Int

    /// A middleware that wraps keys with `vault`, reads and writes blobs in `store`, and encrypts the
    /// cookie with the app's `Crypt` (`appEncrypter`, laravel-crypto's format under `APP_CIPHER`).
    /// - Throws: ``PerUserEncryptionConfigurationError`` when the header name is not a valid HTTP field name.
    public init(
        vault: UserKeyVault, appEncrypter: any Encrypter, store: any UserKeyStore,
        configuration: PerUserEncryptionConfiguration = .init()
    ) throws(PerUserEncryptionConfigurationError) {
        try self.init(
            vault: vault, appEncrypter: appEncrypter, store: store, configuration: configuration,
            now: { Int(Date().timeIntervalSince1970) })
    }

    init(
        vault: UserKeyVault, appEncrypter: any Encrypter, store: any UserKeyStore,
        configuration: PerUserEncryptionConfiguration, now: @escaping @Sendable () -> Int
    ) throws(PerUserEncryptionConfigurationError) {
        guard let tokenHeader = HTTPField.Name(configuration.tokenHeader) else {
            throw .invalidValue(variable: "CRYPTO_PER_USER_TOKEN_HEADER", value: configuration.tokenHeader)
        }
        self.resolver = UserKeyResolver(
            vault: vault, cookieEncrypter: configuration.encryptsCookie ? appEncrypter : nil)
        self.store = store
        self.configuration = configuration
        self.tokenHeader = tokenHeader
        self.now = now
    }

    /// Finds the user's key, runs the rest of the chain with it, wipes it, and adds the token
    /// header and cookie when the key did not come with the request.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        guard let userID = context.encryptionUserID else { return try await next(request, context) }
        let resolution: UserKeyResolution
        do {
            resolution = try await resolve(request: request, context: context, userID: userID)
        } catch let error as UserKeyError {
            context.logger.warning("No usable encryption key for user \(userID): \(error)")
            return try await withoutKey(request, context, next)
        }
        guard let key = resolution.key else { return try await withoutKey(request, context, next) }
        var context = context
        context.userKey = key
        var response = try await UserKeyContext.withUserKey(key) { try await next(request, context) }
        switch resolution {
        case .unwrapped(_, let sent), .enrolled(_, _, let sent):
            addToken(sent, to: &response)
        case .fromRequest, .passwordRequired:
            break
        }
        return response
    }

    /// The resolution for `userID`, enrolling (conditionally) when the user has no blob.
    private func resolve(request: Request, context: Context, userID: String) async throws -> UserKeyResolution {
        // A token in the request needs no database round trip; the cookie is looked at only
        // when the header has none.
        if let header = request.headers[tokenHeader],
            let fromHeader = resolver.keyFromRequest(headerToken: header, cookieValue: nil)
        {
            return fromHeader
        }
        if let cookie = cookieValue(request: request, context: context),
            let fromCookie = resolver.keyFromRequest(headerToken: nil, cookieValue: cookie)
        {
            return fromCookie
        }
        let blob = try await store.storedBlob(forUserID: userID)
        let resolution = try resolver.resolve(headerToken: nil, cookieValue: nil, userID: userID, storedBlob: blob)
        guard case .enrolled(let key, let newBlob, _) = resolution else { return resolution }
        if try await store.storeNewBlob(newBlob, forUserID: userID) { return resolution }
        // Another request enrolled this user first: use its key, never overwrite it.
        key.wipe()
        let winner = try await store.storedBlob(forUserID: userID)
        return try resolver.resolve(headerToken: nil, cookieValue: nil, userID: userID, storedBlob: winner)
    }

    /// The `enc_token` cookie: from Laravel's cookie layer when the context has one, else as sent.
    private func cookieValue(request: Request, context: Context) -> String? {
        guard let name = configuration.cookieName else { return nil }
        if let laravel = context as? any LaravelCookiesRequestContext {
            if let value = laravel.laravelCookies[name] { return value }
            if laravel.laravelCookies.rejected.contains(name) { return nil }
        }
        return CookieHeader.cookies(in: request.headers[values: .cookie]).first { $0.name == name }?.value
    }

    private func withoutKey(
        _ request: Request, _ context: Context, _ next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        switch configuration.missingKeyPolicy {
        case .continueWithoutKey: try await next(request, context)
        case .reject(let status): Response(status: .init(code: status))
        }
    }

    private func addToken(_ sent: UserKeyResolution.Response, to response: inout Response) {
        response.headers[tokenHeader] = sent.token
        guard let name = configuration.cookieName else { return }
        let now = now()
        let minutes = configuration.cookieLifetimeMinutes
        response.headers[values: .setCookie].append(
            SetCookieHeaders.symfonySetCookie(
                name: name, value: sent.cookieValue, expires: minutes == 0 ? nil : now + minutes * 60, now: now,
                secure: configuration.secureCookie, sameSite: configuration.sameSite))
    }
}
#endif
