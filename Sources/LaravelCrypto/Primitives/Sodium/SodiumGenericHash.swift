internal import CSodium

/// BLAKE2b from libsodium (`crypto_generichash`), keyed or not, 16 to 64 bytes of output.
package enum SodiumGenericHash {
    /// Smallest and largest output and key sizes libsodium accepts.
    static let outputByteCounts = 16...64
    static let keyByteCounts = 16...64

    /// `BLAKE2b(message, key, out.count)` into `out`; an empty `key` means unkeyed.
    package static func hash(
        _ message: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer
    ) throws(PrimitiveError) {
        let output = try check(key: key, out: out)
        let status = crypto_generichash(
            output, out.count, nonNullPointer(message), UInt64(message.count), pointer(key), key.count)
        guard status == 0 else { throw .callFailed("crypto_generichash") }
    }

    /// `BLAKE2b(first ‖ second, key, out.count)` without joining the parts in memory.
    package static func hash(
        _ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer,
        into out: UnsafeMutableRawBufferPointer
    ) throws(PrimitiveError) {
        let output = try check(key: key, out: out)
        // The state is 64-byte aligned and opaque to Swift: a stack block of libsodium's size.
        let stateByteCount = crypto_generichash_statebytes()
        let status: Int32 = withUnsafeTemporaryAllocation(byteCount: stateByteCount, alignment: 64) { state in
            defer { SodiumMemory.zero(state) }
            guard let base = state.baseAddress else { return -1 }
            let handle = OpaquePointer(base)
            guard crypto_generichash_init(handle, pointer(key), key.count, out.count) == 0,
                crypto_generichash_update(handle, nonNullPointer(first), UInt64(first.count)) == 0,
                crypto_generichash_update(handle, nonNullPointer(second), UInt64(second.count)) == 0
            else { return -1 }
            return crypto_generichash_final(handle, output, out.count)
        }
        guard status == 0 else { throw .callFailed("crypto_generichash") }
    }

    private static func check(key: UnsafeRawBufferPointer, out: UnsafeMutableRawBufferPointer) throws(PrimitiveError)
        -> UnsafeMutablePointer<UInt8>
    {
        try Sodium.ensureReady()
        guard outputByteCounts.contains(out.count), let output = out.baseAddress?.assumingMemoryBound(to: UInt8.self)
        else {
            throw .invalidLength(what: "BLAKE2b output", expected: 32, actual: out.count)
        }
        guard key.isEmpty || keyByteCounts.contains(key.count) else {
            throw .invalidLength(what: "BLAKE2b key", expected: 32, actual: key.count)
        }
        return output
    }
}
