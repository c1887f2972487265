/// laravel-crypto's wrapping of Laravel's payload for non-Sodium cipher names (spec
/// laravel-crypto.md §3.6): `base64url-nopad(R ‖ P)`, where `R` is 16 (CBC) or 12 (GCM) unused
/// random bytes and `P` the Laravel payload text.
enum LaravelCryptoWrapping {
    /// Wraps the JSON `envelope`: `P = base64(envelope)`, then the outer encoding.
    static func wrap(_ envelope: UnsafeRawBufferPointer, randomPrefixCount: Int) -> String {
        let innerCount = Base64.encodedCount(of: envelope.count, padded: true)
        return CompactPayload.encode(byteCount: randomPrefixCount + innerCount) { raw in
            NoncePool.shared.fill(UnsafeMutableRawBufferPointer(rebasing: raw[0..<randomPrefixCount]))
            Base64.encode(
                envelope, alphabet: .standard, padded: true,
                into: UnsafeMutableRawBufferPointer(rebasing: raw[randomPrefixCount...]))
        }
    }

    /// Calls `body` with the Laravel payload text: `payload` itself, or, when `wrapped`, what
    /// follows the random prefix inside it.
    static func withLaravelPayload<R>(
        _ payload: String, wrapped: Bool, prefixCount: Int, _ body: (UnsafeRawBufferPointer) throws -> R
    ) throws -> R {
        // Read in place: a `var` copy would retain the string's storage, a reference count that
        // every thread decrypting the same payload writes.
        guard wrapped else { return try payload.withUTF8Bytes(body) }
        return try CompactPayload.withDecoded(payload, nonceByteCount: prefixCount, minimumBodyByteCount: 0) {
            _, inner in
            try body(inner)
        }
    }
}
