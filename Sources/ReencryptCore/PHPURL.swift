import Foundation

/// A URL split as PHP's `parse_url` splits the database URLs Laravel reads
/// (`scheme://user:password@host:port/path?query#fragment`, or `scheme:path`), components still
/// percent-encoded, with PHP's decoding helpers beside it. Only what `LaravelConnection` needs.
struct PHPURL: Equatable {
    var scheme: String?
    var user: String?
    var password: String?
    var host: String?
    var port: Int?
    var path: String?
    var query: String?

    /// `nil` where `parse_url` returns `false`: an authority (`//…`) with no host, or a port that is
    /// not a number from 0 to 65535.
    init?(parsing text: String) {
        var rest = Substring(text)
        if let colon = rest.firstIndex(of: ":"), colon > rest.startIndex,
            rest[..<colon].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) })
        {
            scheme = String(rest[..<colon])
            rest = rest[rest.index(after: colon)...]
        }
        if let fragment = rest.firstIndex(of: "#") { rest = rest[..<fragment] }
        if let mark = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: mark)...])
            rest = rest[..<mark]
        }
        if scheme != nil, rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            let end = rest.firstIndex(of: "/") ?? rest.endIndex
            var authority = rest[..<end]
            rest = rest[end...]
            if let at = authority.lastIndex(of: "@") {
                let userInfo = authority[..<at]
                if let colon = userInfo.firstIndex(of: ":") {
                    user = String(userInfo[..<colon])
                    password = String(userInfo[userInfo.index(after: colon)...])
                } else {
                    user = String(userInfo)
                }
                authority = authority[authority.index(after: at)...]
            }
            if let colon = authority.lastIndex(of: ":"), !authority.hasPrefix("[") {
                let digits = authority[authority.index(after: colon)...]
                if !digits.isEmpty {
                    guard digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), let number = Int(digits),
                        number <= 65535
                    else { return nil }
                    port = number
                }
                authority = authority[..<colon]
            }
            guard !authority.isEmpty else { return nil }
            host = String(authority)
        }
        if !rest.isEmpty { path = String(rest) }
    }

    /// PHP's `rawurldecode`: `%XX` escapes decoded, anything else (a lone `%`, `+`) kept.
    static func rawDecoded(_ text: String) -> String { decoded(text, plusIsSpace: false) }

    /// The `name=value` pairs of a query string as PHP's `parse_str` reads them (`urldecode`d,
    /// `+` is a space, `.` and spaces in names become `_`), in order; array names (`a[]`) skipped.
    static func queryParameters(_ query: String) -> [(String, String)] {
        query.split(separator: "&").compactMap { (pair: Substring) -> (String, String)? in
            let name: String, value: String
            if let equals = pair.firstIndex(of: "=") {
                name = decoded(String(pair[..<equals]), plusIsSpace: true)
                value = decoded(String(pair[pair.index(after: equals)...]), plusIsSpace: true)
            } else {
                name = decoded(String(pair), plusIsSpace: true)
                value = ""
            }
            guard !name.isEmpty, !name.contains("[") else { return nil }
            return (String(name.map { $0 == "." || $0 == " " ? "_" : $0 }), value)
        }
    }

    /// A setting as Laravel's `parseStringsToNativeTypes` leaves it, as text: `null` is no value,
    /// `true` is `1`, `false` is empty, an integer is written as PHP writes it (`-0` is `0`).
    static func nativeValue(_ text: String) -> String? {
        switch text {
        case "null": return nil
        case "true": return "1"
        case "false": return ""
        default:
            let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
            let isInteger =
                !digits.isEmpty && digits.utf8.allSatisfy { (0x30...0x39).contains($0) }
                && (digits.count == 1 || !digits.hasPrefix("0"))
            if isInteger, let number = Int64(text) { return String(number) }
            return text
        }
    }

    private static func decoded(_ text: String, plusIsSpace: Bool) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%"), index + 2 < bytes.count, let high = hexValue(bytes[index + 1]),
                let low = hexValue(bytes[index + 2])
            {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(plusIsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}
