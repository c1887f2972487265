/// One file format's per-chunk work under one key (spec §6): the header, and sealing and opening
/// chunk `i` with its tag or nonce. The streams above it do the chunking.
final class FileChunkCipher {
    /// Plaintext per chunk.
    static let chunkByteCount = 8192

    enum Layout {
        case secretStream
        case xsalsaHMAC
        case native(Cipher)
    }

    let layout: Layout
    private let key: EncryptionKey
    /// XSalsa20 + HMAC: the derived encryption and authentication keys (`crypto_kdf`, context "XSalsaHm").
    private var xsalsaKeys: [UInt8] = []
    private var stream: SodiumSecretStream?
    private var aesKey: PreparedAESKey?
    /// N0 for XSalsa and Native; the secretstream header otherwise.
    private(set) var header: [UInt8] = []
    private var chunkNonce: [UInt8] = []

    init(layout: Layout, key: EncryptionKey) throws {
        self.layout = layout
        self.key = key
        switch layout {
        case .secretStream: break
        case .xsalsaHMAC:
            var derived = [UInt8](repeating: 0, count: 64)
            try key.withUnsafeBytes { key in
                try derived.withUnsafeMutableBytes { out in
                    let context = Array("XSalsaHm".utf8)
                    try context.withUnsafeBytes { context in
                        try SodiumKDF.derive(
                            subkeyID: 1, context: context, key: key,
                            into: UnsafeMutableRawBufferPointer(rebasing: out[..<32]))
                        try SodiumKDF.derive(
                            subkeyID: 2, context: context, key: key,
                            into: UnsafeMutableRawBufferPointer(rebasing: out[32...]))
                    }
                }
            }
            xsalsaKeys = derived
        case .native(let cipher):
            if case .laravel(let aes) = cipher.backend {
                aesKey = try key.withUnsafeBytes { try PreparedAESKey(aes, key: $0) }
            }
        }
    }

    deinit {
        SecureMemory.wipe(&xsalsaKeys)
        stream?.wipe()
    }

    /// Header size: 24, or the native cipher's nonce size.
    static func headerByteCount(_ layout: Layout) -> Int {
        switch layout {
        case .secretStream, .xsalsaHMAC: 24
        case .native(let cipher):
            switch cipher.backend {
            case .sodium(let algorithm): algorithm.nonceByteCount
            case .laravel(let aes): aes.isGCM ? 12 : 16
            }
        }
    }

    /// Bytes a full chunk adds: 17 (secretstream), 32 (XSalsa MAC), the tag (16 or 32 for AEGIS),
    /// or 32 for CBC (a 16-byte MAC and a full block of padding).
    static func overhead(_ layout: Layout) -> Int {
        switch layout {
        case .secretStream: SodiumSecretStream.overhead
        case .xsalsaHMAC: 32
        case .native(let cipher):
            switch cipher.backend {
            case .sodium(let algorithm): algorithm.tagByteCount
            case .laravel(let aes): aes.isGCM ? 16 : 32
            }
        }
    }

    /// Whether the format marks its last chunk (secretstream, XSalsa) — Native has no final marker.
    static func hasFinalMarker(_ layout: Layout) -> Bool {
        if case .native = layout { return false }
        return true
    }

    /// The ciphertext size of a chunk of `count` plaintext bytes.
    static func sealedCount(_ layout: Layout, plaintext count: Int) -> Int {
        if case .native(let cipher) = layout, case .laravel(let aes) = cipher.backend, !aes.isGCM {
            return 16 + (count / 16 + 1) * 16
        }
        return count + overhead(layout)
    }

    // MARK: Writing

    /// Starts a new file: a fresh header (or `fixedHeader`, for known-answer tests).
    func startWriting(fixedHeader: [UInt8]? = nil) throws {
        let count = Self.headerByteCount(layout)
        switch layout {
        case .secretStream:
            var header = [UInt8](repeating: 0, count: count)
            stream = try key.withUnsafeBytes { key in
                try header.withUnsafeMutableBytes { try SodiumSecretStream.push(key: key, header: $0) }
            }
            self.header = header
        case .xsalsaHMAC, .native:
            var header = fixedHeader ?? [UInt8](repeating: 0, count: count)
            if fixedHeader == nil { header.withUnsafeMutableBytes { NoncePool.shared.fill($0) } }
            self.header = header
            chunkNonce = header
        }
    }

    /// Seals the next chunk into `out` (exactly ``sealedCount(_:plaintext:)`` bytes); `isFinal`
    /// marks the last one (ignored by Native).
    func seal(_ plaintext: UnsafeRawBufferPointer, isFinal: Bool, into out: UnsafeMutableRawBufferPointer) throws {
        switch layout {
        case .secretStream:
            try stream?.push(
                plaintext, tag: isFinal ? SodiumSecretStream.tagFinal : SodiumSecretStream.tagMessage, into: out)
        case .xsalsaHMAC:
            let body = UnsafeMutableRawBufferPointer(rebasing: out[32...])
            try withXSalsaKeys { encKey, authKey in
                try chunkNonce.withUnsafeBytes { nonce in
                    try SodiumStreamAuth.xsalsa20XOR(plaintext, nonce: nonce, key: encKey, into: body)
                    var tag = isFinal ? UInt8(1) : 0
                    try withUnsafeBytes(of: &tag) { tag in
                        try SodiumStreamAuth.auth(
                            [tag, nonce, UnsafeRawBufferPointer(body)], key: authKey,
                            into: UnsafeMutableRawBufferPointer(rebasing: out[..<32]))
                    }
                }
            }
        case .native(let cipher):
            try sealNative(plaintext, cipher: cipher, into: out)
        }
        advanceNonce()
    }

    /// Seals the next chunk into a new array.
    func seal(_ plaintext: UnsafeRawBufferPointer, isFinal: Bool) throws -> [UInt8] {
        try [UInt8](unsafeUninitializedCapacity: Self.sealedCount(layout, plaintext: plaintext.count)) { out, count in
            try seal(plaintext, isFinal: isFinal, into: UnsafeMutableRawBufferPointer(out))
            count = out.count
        }
    }

    private func sealNative(
        _ plaintext: UnsafeRawBufferPointer, cipher: Cipher, into out: UnsafeMutableRawBufferPointer
    ) throws {
        try chunkNonce.withUnsafeBytes { nonce in
            switch cipher.backend {
            case .sodium(let algorithm):
                try key.withUnsafeBytes { key in
                    try algorithm.seal(
                        plaintext,
                        associatedData: algorithm.acceptsAssociatedData
                            ? nonce : UnsafeRawBufferPointer(start: nil, count: 0),
                        nonce: nonce, key: key, into: out)
                }
            case .laravel(let aes):
                guard let aesKey else { throw PrimitiveError.callFailed("AES key") }
                let body = UnsafeMutableRawBufferPointer(rebasing: out[16...])
                if aes.isGCM {
                    try aesKey.gcmSeal(
                        plaintext, iv: nonce, ciphertext: body, tag: UnsafeMutableRawBufferPointer(rebasing: out[..<16])
                    )
                } else {
                    PKCS7.pad(plaintext, into: body)
                    try aesKey.cbc(encrypt: true, UnsafeRawBufferPointer(body), iv: nonce, into: body)
                    try writeCBCMAC(
                        of: UnsafeRawBufferPointer(body), into: UnsafeMutableRawBufferPointer(rebasing: out[..<16]))
                }
            }
        }
    }

    /// The first 16 bytes of HMAC over FIPS SHA-512/256 of the ciphertext (PHP `hash_hmac('sha512/256', ct, key,
    /// true)`).
    private func writeCBCMAC(of ciphertext: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) throws {
        guard let mac = key.withUnsafeBytes({ OpenSSLSHA512_256.hmac(key: $0, message: ciphertext) }) else {
            throw PrimitiveError.callFailed("HMAC-SHA-512/256")
        }
        out.copyBytes(from: mac[..<16])
    }

    // MARK: Reading

    /// Starts reading a file that begins with `header`; throws when this key cannot (secretstream checks the header).
    func startReading(header: UnsafeRawBufferPointer) throws {
        self.header = Array(header)
        switch layout {
        case .secretStream:
            stream = try key.withUnsafeBytes { try SodiumSecretStream.pull(key: $0, header: header) }
        case .xsalsaHMAC, .native:
            chunkNonce = Array(header)
        }
    }

    /// Opens the next chunk into `out` (at least `sealed.count` bytes); `isLast` says it ends the file.
    /// Returns the plaintext size and whether the chunk carried the final marker. Throws
    /// ``PrimitiveError/authenticationFailed`` for a chunk that does not verify.
    func open(_ sealed: UnsafeRawBufferPointer, isLast: Bool, into out: UnsafeMutableRawBufferPointer) throws -> (
        count: Int, isFinal: Bool
    ) {
        var isFinal = false
        var count = 0
        switch layout {
        case .secretStream:
            guard sealed.count >= SodiumSecretStream.overhead, var current = stream else {
                throw PrimitiveError.authenticationFailed
            }
            count = sealed.count - SodiumSecretStream.overhead
            let tag = try current.pull(sealed, into: UnsafeMutableRawBufferPointer(rebasing: out[..<count]))
            stream = current
            isFinal = tag == SodiumSecretStream.tagFinal
        case .xsalsaHMAC:
            guard sealed.count >= 32 else { throw PrimitiveError.authenticationFailed }
            let body = UnsafeRawBufferPointer(rebasing: sealed[32...])
            count = body.count
            // The tag byte is authenticated: the last chunk must verify as final, every other as not.
            try withXSalsaKeys { encKey, authKey in
                try chunkNonce.withUnsafeBytes { nonce in
                    func verifies(final: Bool) throws -> Bool {
                        try withUnsafeTemporaryAllocation(byteCount: 32, alignment: 16) { expected in
                            var tag = final ? UInt8(1) : 0
                            try withUnsafeBytes(of: &tag) { tag in
                                try SodiumStreamAuth.auth([tag, nonce, body], key: authKey, into: expected)
                            }
                            return SodiumMemory.constantTimeEquals(
                                UnsafeRawBufferPointer(expected), UnsafeRawBufferPointer(rebasing: sealed[..<32]))
                        }
                    }
                    if try verifies(final: isLast) {
                        isFinal = isLast
                    } else if isLast, try verifies(final: false) {
                        // A valid non-final chunk at the end of the file: the rest was cut off.
                        isFinal = false
                    } else {
                        throw PrimitiveError.authenticationFailed
                    }
                    try SodiumStreamAuth.xsalsa20XOR(
                        body, nonce: nonce, key: encKey, into: UnsafeMutableRawBufferPointer(rebasing: out[..<count]))
                }
            }
        case .native(let cipher):
            count = try openNative(sealed, cipher: cipher, into: out)
        }
        advanceNonce()
        return (count, isFinal)
    }

    /// Opens the next chunk into a new array.
    func open(_ sealed: UnsafeRawBufferPointer, isLast: Bool) throws -> (plaintext: [UInt8], isFinal: Bool) {
        var isFinal = false
        let plaintext = try [UInt8](unsafeUninitializedCapacity: max(sealed.count, 1)) { out, count in
            let result = try open(sealed, isLast: isLast, into: UnsafeMutableRawBufferPointer(out))
            count = result.count
            isFinal = result.isFinal
        }
        return (plaintext, isFinal)
    }

    private func openNative(_ sealed: UnsafeRawBufferPointer, cipher: Cipher, into out: UnsafeMutableRawBufferPointer)
        throws -> Int
    {
        let overhead = Self.overhead(layout)
        return try chunkNonce.withUnsafeBytes { nonce in
            switch cipher.backend {
            case .sodium(let algorithm):
                guard sealed.count >= overhead else { throw PrimitiveError.authenticationFailed }
                let count = sealed.count - overhead
                try key.withUnsafeBytes { key in
                    try algorithm.open(
                        sealed,
                        associatedData: algorithm.acceptsAssociatedData
                            ? nonce : UnsafeRawBufferPointer(start: nil, count: 0),
                        nonce: nonce, key: key, into: UnsafeMutableRawBufferPointer(rebasing: out[..<count]))
                }
                return count
            case .laravel(let aes):
                guard let aesKey, sealed.count >= 16 else { throw PrimitiveError.authenticationFailed }
                let body = UnsafeRawBufferPointer(rebasing: sealed[16...])
                let plaintext = UnsafeMutableRawBufferPointer(rebasing: out[..<body.count])
                if aes.isGCM {
                    try aesKey.gcmOpen(
                        body, tag: UnsafeRawBufferPointer(rebasing: sealed[..<16]), iv: nonce, into: plaintext)
                    return body.count
                }
                guard body.count >= 16, body.count % 16 == 0 else { throw PrimitiveError.authenticationFailed }
                try withUnsafeTemporaryAllocation(byteCount: 16, alignment: 16) { mac in
                    try writeCBCMAC(of: body, into: mac)
                    guard
                        SodiumMemory.constantTimeEquals(
                            UnsafeRawBufferPointer(mac), UnsafeRawBufferPointer(rebasing: sealed[..<16]))
                    else {
                        throw PrimitiveError.authenticationFailed
                    }
                }
                try aesKey.cbc(encrypt: false, body, iv: nonce, into: plaintext)
                guard let count = PKCS7.unpaddedCount(UnsafeRawBufferPointer(plaintext)) else {
                    throw PrimitiveError.authenticationFailed
                }
                return count
            }
        }
    }

    // MARK: Helpers

    private func advanceNonce() {
        guard !chunkNonce.isEmpty else { return }
        chunkNonce.withUnsafeMutableBytes { SodiumStreamAuth.increment($0) }
    }

    private func withXSalsaKeys<R>(_ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> R) throws -> R {
        try xsalsaKeys.withUnsafeBytes { keys in
            try body(UnsafeRawBufferPointer(rebasing: keys[..<32]), UnsafeRawBufferPointer(rebasing: keys[32...]))
        }
    }
}
