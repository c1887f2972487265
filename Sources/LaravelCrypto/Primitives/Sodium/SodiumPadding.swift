internal import CSodium

/// ISO/IEC 7816-4 padding from libsodium (`sodium_pad`): `0x80`, then zeros up to the next multiple
/// of the block size; always at least one byte.
enum SodiumPadding {
    /// `bytes` padded to a multiple of `blockSize`.
    static func padded(_ bytes: UnsafeRawBufferPointer, blockSize: Int) throws(PrimitiveError) -> [UInt8] {
        let capacity = (bytes.count / blockSize + 1) * blockSize
        var out = [UInt8](repeating: 0, count: capacity)
        var paddedCount = 0
        let status: Int32 = out.withUnsafeMutableBytes { buffer in
            if let source = bytes.baseAddress, bytes.count > 0 {
                buffer.baseAddress?.copyMemory(from: source, byteCount: bytes.count)
            }
            guard let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return -1 }
            return sodium_pad(&paddedCount, base, bytes.count, blockSize, capacity)
        }
        guard status == 0, paddedCount == capacity else {
            SecureMemory.wipe(&out)
            throw .callFailed("sodium_pad")
        }
        return out
    }
}
