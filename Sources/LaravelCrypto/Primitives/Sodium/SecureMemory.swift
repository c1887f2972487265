/// Zeroing that the optimiser cannot remove (`sodium_memzero`), for plaintext and key bytes a
/// caller holds in ordinary arrays.
public enum SecureMemory {
    /// Overwrites every byte of `bytes` with zero; the array keeps its count.
    public static func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { SodiumMemory.zero($0) }
    }
}
