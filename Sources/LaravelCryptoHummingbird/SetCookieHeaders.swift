#if Hummingbird
import LaravelCrypto

/// The `Set-Cookie` text the middlewares read and write, as Symfony writes it (the `Cookie` header
/// is read by the core's `CookieHeader`).
enum SetCookieHeaders {
    /// The name and value of a `Set-Cookie` line and the rest (`; path=/ …`, empty if none).
    static func splitSetCookie(_ line: String) -> (name: Substring, value: Substring, attributes: Substring)? {
        guard let equals = line.firstIndex(of: "="), equals != line.startIndex else { return nil }
        let afterName = line.index(after: equals)
        let end = line[afterName...].firstIndex(of: ";") ?? line.endIndex
        return (line[..<equals], line[afterName..<end], line[end...])
    }

    /// A `Set-Cookie` value as Symfony 7's `Cookie::__toString` writes it for Laravel's `cookie()`
    /// helper: `name=rawurlencode(value)`, then `expires` and `Max-Age` unless it is a session
    /// cookie, `path`, `secure`, `httponly` and `samesite`.
    static func symfonySetCookie(
        name: String, value: String, expires: Int?, now: Int, path: String = "/", secure: Bool, httpOnly: Bool = true,
        sameSite: PerUserEncryptionConfiguration.SameSite?
    ) -> String {
        var line = name + "=" + PercentEncoding.encode(value)
        if let expires {
            line += "; expires=" + httpDate(expires) + "; Max-Age=" + String(max(0, expires - now))
        }
        line += "; path=" + path
        if secure { line += "; secure" }
        if httpOnly { line += "; httponly" }
        if let sameSite { line += "; samesite=" + sameSite.rawValue }
        return line
    }

    /// `Wed, 02 Dec 2026 21:35:21 GMT` for a Unix time (PHP's `gmdate('D, d M Y H:i:s T')`).
    static func httpDate(_ time: Int) -> String {
        let days = time >= 0 ? time / 86_400 : (time - 86_399) / 86_400
        let seconds = time - days * 86_400
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][((days % 7) + 7) % 7]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(weekday), \(twoDigits(day)) \(months[month - 1]) \(year) "
            + "\(twoDigits(seconds / 3600)):\(twoDigits(seconds / 60 % 60)):\(twoDigits(seconds % 60)) GMT"
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// Year, month (1–12) and day of a count of days since 1970-01-01 in the proleptic Gregorian
    /// calendar (Howard Hinnant's `civil_from_days`).
    private static func civilDate(daysSinceEpoch: Int) -> (year: Int, month: Int, day: Int) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
#endif
