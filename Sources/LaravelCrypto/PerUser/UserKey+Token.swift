extension UserKey {
    /// The encryption token: the key as base64url without padding (43 characters), what
    /// laravel-crypto sends in the `X-Encryption-Token` header and the `enc_token` cookie.
    ///
    /// The token *is* the key: send it only over TLS, never log it.
    public var token: String {
        withUnsafeBytes { Base64.encode($0, alphabet: .url, padded: false) }
    }

    /// Reads a token as laravel-crypto's `decodeToken` does: base64url or standard base64 (mixed
    /// alphabets too), padding optional but exact when present, spaces, tabs and line breaks skipped,
    /// non-canonical trailing bits accepted; it must decode to 32 bytes.
    /// - Throws: ``UserKeyError/invalidToken(reason:)`` where upstream returns null or throws a
    ///   `TypeError` (empty text, a character outside both alphabets, a wrong size).
    public init(token: String) throws(UserKeyError) {
        guard !token.isEmpty else { throw .invalidToken(reason: "it is empty") }
        var text = token
        let result: Result<WipedBuffer, UserKeyError> = text.withUTF8 { utf8 in
            withUnsafeTemporaryAllocation(byteCount: Base64.decodingCapacity(for: utf8.count), alignment: 16) {
                scratch in
                defer { SodiumMemory.zero(scratch) }
                let count: Int
                do throws(Base64.DecodingFailure) {
                    count = try Base64.decode(
                        UnsafeRawBufferPointer(utf8), mode: .phpStrictEitherAlphabet, into: scratch)
                } catch {
                    return .failure(.invalidToken(reason: "it is not base64url (\(error.reason))"))
                }
                guard count == Self.byteCount else {
                    return .failure(.invalidToken(reason: "it decodes to \(count) bytes, not \(Self.byteCount)"))
                }
                return .success(WipedBuffer.copying(UnsafeRawBufferPointer(rebasing: scratch[..<count])))
            }
        }
        storage = try result.get()
    }
}
