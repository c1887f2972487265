/// One cookie of a request, named and valued as PHP puts it in `$_COOKIE` and Laravel's
/// `EncryptCookies` reads it. ``CookieHeader/cookies(in:)`` makes them from `Cookie` header lines.
public struct RequestCookie: Sendable, Hashable {
    /// The name Laravel binds the value to (the name the value's prefix was made for): PHP's
    /// variable name — `.` and space turned into `_`, never percent-decoded — followed, for an
    /// element of an array cookie, by `[key]` per level (`cart[id]`, `a[b][c]`), as
    /// `EncryptCookies` names array elements.
    public let name: String
    /// The top-level name (`cart` for `cart[id]`): what `EncryptCookies::$except` lists.
    public let baseName: String
    /// The value as the browser sent it, still percent-encoded.
    public let rawValue: String

    /// A cookie named `name` (under `baseName` when it is an array element) with `rawValue`.
    public init(name: String, baseName: String? = nil, rawValue: String) {
        self.name = name
        self.baseName = baseName ?? name
        self.rawValue = rawValue
    }

    /// The value percent-decoded as PHP decodes it (`+` stays `+`, a malformed escape is kept);
    /// `nil` when the decoded bytes are not UTF-8.
    public var value: String? { PercentEncoding.decode(rawValue) }
}
