/// The value normalisation of laravel-crypto's blind index: `mb_strtolower(trim(value))` as PHP ≥ 8.3
/// computes it.
enum BlindIndexNormalisation {
    /// The bytes PHP's `trim()` strips by default: space, tab, LF, CR, NUL, vertical tab. A
    /// non-breaking space (U+00A0) is kept.
    static func isTrimmed(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x00 || byte == 0x0B
    }

    /// `mb_strtolower(trim(text))` as UTF-8 bytes.
    static func normalised(_ text: String) -> [UInt8] {
        // ASCII text (most emails, identifiers): trim and fold A–Z in one pass over the bytes.
        if let ascii = asciiNormalised(text) { return ascii }
        let scalars = Array(trimmed(text).unicodeScalars)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for index in scalars.indices {
            let scalar = scalars[index]
            if scalar.isASCII {
                let byte = UInt8(scalar.value)
                out.append(byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte)
            } else if scalar == "\u{03A3}" {
                out.append(contentsOf: (isFinalSigma(at: index, in: scalars) ? "\u{03C2}" : "\u{03C3}").utf8)
            } else {
                out.append(contentsOf: scalar.properties.lowercaseMapping.utf8)
            }
        }
        return out
    }

    /// The result for pure-ASCII text, or `nil` when the text has other characters.
    private static func asciiNormalised(_ text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { utf8 -> [UInt8]? in
            var start = 0, end = utf8.count
            while start < end, isTrimmed(utf8[start]) { start += 1 }
            while end > start, isTrimmed(utf8[end - 1]) { end -= 1 }
            var failed = false
            let out = [UInt8](unsafeUninitializedCapacity: end - start) { out, count in
                for index in start..<end {
                    let byte = utf8[index]
                    if byte >= 0x80 {
                        failed = true
                        break
                    }
                    out[index - start] = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
                }
                count = failed ? 0 : end - start
            }
            return failed ? nil : out
        }
    }

    /// PHP `trim()` with its default character list, over the UTF-8 bytes.
    static func trimmed(_ text: String) -> String {
        let utf8 = text.utf8
        guard let first = utf8.firstIndex(where: { !isTrimmed($0) }) else { return "" }
        let last = utf8.lastIndex(where: { !isTrimmed($0) }) ?? first
        // Trimmed bytes are ASCII, so both ends fall on scalar boundaries.
        return String(decoding: text.utf8[first...last], as: UTF8.self)
    }

    /// Unicode's Final_Sigma condition (PHP ≥ 8.3's `mb_strtolower`): a cased letter comes before
    /// (skipping case-ignorable characters) and none comes after (likewise).
    private static func isFinalSigma(at index: Int, in scalars: [Unicode.Scalar]) -> Bool {
        var before = index - 1
        while before >= 0, scalars[before].properties.isCaseIgnorable { before -= 1 }
        guard before >= 0, scalars[before].properties.isCased else { return false }
        var after = index + 1
        while after < scalars.count, scalars[after].properties.isCaseIgnorable { after += 1 }
        return !(after < scalars.count && scalars[after].properties.isCased)
    }
}
