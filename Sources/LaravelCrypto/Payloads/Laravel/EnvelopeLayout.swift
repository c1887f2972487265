/// The exact bytes of Laravel's JSON envelope:
/// `{"iv":"<b64>","value":"<b64>","mac":"<hex or empty>","tag":"<b64 or empty>"}`.
struct EnvelopeLayout {
    let ivCount: Int
    let cipherCount: Int
    let isAEAD: Bool

    // The literal parts, as `StaticString`s: constant bytes in the binary, read without the lazy
    // initialisation and reference counting of a global array (every thread encrypting at once
    // would write that array's reference count).
    private static var open: StaticString { #"{"iv":""# }
    private static var afterIV: StaticString { #"","value":""# }
    private static var afterValue: StaticString { #"","mac":""# }
    private static var afterMAC: StaticString { #"","tag":""# }
    private static var close: StaticString { #""}"# }

    var ivTextCount: Int { Base64.encodedCount(of: ivCount, padded: true) }
    var valueTextCount: Int { Base64.encodedCount(of: cipherCount, padded: true) }
    var macTextCount: Int { isAEAD ? 0 : 64 }
    var tagTextCount: Int { isAEAD ? 24 : 0 }
    var ivTextStart: Int { Self.open.utf8CodeUnitCount }
    var valueTextStart: Int { ivTextStart + ivTextCount + Self.afterIV.utf8CodeUnitCount }
    var macTextStart: Int { valueTextStart + valueTextCount + Self.afterValue.utf8CodeUnitCount }
    var tagTextStart: Int { macTextStart + macTextCount + Self.afterMAC.utf8CodeUnitCount }

    /// Total JSON bytes.
    var count: Int { tagTextStart + tagTextCount + Self.close.utf8CodeUnitCount }

    /// Writes everything but the MAC (CBC) into `json` (``count`` bytes).
    func write(
        iv: UnsafeRawBufferPointer, body: UnsafeRawBufferPointer, tag: UnsafeRawBufferPointer,
        into json: UnsafeMutableRawBufferPointer
    ) {
        func put(_ literal: StaticString, at offset: Int) {
            literal.withUTF8Buffer { literal in
                UnsafeMutableRawBufferPointer(rebasing: json[offset..<(offset + literal.count)])
                    .copyMemory(from: UnsafeRawBufferPointer(literal))
            }
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
    func writeMAC(key: OpenSSLHMAC.PreparedKey.Handle, into json: UnsafeMutableRawBufferPointer) {
        let ivText = UnsafeRawBufferPointer(rebasing: json[ivTextStart..<(ivTextStart + ivTextCount)])
        let valueText = UnsafeRawBufferPointer(rebasing: json[valueTextStart..<(valueTextStart + valueTextCount)])
        Self.macHex(
            key: key, iv: ivText, value: valueText,
            into: UnsafeMutableRawBufferPointer(rebasing: json[macTextStart..<(macTextStart + 64)]))
    }

    /// Lowercase hex of the HMAC into `out` (64 bytes).
    static func macHex(
        key: OpenSSLHMAC.PreparedKey.Handle, iv: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer,
        into out: UnsafeMutableRawBufferPointer
    ) {
        withUnsafeTemporaryAllocation(byteCount: OpenSSLHMAC.sha256ByteCount, alignment: 8) { digest in
            key.sha256(first: iv, second: value, into: digest)
            Hex.encode(UnsafeRawBufferPointer(digest), into: out)
        }
    }

    /// Whether `mac` is exactly the lowercase hex HMAC of the texts, compared in constant time.
    static func macMatches(
        key: OpenSSLHMAC.PreparedKey.Handle, iv: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer,
        mac: UnsafeRawBufferPointer
    ) -> Bool {
        guard mac.count == 64 else { return false }
        return withUnsafeTemporaryAllocation(byteCount: 64, alignment: 8) { expected in
            macHex(key: key, iv: iv, value: value, into: expected)
            return SodiumMemory.constantTimeEquals(UnsafeRawBufferPointer(expected), mac)
        }
    }
}
