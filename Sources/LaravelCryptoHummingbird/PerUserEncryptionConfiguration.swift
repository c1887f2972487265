#if Hummingbird
import LaravelCrypto

/// laravel-crypto's `config/crypto.php` → `per_user` settings (spec §7.2), with its defaults.
public struct PerUserEncryptionConfiguration: Sendable {
    /// A cookie's `SameSite` attribute, written in lowercase as Symfony writes it.
    public enum SameSite: String, Sendable {
        /// `samesite=lax` (the default).
        case lax
        /// `samesite=strict`.
        case strict
        /// `samesite=none` (browsers then require `secure`).
        case none
    }

    /// What the middleware does when a signed-in user has no usable key: the stored blob is
    /// password-wrapped and no token came (upstream would replace it and lose the user's data), or
    /// the stored server blob does not open.
    public enum MissingKeyPolicy: Sendable {
        /// Run the request without a key; handlers that need one get ``UserKeyError/missingContext``.
        case continueWithoutKey
        /// Answer with this status (say 401 or 423) and do not run the handler.
        case reject(status: Int)
    }

    /// The request and response header (`X-Encryption-Token`; `CRYPTO_PER_USER_TOKEN_HEADER`).
    public var tokenHeader: String = "X-Encryption-Token"
    /// The cookie's name (`enc_token`; `CRYPTO_PER_USER_COOKIE_NAME`); `nil` disables the cookie.
    public var cookieName: String? = "enc_token"
    /// Whether the cookie holds `Crypt::encryptString(token)` (on; `CRYPTO_PER_USER_COOKIE_ENCRYPT`).
    public var encryptsCookie: Bool = true
    /// The cookie's lifetime in minutes (120; `CRYPTO_PER_USER_COOKIE_TTL`); 0 makes a session cookie.
    public var cookieLifetimeMinutes: Int = 120
    /// The cookie's `secure` flag (off; `CRYPTO_PER_USER_COOKIE_SECURE`, else `SESSION_SECURE_COOKIE`).
    public var secureCookie: Bool = false
    /// The cookie's `SameSite` (lax; `CRYPTO_PER_USER_COOKIE_SAME_SITE`); `nil` writes none.
    public var sameSite: SameSite? = .lax
    /// See ``MissingKeyPolicy`` (``MissingKeyPolicy/continueWithoutKey``).
    public var missingKeyPolicy: MissingKeyPolicy = .continueWithoutKey

    /// Upstream's defaults.
    public init() {}

    /// The settings a Laravel app reads from its environment (`.env` values, unset ones keeping their
    /// defaults). Booleans follow Laravel's `env()` and PHP truthiness: `false`, `(false)`, `0`, empty and `null` are
    /// off, anything else on.
    /// - Throws: ``PerUserEncryptionConfigurationError`` for a TTL that is not a whole number or an
    ///   unknown SameSite.
    public init(environment: [String: String]) throws(PerUserEncryptionConfigurationError) {
        if let header = environment["CRYPTO_PER_USER_TOKEN_HEADER"], !header.isEmpty { tokenHeader = header }
        if let name = environment["CRYPTO_PER_USER_COOKIE_NAME"] {
            cookieName = (name.isEmpty || name.lowercased() == "null" || name.lowercased() == "(null)") ? nil : name
        }
        if let value = environment["CRYPTO_PER_USER_COOKIE_ENCRYPT"] { encryptsCookie = Self.flag(value) }
        if let value = environment["CRYPTO_PER_USER_COOKIE_TTL"] {
            guard let minutes = Int(value), minutes >= 0 else {
                throw .invalidValue(variable: "CRYPTO_PER_USER_COOKIE_TTL", value: value)
            }
            cookieLifetimeMinutes = minutes
        }
        if let value = environment["CRYPTO_PER_USER_COOKIE_SECURE"] ?? environment["SESSION_SECURE_COOKIE"] {
            secureCookie = Self.flag(value)
        }
        if let value = environment["CRYPTO_PER_USER_COOKIE_SAME_SITE"] {
            if value.isEmpty || value.lowercased() == "null" {
                sameSite = nil
            } else if let parsed = SameSite(rawValue: value.lowercased()) {
                sameSite = parsed
            } else {
                throw .invalidValue(variable: "CRYPTO_PER_USER_COOKIE_SAME_SITE", value: value)
            }
        }
    }

    private static func flag(_ value: String) -> Bool {
        switch value.lowercased() {
        // Laravel's `env()` maps these words; PHP's truthiness makes every other non-empty string but "0" true.
        case "false", "(false)", "0", "", "null", "(null)", "empty", "(empty)": false
        default: true
        }
    }
}

/// A per-user setting in the environment that cannot be used.
public enum PerUserEncryptionConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `variable` holds `value`, which is not one of its allowed values.
    case invalidValue(variable: String, value: String)

    /// A readable message.
    public var description: String {
        switch self {
        case .invalidValue(let variable, let value): "\(variable)=\(value) is not a valid value."
        }
    }
}
#endif
