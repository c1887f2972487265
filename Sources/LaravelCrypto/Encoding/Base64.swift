/// Base64 (RFC 4648 §4) and base64url (§5) in one pass, table-driven, with PHP's and libsodium's
/// decoding rules.
///
/// Where the CPU has AVX2, ``VectorBase64`` does the bulk: 24 bytes → 32 characters and back per
/// step. The portable part encodes two characters per table lookup (a 4096-entry table of
/// character pairs), six input bytes per loop turn, and decodes eight characters per turn while
/// the input is plain alphabet text; a per-character loop applies the mode's rules (whitespace,
/// padding, foreign characters) to the rest, so every mode reads exactly as before.
package enum Base64 {
    /// Which 64-character alphabet to write.
    package enum Alphabet: Sendable {
        /// `A–Z a–z 0–9 + /`
        case standard
        /// `A–Z a–z 0–9 - _`
        case url
    }

    /// How strictly to read, named after who reads that way.
    package enum DecodingMode: Sendable {
        /// PHP `base64_decode($s, true)`: standard alphabet; space, tab, CR, LF skipped; padding
        /// optional but exact when present; non-zero trailing bits accepted.
        case phpStrict
        /// laravel-crypto's `Base64::urlDecode`: PHP strict rules over both alphabets, which may be mixed.
        case phpStrictEitherAlphabet
        /// PHP `base64_decode($s)`: every byte outside the standard alphabet (padding included) is skipped.
        case phpForgiving
        /// libsodium `URLSAFE_NO_PADDING`: url alphabet only, no padding, no whitespace,
        /// canonical trailing bits.
        case sodiumURLNoPadding
    }

    /// The reason a text was rejected; callers wrap it in their public error.
    package struct DecodingFailure: Error, Equatable, Sendable {
        /// Where and why, for a message.
        package let reason: String
    }

    // MARK: Encoding

    /// The length of the encoding of `byteCount` bytes.
    static func encodedCount(of byteCount: Int, padded: Bool) -> Int {
        padded ? (byteCount + 2) / 3 * 4 : (byteCount * 4 + 2) / 3
    }

    /// Encodes `input` into a new `String`, written straight into the string's storage.
    package static func encode(_ input: UnsafeRawBufferPointer, alphabet: Alphabet, padded: Bool) -> String {
        let count = encodedCount(of: input.count, padded: padded)
        return String(unsafeUninitializedCapacity: count) { out in
            encode(input, alphabet: alphabet, padded: padded, into: UnsafeMutableRawBufferPointer(out))
            return count
        }
    }

    /// Encodes `input` into `out`, which must hold exactly ``encodedCount(of:padded:)`` bytes.
    /// `vectorized: false` forces the portable loop (tests compare the two).
    static func encode(
        _ input: UnsafeRawBufferPointer, alphabet: Alphabet, padded: Bool, into out: UnsafeMutableRawBufferPointer,
        vectorized: Bool = true
    ) {
        guard let inp = input.baseAddress, let dst = out.baseAddress else { return }
        let n = input.count
        let pair = alphabet == .standard ? EncodingTables.standardPairs : EncodingTables.urlPairs
        let singles = alphabet == .standard ? EncodingTables.standardSingles : EncodingTables.urlSingles
        let vectorDone =
            vectorized && n >= 28 ? VectorBase64.encodeBlocks(inp, count: n, into: dst, alphabet: alphabet) : 0
        var i = vectorDone
        var o = vectorDone / 3 * 4
        while i + 8 <= n {
            let v = UInt64(bigEndian: inp.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            dst.storeBytes(of: pair[Int(truncatingIfNeeded: v &>> 52)], toByteOffset: o, as: UInt16.self)
            dst.storeBytes(
                of: pair[Int(truncatingIfNeeded: (v &>> 40) & 0xFFF)], toByteOffset: o + 2, as: UInt16.self)
            dst.storeBytes(
                of: pair[Int(truncatingIfNeeded: (v &>> 28) & 0xFFF)], toByteOffset: o + 4, as: UInt16.self)
            dst.storeBytes(
                of: pair[Int(truncatingIfNeeded: (v &>> 16) & 0xFFF)], toByteOffset: o + 6, as: UInt16.self)
            i += 6
            o += 8
        }
        while i + 3 <= n {
            let v =
                UInt32(inp.load(fromByteOffset: i, as: UInt8.self)) &<< 16
                | UInt32(inp.load(fromByteOffset: i + 1, as: UInt8.self)) &<< 8
                | UInt32(inp.load(fromByteOffset: i + 2, as: UInt8.self))
            dst.storeBytes(of: pair[Int(v &>> 12)], toByteOffset: o, as: UInt16.self)
            dst.storeBytes(of: pair[Int(v & 0xFFF)], toByteOffset: o + 2, as: UInt16.self)
            i += 3
            o += 4
        }
        let rest = n - i
        guard rest > 0 else { return }
        let b0 = UInt32(inp.load(fromByteOffset: i, as: UInt8.self))
        let b1 = rest == 2 ? UInt32(inp.load(fromByteOffset: i + 1, as: UInt8.self)) : 0
        let v = b0 &<< 16 | b1 &<< 8
        dst.storeBytes(of: singles[Int(v &>> 18)], toByteOffset: o, as: UInt8.self)
        dst.storeBytes(of: singles[Int((v &>> 12) & 0x3F)], toByteOffset: o + 1, as: UInt8.self)
        o += 2
        if rest == 2 {
            dst.storeBytes(of: singles[Int((v &>> 6) & 0x3F)], toByteOffset: o, as: UInt8.self)
            o += 1
        }
        if padded {
            for _ in 0..<(3 - rest) {
                dst.storeBytes(of: UInt8(ascii: "="), toByteOffset: o, as: UInt8.self)
                o += 1
            }
        }
    }

    // MARK: Decoding

    /// Bytes a decode of `encodedCount` characters may need in its output buffer (with slack for
    /// the 8-byte stores of the fast loop).
    static func decodingCapacity(for encodedCount: Int) -> Int {
        encodedCount / 4 * 3 + 3 + 8
    }

    /// Decodes `input` into a new array.
    static func decode(_ input: UnsafeRawBufferPointer, mode: DecodingMode) throws(DecodingFailure) -> [UInt8] {
        var failure: DecodingFailure?
        let bytes = [UInt8](unsafeUninitializedCapacity: decodingCapacity(for: input.count)) { out, count in
            do throws(DecodingFailure) {
                count = try decode(input, mode: mode, into: UnsafeMutableRawBufferPointer(out))
            } catch {
                failure = error
                count = 0
            }
        }
        if let failure { throw failure }
        return bytes
    }

    /// Decodes `text` into a new array.
    package static func decode(_ text: String, mode: DecodingMode) throws(DecodingFailure) -> [UInt8] {
        var text = text
        let result: Result<[UInt8], DecodingFailure> = text.withUTF8 { utf8 in
            Result { () throws(DecodingFailure) in try decode(UnsafeRawBufferPointer(utf8), mode: mode) }
        }
        return try result.get()
    }

    /// Decodes `input` into `out` (at least ``decodingCapacity(for:)`` bytes) and returns the
    /// number of bytes written. `vectorized: false` forces the portable loops (tests compare the two).
    static func decode(
        _ input: UnsafeRawBufferPointer, mode: DecodingMode, into out: UnsafeMutableRawBufferPointer,
        vectorized: Bool = true
    ) throws(DecodingFailure) -> Int {
        guard let src = input.baseAddress, let dst = out.baseAddress else { return 0 }
        let tables = DecodingTables.tables(for: mode)
        let n = input.count
        var i = vectorized && n >= 32 ? VectorBase64.decodeBlocks(src, count: n, into: dst, mode: mode) : 0
        var o = i / 4 * 3
        let t = tables.shifted
        while i + 8 <= n {
            let x =
                t[Int(src.load(fromByteOffset: i, as: UInt8.self))]
                | t[256 + Int(src.load(fromByteOffset: i + 1, as: UInt8.self))]
                | t[512 + Int(src.load(fromByteOffset: i + 2, as: UInt8.self))]
                | t[768 + Int(src.load(fromByteOffset: i + 3, as: UInt8.self))]
            let y =
                t[Int(src.load(fromByteOffset: i + 4, as: UInt8.self))]
                | t[256 + Int(src.load(fromByteOffset: i + 5, as: UInt8.self))]
                | t[512 + Int(src.load(fromByteOffset: i + 6, as: UInt8.self))]
                | t[768 + Int(src.load(fromByteOffset: i + 7, as: UInt8.self))]
            if (x | y) & DecodingTables.invalidBit != 0 { break }
            let word = UInt64(x) &<< 40 | UInt64(y) &<< 16
            dst.storeBytes(of: word.bigEndian, toByteOffset: o, as: UInt64.self)
            i += 8
            o += 6
        }
        return try decodeRest(src + i, count: n - i, offset: i, mode: mode, values: tables.values, into: dst + o) + o
    }

    /// The per-character loop: starts on a 4-character boundary and applies every rule of `mode`.
    private static func decodeRest(
        _ src: UnsafeRawPointer, count n: Int, offset: Int, mode: DecodingMode, values: ImmortalTable<UInt8>,
        into dst: UnsafeMutableRawPointer
    ) throws(DecodingFailure) -> Int {
        var accumulator: UInt32 = 0
        var pending = 0
        var padding = 0
        var o = 0
        let skipsWhitespace = mode != .sodiumURLNoPadding
        let forgiving = mode == .phpForgiving
        for i in 0..<n {
            let c = src.load(fromByteOffset: i, as: UInt8.self)
            if c == UInt8(ascii: "=") {
                if mode == .sodiumURLNoPadding { throw DecodingFailure(reason: "padding at offset \(offset + i)") }
                padding += 1
                continue
            }
            let v = values[Int(c)]
            if v == DecodingTables.invalid {
                if forgiving { continue }
                if skipsWhitespace && (c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D) { continue }
                throw DecodingFailure(reason: "invalid character at offset \(offset + i)")
            }
            if padding > 0 && !forgiving {
                throw DecodingFailure(reason: "data after padding at offset \(offset + i)")
            }
            accumulator = accumulator &<< 6 | UInt32(v)
            pending += 1
            if pending == 4 {
                dst.storeBytes(of: UInt8(truncatingIfNeeded: accumulator &>> 16), toByteOffset: o, as: UInt8.self)
                dst.storeBytes(of: UInt8(truncatingIfNeeded: accumulator &>> 8), toByteOffset: o + 1, as: UInt8.self)
                dst.storeBytes(of: UInt8(truncatingIfNeeded: accumulator), toByteOffset: o + 2, as: UInt8.self)
                o += 3
                pending = 0
                accumulator = 0
            }
        }
        if !forgiving && padding > 0 && (padding > 2 || (pending + padding) % 4 != 0) {
            throw DecodingFailure(reason: "wrong padding")
        }
        switch pending {
        case 1:
            if !forgiving { throw DecodingFailure(reason: "truncated input (a lone final character)") }
        case 2:
            if mode == .sodiumURLNoPadding && accumulator & 0xF != 0 {
                throw DecodingFailure(reason: "non-canonical final character")
            }
            dst.storeBytes(of: UInt8(truncatingIfNeeded: accumulator &>> 4), toByteOffset: o, as: UInt8.self)
            o += 1
        case 3:
            if mode == .sodiumURLNoPadding && accumulator & 0x3 != 0 {
                throw DecodingFailure(reason: "non-canonical final character")
            }
            dst.storeBytes(of: UInt8(truncatingIfNeeded: accumulator &>> 10), toByteOffset: o, as: UInt8.self)
            dst.storeBytes(of: UInt8(truncatingIfNeeded: accumulator &>> 2), toByteOffset: o + 1, as: UInt8.self)
            o += 2
        default:
            break
        }
        return o
    }
}
