/// Lookup tables for ``Base64``, built once on first use. They are ``ImmortalTable``s, not
/// arrays, so that threads encoding at once do not contend on a shared reference count.
enum EncodingTables {
    private static let standardCharacters = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let urlCharacters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    static let standardSingles = ImmortalTable(standardCharacters)
    static let urlSingles = ImmortalTable(urlCharacters)
    static let standardPairs = ImmortalTable(pairs(standardCharacters))
    static let urlPairs = ImmortalTable(pairs(urlCharacters))

    /// The 62 characters both alphabets share, in value order.
    static var sharedCharacters: ArraySlice<UInt8> { standardCharacters.prefix(62) }

    /// Entry `i` holds the two characters of the 12-bit value `i`, in memory order.
    private static func pairs(_ singles: [UInt8]) -> [UInt16] {
        (0..<4096).map { i in
            (UInt16(singles[i >> 6]) | UInt16(singles[i & 0x3F]) << 8).littleEndian
        }
    }
}

/// Decoding tables: a value per byte, plus the same values pre-shifted for the fast loop.
struct DecodingTables: Sendable {
    /// Marks a byte outside the alphabet in ``values``.
    static let invalid: UInt8 = 0xFF
    /// Set in a ``shifted`` entry for a byte outside the alphabet.
    static let invalidBit: UInt32 = 0x0100_0000

    /// 256 entries: the 6-bit value of each byte, or ``invalid``.
    let values: ImmortalTable<UInt8>
    /// 4 × 256 entries: the value shifted into position 0…3 of a 24-bit group (or ``invalidBit``).
    let shifted: ImmortalTable<UInt32>

    private init(plus: [UInt8], slash: [UInt8]) {
        var values = [UInt8](repeating: Self.invalid, count: 256)
        for (i, c) in EncodingTables.sharedCharacters.enumerated() { values[Int(c)] = UInt8(i) }
        for c in plus { values[Int(c)] = 62 }
        for c in slash { values[Int(c)] = 63 }
        var shifted = [UInt32](repeating: Self.invalidBit, count: 1024)
        for byte in 0..<256 where values[byte] != Self.invalid {
            let v = UInt32(values[byte])
            shifted[byte] = v << 18
            shifted[256 + byte] = v << 12
            shifted[512 + byte] = v << 6
            shifted[768 + byte] = v
        }
        self.values = ImmortalTable(values)
        self.shifted = ImmortalTable(shifted)
    }

    private static let standard = DecodingTables(plus: [UInt8(ascii: "+")], slash: [UInt8(ascii: "/")])
    private static let url = DecodingTables(plus: [UInt8(ascii: "-")], slash: [UInt8(ascii: "_")])
    private static let either = DecodingTables(
        plus: [UInt8(ascii: "+"), UInt8(ascii: "-")], slash: [UInt8(ascii: "/"), UInt8(ascii: "_")])

    /// The tables a mode reads with.
    static func tables(for mode: Base64.DecodingMode) -> DecodingTables {
        switch mode {
        case .phpStrict, .phpForgiving: standard
        case .phpStrictEitherAlphabet: either
        case .sodiumURLNoPadding: url
        }
    }
}
