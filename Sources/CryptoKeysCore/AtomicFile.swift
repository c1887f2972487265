import LaravelCrypto

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `crypto-keys`'s file-system calls: atomic replacement (through the library's
/// ``AtomicFileWriter``), permission bits, folders and paths.
enum AtomicFile {
    /// Permission bits of the file at `path`, or nil when it does not exist.
    static func mode(ofFileAt path: String) -> mode_t? {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & 0o7777 : nil
    }

    /// Writes `bytes` to `path` with permission bits `mode`.
    static func write(_ bytes: [UInt8], to path: String, mode: mode_t) throws(CryptoKeysError) {
        let result: Result<Void, CryptoKeysError> = bytes.withUnsafeBytes { buffer in
            Result { () throws(CryptoKeysError) in try write(buffer, to: path, mode: mode) }
        }
        try result.get()
    }

    /// Writes `bytes` to `path` with permission bits `mode` (``AtomicFileWriter``).
    static func write(_ bytes: UnsafeRawBufferPointer, to path: String, mode: mode_t) throws(CryptoKeysError) {
        do {
            try AtomicFileWriter.write(bytes, toPath: path, mode: mode)
        } catch {
            throw .unwritableFile(path: error.path, reason: error.reason)
        }
    }

    /// Creates `path` and its parents with permission bits `mode` where missing.
    static func createDirectory(_ path: String, mode: mode_t) throws(CryptoKeysError) {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/\(component)"
            if mkdir(current, mode) != 0 && errno != EEXIST {
                throw .unwritableFile(path: current, reason: Self.lastError())
            }
        }
    }

    static func directory(of path: String) -> String { AtomicFileWriter.directory(of: path) }

    static func fileName(of path: String) -> String {
        path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
    }

    static func lastError() -> String { String(cString: strerror(errno)) }
}

/// Standard error for the command's messages, without Foundation.
package enum StandardError {
    /// Writes `text` as it is.
    package static func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in _ = bytes.baseAddress.map { systemWrite(STDERR_FILENO, $0, bytes.count) } }
    }
}
