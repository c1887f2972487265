/// A request's `Cookie` header read the way PHP fills `$_COOKIE` for a Laravel app, so a Swift
/// service sees the same cookies under the same names (checked against PHP 8.2's own parser on
/// random headers).
///
/// PHP's rules, which differ from a browser library's:
/// - pairs are split on `;`; leading white space is dropped; a pair with no `=` is a cookie with an
///   empty value; one with an empty name is skipped;
/// - names are **not** percent-decoded, and `.` and space in them become `_` (`a.b` is `a_b`);
/// - `name[key]` makes an array cookie, nested up to ``maximumNestingLevel`` levels (a deeper one
///   removes the whole cookie), `name[]` appends; a `[` with no `]` becomes `_`;
/// - of two top-level cookies with one name the first wins; an array element set twice keeps the
///   last value, and an array replaces a plain cookie of its name;
/// - at most ``maximumCookieCount`` pairs are read (`max_input_vars`); the rest are ignored.
///
/// One rule is stricter than PHP's on purpose: a name that only the rules above turn into one
/// starting with `__Host-` or `__Secure-` (`..Host-id`, `_[Host-id`) is dropped, so a cookie
/// set without the browser's guarantees for those prefixes cannot pose as one (PHP drops the
/// same names since the fix for CVE-2022-31629; this rule also covers every case of it).
public enum CookieHeader {
    /// PHP's default `max_input_vars`: pairs after this many are ignored.
    public static let maximumCookieCount = 1000
    /// PHP's default `max_input_nesting_level`: array cookies nested deeper are removed.
    public static let maximumNestingLevel = 64

    /// The cookies of `lines` (one or more `Cookie` header values, read in order as if joined
    /// with `; `), in the order PHP's `$_COOKIE` lists them, array cookies flattened into one
    /// ``RequestCookie`` per element. A NUL character ends a line, as it ends PHP's C string.
    public static func cookies(in lines: some Sequence<String>) -> [RequestCookie] {
        let jar = CookieJar()
        var count = 0
        lines: for line in lines {
            var line = line
            let full = line.withUTF8 { bytes -> Bool in
                let end = bytes.firstIndex(of: 0) ?? bytes.endIndex
                var start = bytes.startIndex
                while start < end {
                    let stop = bytes[start..<end].firstIndex(of: semicolon) ?? end
                    var first = start
                    while first < stop, isCSpace(bytes[first]) { first += 1 }
                    start = stop + 1
                    guard first < stop, bytes[first] != equals else { continue }
                    count += 1
                    guard count <= maximumCookieCount else { return true }
                    let pair = bytes[first..<stop]
                    if let equalsIndex = pair.firstIndex(of: equals) {
                        jar.register(name: pair[..<equalsIndex], rawValue: pair[(equalsIndex + 1)...])
                    } else {
                        jar.register(name: pair, rawValue: pair[stop...])
                    }
                }
                return false
            }
            if full { break lines }
        }
        return jar.flattened()
    }

    static let semicolon = UInt8(ascii: ";")
    static let equals = UInt8(ascii: "=")

    /// C's `isspace` in the "C" locale: space, tab, line feed, vertical tab, form feed, return.
    static func isCSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
}

/// Bytes of one `Cookie` line, borrowed for the length of the parse.
private typealias HeaderBytes = Slice<UnsafeBufferPointer<UInt8>>

/// `$_COOKIE` while PHP's `php_register_variable_ex` fills it.
private struct CookieJar {
    private let top = PHPArray()

    private static let space = UInt8(ascii: " ")
    private static let dot = UInt8(ascii: ".")
    private static let underscore = UInt8(ascii: "_")
    private static let open = UInt8(ascii: "[")
    private static let close = UInt8(ascii: "]")

    /// Adds one `name=value` pair (name without leading white space, not empty).
    func register(name: HeaderBytes, rawValue: HeaderBytes) {
        let value = String(decoding: rawValue, as: UTF8.self)
        // The common case: a plain name PHP keeps as it is.
        guard let special = name.firstIndex(where: { $0 == Self.space || $0 == Self.dot || $0 == Self.open }) else {
            top.insertIfAbsent(String(decoding: name, as: UTF8.self), .value(value))
            return
        }
        var base = Array(name[..<special])
        var bracket: Int?
        for index in special..<name.endIndex {
            let byte = name[index]
            if byte == Self.open {
                bracket = index
                break
            }
            base.append(byte == Self.space || byte == Self.dot ? Self.underscore : byte)
        }
        guard !base.isEmpty else { return }
        guard let bracket else {
            insertTopLevel(name: base, raw: name, value: value)
            return
        }
        guard !Self.posesAsPrefixed(base, raw: name) else { return }
        let baseKey = String(decoding: base, as: UTF8.self)

        // PHP's loop: each level parses the next `[key]`, then finds or makes the array for the
        // key parsed before it (the base first), so the last key names the element.
        var container = top
        var key: String? = baseKey
        var position = bracket
        var level = 0
        while true {
            level += 1
            if level > CookieHeader.maximumNestingLevel {
                top.remove(baseKey)
                return
            }
            position += 1
            let next: String?
            let end: Int
            if position < name.endIndex, name[position] == Self.close {
                next = nil
                end = position
            } else if let found = name[position...].firstIndex(of: Self.close) {
                next = String(decoding: name[position..<found], as: UTF8.self)
                end = found
            } else {
                // No `]`: at the first level the `[` and what follows become part of the name.
                if level == 1 {
                    var whole = base
                    whole.append(Self.underscore)
                    for byte in name[position...] {
                        whole.append(
                            byte == Self.space || byte == Self.dot || byte == Self.open ? Self.underscore : byte)
                    }
                    insertTopLevel(name: whole, raw: name, value: value)
                } else {
                    store(value, at: key, in: container)
                }
                return
            }
            if let key {
                container = container.array(for: key)
            } else {
                guard let appended = container.appendArray() else { return }
                container = appended
            }
            key = next
            position = end + 1
            guard position < name.endIndex, name[position] == Self.open else {
                store(value, at: key, in: container)
                return
            }
        }
    }

    /// The element `key` of `container` (appended when `key` is `nil`) set to `value`. At the top
    /// level the first cookie of a name wins; inside an array the last does.
    private func store(_ value: String, at key: String?, in container: PHPArray) {
        guard let key else {
            _ = container.append(.value(value))
            return
        }
        if container === top {
            container.insertIfAbsent(key, .value(value))
        } else {
            container.set(key, .value(value))
        }
    }

    private func insertTopLevel(name: [UInt8], raw: HeaderBytes, value: String) {
        guard !Self.posesAsPrefixed(name, raw: raw) else { return }
        top.insertIfAbsent(String(decoding: name, as: UTF8.self), .value(value))
    }

    /// Whether PHP's name rules made `name` start with `__Host-` or `__Secure-` when `raw` did not.
    private static func posesAsPrefixed(_ name: [UInt8], raw: HeaderBytes) -> Bool {
        for prefix in ["__Host-".utf8, "__Secure-".utf8]
        where name.starts(with: prefix) && !raw.starts(with: prefix) {
            return true
        }
        return false
    }

    /// The cookies in `$_COOKIE`'s order, array elements named `base[key]…`.
    func flattened() -> [RequestCookie] {
        var cookies: [RequestCookie] = []
        cookies.reserveCapacity(top.entries.count)
        for entry in top.entries {
            switch entry.element {
            case nil: continue
            case .value(let raw)?: cookies.append(RequestCookie(name: entry.key, baseName: entry.key, rawValue: raw))
            case .array(let array)?: Self.appendElements(of: array, named: entry.key, to: &cookies)
            }
        }
        return cookies
    }

    /// Every value under `array` depth-first in order, without recursion.
    private static func appendElements(of array: PHPArray, named base: String, to cookies: inout [RequestCookie]) {
        struct Frame {
            let array: PHPArray
            var position: Int
            let name: String
        }
        var stack = [Frame(array: array, position: 0, name: base)]
        while let last = stack.indices.last {
            let frame = stack[last]
            guard frame.position < frame.array.entries.count else {
                stack.removeLast()
                continue
            }
            stack[last].position += 1
            let entry = frame.array.entries[frame.position]
            let name = frame.name + "[" + entry.key + "]"
            switch entry.element {
            case nil: continue
            case .value(let raw)?: cookies.append(RequestCookie(name: name, baseName: base, rawValue: raw))
            case .array(let inner)?: stack.append(Frame(array: inner, position: 0, name: name))
            }
        }
    }
}

/// The part of a PHP array `$_COOKIE` needs: string keys in insertion order (an integer key is its
/// canonical decimal text, which PHP treats as the same key), and `[]` appending at PHP's next
/// free integer key. A few keys are searched in order; past ``linearLimit`` a dictionary indexes them.
private final class PHPArray {
    enum Element {
        case value(String)
        case array(PHPArray)
    }

    struct Entry {
        let key: String
        /// `nil` once removed (a later insertion of the key appends a new entry).
        var element: Element?
    }

    private(set) var entries: [Entry] = []
    private var positions: [String: Int]?
    /// PHP's `nNextFreeElement`: `nil` until an integer key is inserted, then one past the largest.
    private var nextFree: Int?
    private static let linearLimit = 8

    private func position(of key: String) -> Int? {
        if let positions { return positions[key] }
        return entries.firstIndex { $0.element != nil && $0.key == key }
    }

    func insertIfAbsent(_ key: String, _ element: Element) {
        guard position(of: key) == nil else { return }
        insert(key, element)
    }

    /// Sets `key`, keeping its place when it exists.
    func set(_ key: String, _ element: Element) {
        if let existing = position(of: key) {
            entries[existing].element = element
        } else {
            insert(key, element)
        }
    }

    private func insert(_ key: String, _ element: Element) {
        entries.append(Entry(key: key, element: element))
        if positions != nil {
            positions?[key] = entries.count - 1
        } else if entries.count > Self.linearLimit {
            var index: [String: Int] = [:]
            for (position, entry) in entries.enumerated() where entry.element != nil { index[entry.key] = position }
            positions = index
        }
        if let integer = Self.integerKey(key), integer >= (nextFree ?? Int.min) {
            nextFree = integer == Int.max ? Int.max : integer + 1
        }
    }

    /// Appends at the next free integer key; `nil` when that key is taken (after `Int.max`).
    func append(_ element: Element) -> Element? {
        let key = String(nextFree ?? 0)
        guard position(of: key) == nil else { return nil }
        insert(key, element)
        return element
    }

    /// A new empty array appended as `[]` does.
    func appendArray() -> PHPArray? {
        let array = PHPArray()
        return append(.array(array)) == nil ? nil : array
    }

    /// The array at `key`, made (or made to replace a plain value) when there is none.
    func array(for key: String) -> PHPArray {
        let existing = position(of: key)
        if let existing, case .array(let array)? = entries[existing].element { return array }
        let array = PHPArray()
        if let existing {
            entries[existing].element = .array(array)
        } else {
            insert(key, .array(array))
        }
        return array
    }

    func remove(_ key: String) {
        guard let existing = position(of: key) else { return }
        entries[existing].element = nil
        positions?[key] = nil
    }

    /// The integer PHP reads `key` as: canonical decimal only (no sign but `-`, no leading zero,
    /// not `-0`), within `Int`.
    static func integerKey(_ key: String) -> Int? {
        let utf8 = key.utf8
        guard let first = utf8.first else { return nil }
        let digits = first == UInt8(ascii: "-") ? utf8.dropFirst() : utf8[...]
        guard let lead = digits.first, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(lead) else { return nil }
        guard lead != UInt8(ascii: "0") || utf8.count == 1 else { return nil }
        guard digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        return Int(key)
    }
}
