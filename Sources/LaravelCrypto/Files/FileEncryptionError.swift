/// Why a file or stream could not be encrypted, decrypted or read.
public enum FileEncryptionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Reading or writing failed; `reason` is the system's message.
    case io(path: String, reason: String)
    /// The file is shorter than its header (nonce or secretstream header).
    case invalidHeader
    /// No key opened the first chunk: a wrong key (current and previous), or a damaged start.
    case authenticationFailed
    /// Chunk `index` (from 0) did not authenticate: damaged, reordered or from another file.
    case corruptedChunk(index: Int)
    /// The file ends without its final chunk: cut short at a chunk boundary, or its empty final chunk dropped.
    /// (laravel-crypto decrypts such files to a silent prefix; this package refuses them.)
    case truncated
    /// Bytes follow the final chunk.
    case trailingData

    /// A sentence for people.
    public var description: String {
        switch self {
        case .io(let path, let reason): "Cannot read or write \(path): \(reason)."
        case .invalidHeader: "The encrypted file is shorter than its header."
        case .authenticationFailed:
            "The file cannot be decrypted: no key opened it (wrong key, or the file is damaged)."
        case .corruptedChunk(let index):
            "The encrypted file is damaged: chunk \(index) does not authenticate (changed, reordered or missing "
                + "chunks)."
        case .truncated: "The encrypted file is cut short: its final chunk is missing."
        case .trailingData: "The encrypted file has bytes after its final chunk."
        }
    }
}
