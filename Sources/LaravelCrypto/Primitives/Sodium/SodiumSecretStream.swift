internal import CSodium

/// libsodium's secretstream (XChaCha20-Poly1305), unchanged: a 24-byte header, then messages of
/// `plaintext + 17` bytes, each with a tag; the state carries the counter and rekeys itself.
package struct SodiumSecretStream {
    static let keyByteCount = 32
    static let headerByteCount = 24
    /// Bytes each message adds: one encrypted tag byte and a 16-byte MAC.
    package static let overhead = 17
    static let tagMessage: UInt8 = 0
    static let tagFinal: UInt8 = 3

    private var state = crypto_secretstream_xchacha20poly1305_state()

    /// A pushing stream under `key`; writes the header into `header` (24 bytes).
    package static func push(key: UnsafeRawBufferPointer, header: UnsafeMutableRawBufferPointer) throws(PrimitiveError)
        -> SodiumSecretStream
    {
        try Sodium.ensureReady()
        guard key.count == keyByteCount, let k = pointer(key) else {
            throw .invalidLength(what: "secretstream key", expected: keyByteCount, actual: key.count)
        }
        guard header.count == headerByteCount, let h = header.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            throw .invalidLength(what: "secretstream header", expected: headerByteCount, actual: header.count)
        }
        var stream = SodiumSecretStream()
        guard crypto_secretstream_xchacha20poly1305_init_push(&stream.state, h, k) == 0 else {
            throw .callFailed("crypto_secretstream_xchacha20poly1305_init_push")
        }
        return stream
    }

    /// A pulling stream under `key` for the stream that began with `header`.
    static func pull(key: UnsafeRawBufferPointer, header: UnsafeRawBufferPointer) throws(PrimitiveError)
        -> SodiumSecretStream
    {
        try Sodium.ensureReady()
        guard key.count == keyByteCount, let k = pointer(key) else {
            throw .invalidLength(what: "secretstream key", expected: keyByteCount, actual: key.count)
        }
        guard header.count == headerByteCount, let h = pointer(header) else {
            throw .invalidLength(what: "secretstream header", expected: headerByteCount, actual: header.count)
        }
        var stream = SodiumSecretStream()
        guard crypto_secretstream_xchacha20poly1305_init_pull(&stream.state, h, k) == 0 else {
            throw .authenticationFailed
        }
        return stream
    }

    /// Encrypts one message with `tag` into `out` (`message.count + 17` bytes).
    package mutating func push(_ message: UnsafeRawBufferPointer, tag: UInt8, into out: UnsafeMutableRawBufferPointer)
        throws(PrimitiveError)
    {
        guard out.count == message.count + Self.overhead, let c = out.baseAddress?.assumingMemoryBound(to: UInt8.self)
        else {
            throw .invalidLength(
                what: "secretstream message", expected: message.count + Self.overhead, actual: out.count)
        }
        let status = crypto_secretstream_xchacha20poly1305_push(
            &state, c, nil, nonNullPointer(message), UInt64(message.count), nil, 0, tag)
        guard status == 0 else { throw .callFailed("crypto_secretstream_xchacha20poly1305_push") }
    }

    /// Verifies and decrypts one message into `out` (`cipher.count - 17` bytes); returns its tag.
    mutating func pull(_ cipher: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) throws(PrimitiveError)
        -> UInt8
    {
        guard cipher.count >= Self.overhead, let c = pointer(cipher) else {
            throw .invalidLength(what: "secretstream message", expected: Self.overhead, actual: cipher.count)
        }
        guard out.count == cipher.count - Self.overhead else {
            throw .invalidLength(
                what: "secretstream plaintext", expected: cipher.count - Self.overhead, actual: out.count)
        }
        var tag: UInt8 = 0
        let status = crypto_secretstream_xchacha20poly1305_pull(
            &state, nonNullPointer(out), nil, &tag, c, UInt64(cipher.count), nil, 0)
        guard status == 0 else { throw .authenticationFailed }
        return tag
    }

    /// Zeroes the state (its key and nonce).
    package mutating func wipe() {
        SodiumMemory.zero(inline: &state)
    }
}
