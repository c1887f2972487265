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

    /// Encrypts `bytes`; returns what is ready to write. Whole chunks are sealed straight from
    /// `bytes` into one output array; only a partial chunk waits in `pending`.
    func update(_ bytes: UnsafeRawBufferPointer) throws -> [UInt8] {
        let header = try startIfNeeded()
        let size = FileChunkCipher.chunkByteCount
        let sealedSize = FileChunkCipher.sealedCount(cipher.layout, plaintext: size)
        let fullChunks = (pending.count + bytes.count) / size
        var consumed = 0
        let out = try [UInt8](unsafeUninitializedCapacity: header.count + fullChunks * sealedSize) { buffer, count in
            let out = UnsafeMutableRawBufferPointer(buffer)
            var written = header.count
            header.withUnsafeBytes {
                if !$0.isEmpty { UnsafeMutableRawBufferPointer(rebasing: out[..<$0.count]).copyMemory(from: $0) }
            }
            func seal(_ chunk: UnsafeRawBufferPointer) throws {
                try FileEncrypter.mapped {
                    try cipher.seal(
                        chunk, isFinal: false,
                        into: UnsafeMutableRawBufferPointer(rebasing: out[written..<(written + sealedSize)]))
                }
                written += sealedSize
            }
            if !pending.isEmpty && fullChunks > 0 {
                consumed = size - pending.count
                pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[..<consumed]))
                try pending.withUnsafeBytes { try seal($0) }
                SecureMemory.wipe(&pending)
                pending.removeAll(keepingCapacity: true)
            }
            while bytes.count - consumed >= size {
                try seal(UnsafeRawBufferPointer(rebasing: bytes[consumed..<(consumed + size)]))
                consumed += size
            }
            count = written
        }
        pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[consumed...]))
        return out
    }

    /// Ends the stream: the final chunk.
    /// - Throws: ``FileEncryptionError``.
    public func finish() throws -> [UInt8] {
        var out = try startIfNeeded()
        defer { SecureMemory.wipe(&pending) }
        if FileChunkCipher.hasFinalMarker(cipher.layout) || !pending.isEmpty {
            out += try pending.withUnsafeBytes { rest in
                try FileEncrypter.mapped { try cipher.seal(rest, isFinal: true) }
            }
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

    /// Decrypts `bytes`; returns the plaintext of every chunk known not to be the last, written
    /// straight into one output array.
    func update(_ bytes: UnsafeRawBufferPointer) throws -> [UInt8] {
        pending.append(contentsOf: bytes)
        var offset = try readHeaderIfPossible()
        let full = fullChunk
        // A full chunk with at least one byte after it is not the last one.
        let chunks = headerRead ? max(0, (pending.count - offset - 1) / full) : 0
        let out = try [UInt8](unsafeUninitializedCapacity: chunks * full) { buffer, count in
            var written = 0
            try pending.withUnsafeBytes { all in
                for _ in 0..<chunks {
                    written += try open(
                        UnsafeRawBufferPointer(rebasing: all[offset..<(offset + full)]), isLast: false,
                        into: UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(buffer)[written...])
                    )
                    offset += full
                }
            }
            count = written
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
            out = try [UInt8](unsafeUninitializedCapacity: rest) { buffer, count in
                count = try pending.withUnsafeBytes { all in
                    try open(
                        UnsafeRawBufferPointer(rebasing: all[offset...]), isLast: true,
                        into: UnsafeMutableRawBufferPointer(buffer))
                }
            }
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

    /// Opens one chunk into `out`; returns the plaintext size.
    private func open(_ sealed: UnsafeRawBufferPointer, isLast: Bool, into out: UnsafeMutableRawBufferPointer) throws
        -> Int
    {
        if sawFinal { throw FileEncryptionError.trailingData }
        let result: (count: Int, isFinal: Bool)
        if let cipher {
            do {
                result = try cipher.open(sealed, isLast: isLast, into: out)
            } catch {
                throw FileEncryptionError.corruptedChunk(index: chunkIndex)
            }
        } else {
            result = try openFirst(sealed, isLast: isLast, into: out)
        }
        if result.isFinal {
            // A final chunk before the end of the file: what follows is not part of it.
            if !isLast { throw FileEncryptionError.trailingData }
            sawFinal = true
        }
        chunkIndex += 1
        return result.count
    }

    /// The first chunk, under each key in turn; the first that opens it is kept.
    private func openFirst(_ sealed: UnsafeRawBufferPointer, isLast: Bool, into out: UnsafeMutableRawBufferPointer)
        throws -> (count: Int, isFinal: Bool)
    {
        for candidate in candidates {
            let opened = try? savedHeader.withUnsafeBytes { header -> (count: Int, isFinal: Bool) in
                try candidate.startReading(header: header)
                return try candidate.open(sealed, isLast: isLast, into: out)
            }
            if let opened {
                cipher = candidate
                return opened
            }
        }
        SodiumMemory.zero(out)
        throw FileEncryptionError.authenticationFailed
    }
}
