import LaravelCrypto

/// The floors of `crypto-bench --suite files`: libsodium's own secretstream and BLAKE2b over an
/// in-memory buffer, in 8192-byte messages as the file format uses, with no I/O and no framing.
package enum FileFloor {
    /// Pushes `totalBytes` through secretstream, reusing one `buffer` of plaintext; returns bytes written.
    package static func secretStream(totalBytes: Int, buffer: [UInt8]) throws -> Int {
        var key = [UInt8](repeating: 7, count: 32), header = [UInt8](repeating: 0, count: 24)
        var stream = try key.withUnsafeBytes { key in
            try header.withUnsafeMutableBytes { try SodiumSecretStream.push(key: key, header: $0) }
        }
        defer { SecureMemory.wipe(&key) }
        var out = [UInt8](repeating: 0, count: 8192 + SodiumSecretStream.overhead)
        var written = 0, offset = 0
        try buffer.withUnsafeBytes { source in
            try out.withUnsafeMutableBytes { out in
                while written < totalBytes {
                    if offset + 8192 > source.count { offset = 0 }
                    try stream.push(
                        UnsafeRawBufferPointer(rebasing: source[offset..<(offset + 8192)]), tag: 0, into: out)
                    offset += 8192
                    written += 8192
                }
            }
        }
        stream.wipe()
        return written
    }

    /// BLAKE2b-256 (unkeyed) of `totalBytes`, fed from one reused `buffer`.
    package static func blake2b(totalBytes: Int, buffer: [UInt8]) -> [UInt8] {
        let hash = SodiumGenericHashStream(
            checkedKey: UnsafeRawBufferPointer(start: nil, count: 0), outputByteCount: 32)
        var done = 0
        buffer.withUnsafeBytes { source in
            while done < totalBytes {
                let count = min(source.count, totalBytes - done)
                hash.update(UnsafeRawBufferPointer(rebasing: source[..<count]))
                done += count
            }
        }
        return hash.finalize()
    }
}
