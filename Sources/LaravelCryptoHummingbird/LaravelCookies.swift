#if Hummingbird
public import Hummingbird

/// A request context that carries the cookies ``LaravelCookiesMiddleware`` decrypted.
///
/// ```swift
/// struct AppContext: LaravelCookiesRequestContext {
///     var coreContext: CoreRequestContextStorage
///     var laravelCookies = LaravelRequestCookies()
///     init(source: Source) { coreContext = .init(source: source) }
/// }
/// ```
public protocol LaravelCookiesRequestContext: RequestContext {
    /// The request's cookies after decryption (empty until the middleware has run).
    var laravelCookies: LaravelRequestCookies { get set }
}

/// The cookies of one request as Laravel's `EncryptCookies` leaves them for the app: every cookie
/// that is not excepted has been decrypted and its name-bound prefix checked; one that fails either
/// way is `nil`, as Laravel makes it `null`. Excepted cookies are passed through, percent-decoded.
public struct LaravelRequestCookies: Sendable {
    private var values: [String: String]
    private var rejectedNames: Set<String>

    /// The token from the `X-XSRF-TOKEN` header, decrypted as `VerifyCsrfToken` reads it (its
    /// 41-byte prefix cut off, not checked); `nil` when the header is absent or does not decrypt
    /// (Laravel then compares an empty token). Compare it with the session's token in constant time.
    public internal(set) var xsrfToken: String?

    /// No cookies.
    public init() {
        self.init(capacity: 0)
    }

    /// No cookies yet, room for `capacity`.
    init(capacity: Int) {
        values = Dictionary(minimumCapacity: capacity)
        rejectedNames = []
        xsrfToken = nil
    }

    /// The value of cookie `name` (`name[key]` for an element of an array cookie), or `nil` when it
    /// was not sent or did not decrypt.
    public subscript(name: String) -> String? { values[name] }

    /// The names of the cookies that were sent but did not decrypt or carried another cookie's prefix.
    public var rejected: Set<String> { rejectedNames }

    /// The names and values that are readable.
    public var all: [String: String] { values }

    mutating func set(_ value: String, for name: String) {
        values[name] = value
    }

    mutating func reject(_ name: String) {
        rejectedNames.insert(name)
    }

    /// Rejects every element of array cookie `base` (`base[…]`).
    mutating func rejectElements(of base: String) {
        let prefix = base + "["
        for name in values.keys where name.hasPrefix(prefix) {
            values[name] = nil
            rejectedNames.insert(name)
        }
    }
}
#endif
