/// laravel-crypto's compact payload: `base64url-nopad(nonce ‖ body)`, where `body` is what the
/// cipher's PHP function returns (spec §3.2).
///
/// Reading follows laravel-crypto's `Base64::urlDecode`: both alphabets, optional padding,
/// whitespace skipped. Unlike upstream (which lets PHP throw a `TypeError`), every malformed
/// text is a ``DecryptionError``.
enum CompactPayload {
    /// Calls `body` with the nonce and the rest of the decoded `payload`; the decoded bytes live
    /// in ``ThreadScratch`` (the stack, or a buffer the thread keeps: no allocation per call).
    static func withDecoded<R>(
        _ payload: String,
        nonceByteCount: Int,
        minimumBodyByteCount: Int,
        _ body: (_ nonce: UnsafeRawBufferPointer, _ body: UnsafeRawBufferPointer) throws -> R
    ) throws -> R {
        try payload.withUTF8Bytes { text in
            let capacity = Base64.decodingCapacity(for: text.count)
            return try ThreadScratch.withBuffer(byteCount: capacity) { scratch in
                let count: Int
                do throws(Base64.DecodingFailure) {
                    count = try Base64.decode(text, mode: .phpStrictEitherAlphabet, into: scratch)
                } catch {
                    throw DecryptionError.invalidEncoding(reason: error.reason)
                }
                let minimum = nonceByteCount + minimumBodyByteCount
                guard count >= minimum else { throw DecryptionError.payloadTooShort(minimum: minimum, actual: count) }
                let raw = UnsafeRawBufferPointer(scratch)
                return try body(
                    UnsafeRawBufferPointer(rebasing: raw[0..<nonceByteCount]),
                    UnsafeRawBufferPointer(rebasing: raw[nonceByteCount..<count]))
            }
        }
    }

    /// Builds `nonce ‖ body` in ``ThreadScratch`` with `fill` and returns its base64url text.
    static func encode(
        byteCount: Int, _ fill: (UnsafeMutableRawBufferPointer) throws -> Void
    ) rethrows -> String {
        try ThreadScratch.withBuffer(byteCount: byteCount) { raw in
            try fill(raw)
            return Base64.encode(UnsafeRawBufferPointer(raw), alphabet: .url, padded: false)
        }
    }
}
