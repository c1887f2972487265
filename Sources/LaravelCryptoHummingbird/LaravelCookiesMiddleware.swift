#if Hummingbird
import HTTPTypes
public import Hummingbird
public import LaravelCrypto

/// Laravel's `EncryptCookies` middleware for Hummingbird 2 (spec laravel-native.md §8), so a Swift
/// service reads the cookies a Laravel app sets and sets cookies the Laravel app reads.
///
/// - **Incoming:** the `Cookie` header is read as PHP reads it (``CookieHeader``: names as in
///   `$_COOKIE`, never percent-decoded); every cookie not in ``except`` is percent-decoded,
///   decrypted with any key of the ring and its name-bound prefix checked; the plaintext lands in
///   ``LaravelCookiesRequestContext/laravelCookies``. One that fails is `nil` there, as Laravel
///   makes it `null` — never an error for the request. Array cookies are read as Laravel 9+ reads
///   them: element by element under their names (`cart[id]`); an element made for another name is
///   `nil`, and one that does not decrypt makes every element of its cookie `nil`.
/// - **`X-XSRF-TOKEN`:** decrypted into ``LaravelRequestCookies/xsrfToken`` as `VerifyCsrfToken` does.
/// - **Outgoing:** every `Set-Cookie` a handler (or an inner middleware) adds with a plain value —
///   `response.setCookie(Cookie(name: "theme", value: "dark"))` — gets its value encrypted and
///   percent-encoded, attributes untouched, unless its name is in ``except``.
///
/// Put it outside ``PerUserEncryptionMiddleware`` when Laravel's own `EncryptCookies` covers the
/// `enc_token` cookie (Laravel's default), so both layers are there as in the PHP app.
public struct LaravelCookiesMiddleware<Context: LaravelCookiesRequestContext>: RouterMiddleware {
    /// The cookie encrypter: the app's cipher and key ring, and the serialize flag.
    public let encrypter: CookieEncrypter
    /// Cookie names left as they are (`EncryptCookies::$except`).
    public let except: Set<String>

    /// A middleware over `encrypter`, leaving the cookies named in `except` alone.
    public init(encrypter: CookieEncrypter, except: Set<String> = []) {
        self.encrypter = encrypter
        self.except = except
    }

    /// Decrypts the request's cookies into the context, runs the rest of the chain and encrypts the
    /// cookies the response sets.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        var context = context
        context.laravelCookies = decryptedCookies(of: request)
        var response = try await next(request, context)
        try encryptCookies(of: &response)
        return response
    }

    /// The request's cookies and XSRF token as Laravel's middleware leaves them.
    public func decryptedCookies(of request: Request) -> LaravelRequestCookies {
        // Named as PHP names them in `$_COOKIE` (never percent-decoded), values as sent.
        let sent = CookieHeader.cookies(in: request.headers[values: .cookie])
        var cookies = LaravelRequestCookies(capacity: sent.count)
        var undecryptableArrays: Set<String> = []
        for cookie in sent {
            if except.contains(cookie.baseName) || (cookie.name != cookie.baseName && except.contains(cookie.name)) {
                if let plain = cookie.value { cookies.set(plain, for: cookie.name) }
                continue
            }
            do {
                cookies.set(try encrypter.decrypt(cookie.rawValue, forCookieNamed: cookie.name), for: cookie.name)
            } catch DecryptionError.cookiePrefixMismatch {
                // Laravel nulls just this element (`validateArray`).
                cookies.reject(cookie.name)
            } catch {
                cookies.reject(cookie.name)
                if cookie.name != cookie.baseName { undecryptableArrays.insert(cookie.baseName) }
            }
        }
        // An element that does not decrypt makes Laravel's `decryptArray` throw for the whole cookie.
        for base in undecryptableArrays { cookies.rejectElements(of: base) }
        if let header = request.headers[.xXSRFToken] {
            cookies.xsrfToken = try? encrypter.decryptXSRFHeader(header)
        }
        return cookies
    }

    /// Encrypts the value of each `Set-Cookie` of `response` whose cookie is not excepted.
    /// - Throws: ``EncryptionError`` (the response is then not sent half-encrypted).
    public func encryptCookies(of response: inout Response) throws {
        let lines = response.headers[values: .setCookie]
        guard !lines.isEmpty else { return }
        var encrypted: [String] = []
        encrypted.reserveCapacity(lines.count)
        for line in lines {
            guard let (name, value, attributes) = SetCookieHeaders.splitSetCookie(line),
                !except.contains(String(name)), !except.contains(Self.arrayBase(of: String(name)))
            else {
                encrypted.append(line)
                continue
            }
            // Laravel encrypts an empty value too (a `forget` cookie carries the encrypted prefix).
            let plain = PercentEncoding.decode(String(value)) ?? String(value)
            encrypted.append(
                String(name) + "=" + (try encrypter.headerValue(plain, forCookieNamed: String(name))) + attributes)
        }
        response.headers[values: .setCookie] = encrypted
    }

    /// `cart` for `cart[id]`: excepting an array cookie excepts its elements.
    private static func arrayBase(of name: String) -> String {
        guard let bracket = name.firstIndex(of: "[") else { return name }
        return String(name[..<bracket])
    }
}

extension HTTPField.Name {
    /// `X-XSRF-TOKEN`, which Laravel's JavaScript helpers send back with the `XSRF-TOKEN` cookie's value.
    static let xXSRFToken: HTTPField.Name = {
        guard let name = HTTPField.Name("X-XSRF-TOKEN") else {
            preconditionFailure("X-XSRF-TOKEN is a valid field name")
        }
        return name
    }()
}
#endif
