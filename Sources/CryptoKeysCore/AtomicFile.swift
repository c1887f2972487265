#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Replaces a file so that a crash leaves either the old or the new contents, never half of
/// each: write a temporary file in the same folder, `fsync` it, `rename` it over the target,
/// then `fsync` the folder.
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

    /// Writes `bytes` to `path` with permission bits `mode`.
    static func write(_ bytes: UnsafeRawBufferPointer, to path: String, mode: mode_t) throws(CryptoKeysError) {
        let directory = Self.directory(of: path)
        let temporary =
            "\(directory)/.\(Self.fileName(of: path)).crypto-keys-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode)
        guard descriptor >= 0 else { throw .unwritableFile(path: path, reason: Self.lastError()) }
        var written = 0
        var failure: String?
        while written < bytes.count, let base = bytes.baseAddress {
            let count = systemWrite(descriptor, base + written, bytes.count - written)
            if count < 0 {
                if errno == EINTR { continue }
                failure = Self.lastError()
                break
            }
            written += count
        }
        if failure == nil, fchmod(descriptor, mode) != 0 { failure = Self.lastError() }
        if failure == nil, fsync(descriptor) != 0 { failure = Self.lastError() }
        close(descriptor)
        if failure == nil, rename(temporary, path) != 0 { failure = Self.lastError() }
        if let failure {
            unlink(temporary)
            throw .unwritableFile(path: path, reason: failure)
        }
        let folder = open(directory, O_RDONLY)
        if folder >= 0 {
            fsync(folder)
            close(folder)
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

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func fileName(of path: String) -> String {
        path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
    }

    static func lastError() -> String { String(cString: strerror(errno)) }

    static func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.write(descriptor, bytes, count)
        #else
        Darwin.write(descriptor, bytes, count)
        #endif
    }
}

/// Standard error for the command's messages, without Foundation.
package enum StandardError {
    /// Writes `text` as it is.
    package static func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in _ = bytes.baseAddress.map { AtomicFile.systemWrite(STDERR_FILENO, $0, bytes.count) } }
    }
}
