internal import CVector

/// The vectorised bulk of ``Base64`` (AVX2 on x86-64, from `Sources/CVector`); processes nothing
/// on other CPUs, where the portable Swift loops do all the work.
enum VectorBase64 {
    /// Whether this CPU runs the vector routines.
    static let isAvailable = lc_base64_has_simd() == 1

    /// Encodes whole 24-byte blocks; returns the input bytes consumed (output: 4/3 of that).
    static func encodeBlocks(
        _ input: UnsafeRawPointer, count: Int, into output: UnsafeMutableRawPointer, alphabet: Base64.Alphabet
    ) -> Int {
        lc_base64_encode_blocks(
            input.assumingMemoryBound(to: UInt8.self), count, output.assumingMemoryBound(to: UInt8.self),
            Int32(alphabet == .url ? LC_BASE64_URL.rawValue : LC_BASE64_STANDARD.rawValue))
    }

    /// Decodes whole 32-character blocks of alphabet characters; returns the characters consumed
    /// (output: 3/4 of that; 8 bytes of slack needed after it).
    static func decodeBlocks(
        _ input: UnsafeRawPointer, count: Int, into output: UnsafeMutableRawPointer, mode: Base64.DecodingMode
    ) -> Int {
        let alphabet: lc_base64_alphabet =
            switch mode {
            case .phpStrict, .phpForgiving: LC_BASE64_STANDARD
            case .phpStrictEitherAlphabet: LC_BASE64_EITHER
            case .sodiumURLNoPadding: LC_BASE64_URL
            }
        return lc_base64_decode_blocks(
            input.assumingMemoryBound(to: UInt8.self), count, output.assumingMemoryBound(to: UInt8.self),
            Int32(alphabet.rawValue))
    }
}
