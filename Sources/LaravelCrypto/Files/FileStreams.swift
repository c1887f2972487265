/// Encrypts a byte stream in laravel-crypto's file format, fed in pieces of any size, in constant
/// memory. Chunking follows upstream exactly: full 8192-byte chunks, then the rest as the final chunk
/// — empty when the length is a multiple of 8192, 0 included (secretstream and XSalsa; Native writes
/// no empty chunk).
public final class FileEncryptionStream {
    private let cipher: FileChunkCipher
    private var pending: [UInt8] = []
    private var started = false
    private let fixedHeader: [UInt8]?

    init(cipher: FileChunkCipher, fixedHeader: [UInt8]? = nil) {
        self.cipher = cipher
        self.fixedHeader = fixedHeader
        pending.reserveCapacity(2 * FileChunkCipher.chunkByteCount)
    }

    /// Encrypts `bytes`; returns what is ready to write (the header first, then whole chunks).
    /// - Throws: ``FileEncryptionError``.
    public func update(_ bytes: [UInt8]) throws -> [UInt8] {
        try bytes.withUnsafeBytes { try update($0) }
    }

    /// Encrypts `bytes`; returns what is ready to write.
    func update(_ bytes: UnsafeRawBufferPointer) throws -> [UInt8] {
        var out = try startIfNeeded()
        pending.append(contentsOf: bytes)
        let size = FileChunkCipher.chunkByteCount
        var offset = 0
        while pending.count - offset >= size {
            out += try pending.withUnsafeBytes { all in
                try FileEncrypter.mapped { try cipher.seal(UnsafeRawBufferPointer(rebasing: all[offset..<(offset + size)]), isFinal: false) }
            }
            offset += size
        }
        if offset > 0 { pending.removeFirst(offset) }
        return out
    }

    /// Ends the stream: the final chunk.
    /// - Throws: ``FileEncryptionError``.
    public func finish() throws -> [UInt8] {
        var out = try startIfNeeded()
        defer { pending.withUnsafeMutableBytes { SodiumMemory.zero($0) } }
        if FileChunkCipher.hasFinalMarker(cipher.layout) || !pending.isEmpty {
            out += try pending.withUnsafeBytes { rest in try FileEncrypter.mapped { try cipher.seal(rest, isFinal: true) } }
        }
        pending.removeAll()
        return out
    }

    private func startIfNeeded() throws -> [UInt8] {
        guard !started else { return [] }
        started = true
        try FileEncrypter.mapped { try cipher.startWriting(fixedHeader: fixedHeader) }
        return cipher.header
    }
}

/// Decrypts a stream in laravel-crypto's file format, fed in pieces of any size, in constant memory.
///
/// Each chunk is verified before its plaintext is returned, but the file as a whole is known to be
/// complete only when ``finish()`` returns: until then, treat what was returned as provisional (the
/// file APIs write it to a temporary file that is renamed only on success). The first key (current,
/// then previous) that opens the first chunk is used for the rest. Stricter than upstream:
/// secretstream and XSalsa files must end with their final chunk and nothing after it.
public final class FileDecryptionStream {
    private let candidates: [FileChunkCipher]
    private var cipher: FileChunkCipher?
    private var pending: [UInt8] = []
    private var headerRead = false
    private var savedHeader: [UInt8] = []
    private var chunkIndex = 0
    private var sawFinal = false
    private let layout: FileChunkCipher.Layout

    init(candidates: [FileChunkCipher], layout: FileChunkCipher.Layout) {
        self.candidates = candidates
        self.layout = layout
    }

    private var fullChunk: Int { FileChunkCipher.chunkByteCount + FileChunkCipher.overhead(layout) }

    /// Decrypts `bytes`; returns the plaintext of every chunk known not to be the last.
    /// - Throws: ``FileEncryptionError``.
    public func update(_ bytes: [UInt8]) throws -> [UInt8] {
        try bytes.withUnsafeBytes { try update($0) }
    }

    /// Decrypts `bytes`; returns the plaintext of every chunk known not to be the last.
    func update(_ bytes: UnsafeRawBufferPointer) throws -> [UInt8] {
        pending.append(contentsOf: bytes)
        var out: [UInt8] = []
        var offset = try readHeaderIfPossible()
        // A full chunk with at least one byte after it is not the last one.
        while pending.count - offset > fullChunk {
            out += try pending.withUnsafeBytes { all in try open(UnsafeRawBufferPointer(rebasing: all[offset..<(offset + fullChunk)]), isLast: false) }
            offset += fullChunk
        }
        if offset > 0 { pending.removeFirst(offset) }
        return out
    }

    /// Ends the stream: the last chunk, and the checks that the file was complete.
    /// - Throws: ``FileEncryptionError/invalidHeader``, ``FileEncryptionError/truncated``, …
    public func finish() throws -> [UInt8] {
        let offset = try readHeaderIfPossible()
        guard headerRead else { throw FileEncryptionError.invalidHeader }
        let rest = pending.count - offset
        var out: [UInt8] = []
        if rest > 0 {
            out = try pending.withUnsafeBytes { all in try open(UnsafeRawBufferPointer(rebasing: all[offset...]), isLast: true) }
        } else if chunkIndex == 0 {
            // Native, empty plaintext: the header alone. Any key accepts it; take the current one.
            cipher = cipher ?? candidates.first
        }
        pending.removeAll()
        if FileChunkCipher.hasFinalMarker(layout) && !sawFinal { throw FileEncryptionError.truncated }
        return out
    }

    private func readHeaderIfPossible() throws -> Int {
        guard !headerRead else { return 0 }
        let size = FileChunkCipher.headerByteCount(layout)
        guard pending.count >= size else { return 0 }
        headerRead = true
        savedHeader = Array(pending[..<size])
        return size
    }

    private func open(_ sealed: UnsafeRawBufferPointer, isLast: Bool) throws -> [UInt8] {
        if sawFinal { throw FileEncryptionError.trailingData }
        let result: (plaintext: [UInt8], isFinal: Bool)
        if let cipher {
            do {
                result = try cipher.open(sealed, isLast: isLast)
            } catch {
                throw FileEncryptionError.corruptedChunk(index: chunkIndex)
            }
        } else {
            result = try openFirst(sealed, isLast: isLast)
        }
        if result.isFinal {
            // A final chunk before the end of the file: what follows is not part of it.
            if !isLast { throw FileEncryptionError.trailingData }
            sawFinal = true
        }
        chunkIndex += 1
        return result.plaintext
    }

    /// The first chunk, under each key in turn; the first that opens it is kept.
    private func openFirst(_ sealed: UnsafeRawBufferPointer, isLast: Bool) throws -> (plaintext: [UInt8], isFinal: Bool) {
        for candidate in candidates {
            let opened = try? savedHeader.withUnsafeBytes { header -> (plaintext: [UInt8], isFinal: Bool) in
                try candidate.startReading(header: header)
                return try candidate.open(sealed, isLast: isLast)
            }
            if let opened {
                cipher = candidate
                return opened
            }
        }
        throw FileEncryptionError.authenticationFailed
    }
}
