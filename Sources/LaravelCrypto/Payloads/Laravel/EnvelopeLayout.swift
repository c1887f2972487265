/// The exact bytes of Laravel's JSON envelope:
/// `{"iv":"<b64>","value":"<b64>","mac":"<hex or empty>","tag":"<b64 or empty>"}`.
struct EnvelopeLayout {
    let ivCount: Int
    let cipherCount: Int
    let isAEAD: Bool

    private static let open = Array(#"{"iv":""#.utf8)
    private static let afterIV = Array(#"","value":""#.utf8)
    private static let afterValue = Array(#"","mac":""#.utf8)
    private static let afterMAC = Array(#"","tag":""#.utf8)
    private static let close = Array(#""}"#.utf8)

    var ivTextCount: Int { Base64.encodedCount(of: ivCount, padded: true) }
    var valueTextCount: Int { Base64.encodedCount(of: cipherCount, padded: true) }
    var macTextCount: Int { isAEAD ? 0 : 64 }
    var tagTextCount: Int { isAEAD ? 24 : 0 }
    var ivTextStart: Int { Self.open.count }
    var valueTextStart: Int { ivTextStart + ivTextCount + Self.afterIV.count }
    var macTextStart: Int { valueTextStart + valueTextCount + Self.afterValue.count }
    var tagTextStart: Int { macTextStart + macTextCount + Self.afterMAC.count }

    /// Total JSON bytes.
    var count: Int { tagTextStart + tagTextCount + Self.close.count }

    /// Writes everything but the MAC (CBC) into `json` (``count`` bytes).
    func write(
        iv: UnsafeRawBufferPointer, body: UnsafeRawBufferPointer, tag: UnsafeRawBufferPointer,
        into json: UnsafeMutableRawBufferPointer
    ) {
        func put(_ literal: [UInt8], at offset: Int) {
            UnsafeMutableRawBufferPointer(rebasing: json[offset..<(offset + literal.count)]).copyBytes(from: literal)
        }
        func region(_ start: Int, _ count: Int) -> UnsafeMutableRawBufferPointer {
            UnsafeMutableRawBufferPointer(rebasing: json[start..<(start + count)])
        }
        put(Self.open, at: 0)
        Base64.encode(iv, alphabet: .standard, padded: true, into: region(ivTextStart, ivTextCount))
        put(Self.afterIV, at: ivTextStart + ivTextCount)
        Base64.encode(body, alphabet: .standard, padded: true, into: region(valueTextStart, valueTextCount))
        put(Self.afterValue, at: valueTextStart + valueTextCount)
        put(Self.afterMAC, at: macTextStart + macTextCount)
        if isAEAD {
            Base64.encode(tag, alphabet: .standard, padded: true, into: region(tagTextStart, tagTextCount))
        }
        put(Self.close, at: tagTextStart + tagTextCount)
    }

    /// Writes `hex(HMAC-SHA256(key, iv text ‖ value text))` into the MAC field.
    func writeMAC(key: OpenSSLHMAC.PreparedKey, into json: UnsafeMutableRawBufferPointer) {
        let ivText = UnsafeRawBufferPointer(rebasing: json[ivTextStart..<(ivTextStart + ivTextCount)])
        let valueText = UnsafeRawBufferPointer(rebasing: json[valueTextStart..<(valueTextStart + valueTextCount)])
        Self.macHex(
            key: key, iv: ivText, value: valueText,
            into: UnsafeMutableRawBufferPointer(rebasing: json[macTextStart..<(macTextStart + 64)]))
    }

    /// Lowercase hex of the HMAC into `out` (64 bytes).
    static func macHex(
        key: OpenSSLHMAC.PreparedKey, iv: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer,
        into out: UnsafeMutableRawBufferPointer
    ) {
        withUnsafeTemporaryAllocation(byteCount: OpenSSLHMAC.sha256ByteCount, alignment: 8) { digest in
            key.sha256(first: iv, second: value, into: digest)
            Hex.encode(UnsafeRawBufferPointer(digest), into: out)
        }
    }

    /// Whether `mac` is exactly the lowercase hex HMAC of the texts, compared in constant time.
    static func macMatches(
        key: OpenSSLHMAC.PreparedKey, iv: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer,
        mac: UnsafeRawBufferPointer
    ) -> Bool {
        guard mac.count == 64 else { return false }
        return withUnsafeTemporaryAllocation(byteCount: 64, alignment: 8) { expected in
            macHex(key: key, iv: iv, value: value, into: expected)
            return SodiumMemory.constantTimeEquals(UnsafeRawBufferPointer(expected), mac)
        }
    }
}
