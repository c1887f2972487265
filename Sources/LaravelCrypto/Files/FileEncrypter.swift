#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Encrypts and decrypts files and streams as laravel-crypto's `Crypt::encryptFile` /
/// `Crypt::decryptFile` do (spec §6), byte for byte, in constant memory.
///
/// - ``Driver/secretStream`` (upstream's default, and ours): libsodium secretstream; every chunk is
///   authenticated, bound to its position, and the last one is marked final.
/// - ``Driver/xsalsaHMAC``: XSalsa20 with an HMAC-SHA-512-256 per chunk over its final flag, nonce and ciphertext.
/// - ``Driver/native(_:)``: the app cipher per chunk with nonces `N0 + i`. It has **no final marker**: a
///   file cut at a chunk boundary decrypts to a prefix without error. With `aes-*-cbc` the chunk MAC
///   covers only the ciphertext, not the nonce, so swapped or deleted chunks go through (spec §13.1).
///   Prefer ``Driver/secretStream``.
///
/// Stricter than upstream: secretstream and XSalsa files cut at a chunk boundary, reduced to their
/// header, or missing their empty final chunk are errors (upstream returns a silent prefix).
/// Decryption tries the current key, then each previous key, on the first chunk.
public struct FileEncrypter: Sendable {
    /// The file format (`CRYPTO_FILE_ENCRYPTION_ALGORITHM`).
    public enum Driver: Sendable, Hashable {
        /// libsodium secretstream (XChaCha20-Poly1305), laravel-crypto's default.
        case secretStream
        /// XSalsa20 + HMAC-SHA-512-256 per chunk.
        case xsalsaHMAC
        /// The app cipher per chunk (laravel-crypto's `native` driver).
        case native(Cipher)
    }

    /// The driver.
    public let driver: Driver
    private let keys: [EncryptionKey]

    /// An encrypter from `CRYPTO_FILE_ENCRYPTION_KEY` / `CRYPTO_FILE_ENCRYPTION_PREVIOUS_KEYS`-style
    /// strings, read as laravel-crypto reads them (`base64:` + base64, otherwise hex). The key must be
    /// 32 bytes (secretstream, XSalsa) or the native cipher's size.
    /// - Throws: ``KeyError``, ``CipherError`` when the native cipher cannot run here.
    public init(driver: Driver = .secretStream, key: String, previousKeys: [String] = []) throws {
        let ring = try KeyRing(currentKey: key, previousKeys: previousKeys, format: .laravelCrypto)
        try self.init(driver: driver, keys: ring)
    }

    /// An encrypter from keys you already hold.
    /// - Throws: ``KeyError``, ``CipherError``.
    public init(driver: Driver = .secretStream, keys: KeyRing) throws {
        let expected: Int
        switch driver {
        case .secretStream, .xsalsaHMAC: expected = 32
        case .native(let cipher):
            if let reason = cipher.unavailabilityReason {
                throw CipherError.unavailable(cipher: cipher, reason: reason)
            }
            expected = cipher.keyByteCount
        }
        try keys.requireByteCount(expected, for: .fileDriver(driver))
        self.driver = driver
        self.keys = keys.all
    }

    var layout: FileChunkCipher.Layout {
        switch driver {
        case .secretStream: .secretStream
        case .xsalsaHMAC: .xsalsaHMAC
        case .native(let cipher): .native(cipher)
        }
    }

    /// A stream that encrypts with the current key.
    /// - Throws: ``FileEncryptionError``.
    public func makeEncryptionStream() throws -> FileEncryptionStream {
        try makeEncryptionStream(fixedHeader: nil)
    }

    /// A stream with a given header or nonce (known-answer tests only).
    package func makeEncryptionStream(fixedHeader: [UInt8]?) throws -> FileEncryptionStream {
        FileEncryptionStream(
            cipher: try Self.mapped { try FileChunkCipher(layout: layout, key: keys[0]) }, fixedHeader: fixedHeader)
    }

    /// A stream that decrypts with the current key or a previous one.
    /// - Throws: ``FileEncryptionError``.
    public func makeDecryptionStream() throws -> FileDecryptionStream {
        let candidates = try keys.map { key in try Self.mapped { try FileChunkCipher(layout: layout, key: key) } }
        return FileDecryptionStream(candidates: candidates, layout: layout)
    }

    /// Encrypts the file at `source` into `destination`. The output is written to a temporary file
    /// beside `destination`, synced and renamed over it only on success: on any error nothing exists
    /// at `destination` afterwards (or its old content is untouched). A `destination` that is a
    /// symbolic link is written through: its target gets the output and the link stays.
    /// - Throws: ``FileEncryptionError``.
    /// - Parameter progress: called after each piece read with the number of input bytes read so far.
    public func encryptFile(atPath source: String, toPath destination: String, progress: ((Int) -> Void)? = nil) throws
    {
        let stream = try makeEncryptionStream()
        try Self.transform(source, destination, progress: progress, update: stream.update, finish: stream.finish)
    }

    /// Decrypts the file at `source` into `destination`, atomically as ``encryptFile(atPath:toPath:)``:
    /// a damaged, truncated or wrongly keyed file leaves nothing at `destination`.
    /// - Throws: ``FileEncryptionError``.
    /// - Parameter progress: called after each piece read with the number of input bytes read so far.
    public func decryptFile(atPath source: String, toPath destination: String, progress: ((Int) -> Void)? = nil) throws
    {
        let stream = try makeDecryptionStream()
        try Self.transform(source, destination, progress: progress, update: stream.update, finish: stream.finish)
    }

    /// Reads `source` piece by piece through `update`, then `finish`, into an atomic write of `destination`.
    private static func transform(
        _ source: String, _ destination: String, progress: ((Int) -> Void)?,
        update: (UnsafeRawBufferPointer) throws -> [UInt8],
        finish: () throws -> [UInt8]
    ) throws {
        var done = 0
        do {
            try AtomicFileWriter.write(toPath: AtomicFileWriter.resolvingLinks(destination)) { write in
                try FileReader.forEachPiece(ofFileAtPath: source) {
                    try update($0).withUnsafeBytes { bytes in try write(bytes) }
                    done += $0.count
                    progress?(done)
                }
                try finish().withUnsafeBytes { bytes in try write(bytes) }
            }
        } catch let failure as AtomicFileWriter.Failure {
            throw FileEncryptionError.io(path: failure.path, reason: failure.reason)
        }
    }

    /// Encrypts pieces of plaintext as they arrive (an upload, say), yielding ciphertext pieces.
    public func encrypt<S: AsyncSequence & Sendable>(_ plaintext: S) -> AsyncThrowingStream<[UInt8], any Error>
    where S.Element == [UInt8] {
        transform(plaintext) {
            try makeEncryptionStream()
        } update: {
            try $0.update($1)
        } finish: {
            try $0.finish()
        }
    }

    /// Decrypts pieces of ciphertext as they arrive. Each yielded piece is verified, but the whole is
    /// complete only when the sequence ends without an error.
    public func decrypt<S: AsyncSequence & Sendable>(_ ciphertext: S) -> AsyncThrowingStream<[UInt8], any Error>
    where S.Element == [UInt8] {
        transform(ciphertext) {
            try makeDecryptionStream()
        } update: {
            try $0.update($1)
        } finish: {
            try $0.finish()
        }
    }

    private func transform<S: AsyncSequence & Sendable, Stream>(
        _ input: S, make: @escaping @Sendable () throws -> Stream,
        update: @escaping @Sendable (Stream, [UInt8]) throws -> [UInt8],
        finish: @escaping @Sendable (Stream) throws -> [UInt8]
    ) -> AsyncThrowingStream<[UInt8], any Error> where S.Element == [UInt8] {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    let stream = try make()
                    for try await piece in input {
                        let out = try update(stream, piece)
                        if !out.isEmpty { continuation.yield(out) }
                    }
                    let last = try finish(stream)
                    if !last.isEmpty { continuation.yield(last) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Runs `body`, turning primitive failures into ``FileEncryptionError``s.
    static func mapped<R>(_ body: () throws -> R) throws -> R {
        do {
            return try body()
        } catch let error as FileEncryptionError {
            throw error
        } catch PrimitiveError.authenticationFailed {
            throw FileEncryptionError.authenticationFailed
        } catch let error as PrimitiveError {
            throw FileEncryptionError.io(path: "", reason: "a cryptographic call failed (\(error))")
        }
    }
}
