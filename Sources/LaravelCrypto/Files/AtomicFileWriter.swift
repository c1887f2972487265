#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Replaces a file so that a crash leaves either the old or the new contents, never half of each:
/// a temporary file in the destination's folder (created 0600, then given `mode`), `fsync`,
/// `rename` over the destination, `fsync` of the folder. If anything fails, the temporary file is
/// removed and the destination is untouched.
///
/// The one atomic writer of the package: encrypted files (``FileEncrypter``) and `crypto-keys`'s
/// `.env` and key file both go through it.
package enum AtomicFileWriter {
    /// A system call failed: the destination and the system's reason.
    package struct Failure: Error, Equatable, Sendable {
        /// The file being written.
        package let path: String
        /// `strerror(errno)` of the failed call.
        package let reason: String
    }

    /// Writes `bytes` to `destination` with permission bits `mode`.
    package static func write(_ bytes: UnsafeRawBufferPointer, toPath destination: String, mode: mode_t) throws(Failure)
    {
        let result: Result<Void, any Error> = Result {
            try write(toPath: destination, mode: mode) { write in try write(bytes) }
        }
        switch result {
        case .success: return
        case .failure(let failure as Failure): throw failure
        case .failure(let other): throw Failure(path: destination, reason: "\(other)")
        }
    }

    /// Creates a temporary file beside `destination`, lets `body` write to it piece by piece, and
    /// renames it over `destination` when `body` returns.
    /// - Throws: ``Failure`` for a failed system call, or whatever `body` throws.
    package static func write(
        toPath destination: String, mode: mode_t = 0o600,
        _ body: (_ write: (UnsafeRawBufferPointer) throws(Failure) -> Void) throws -> Void
    ) throws {
        let folder = directory(of: destination)
        let name = destination.split(separator: "/").last.map(String.init) ?? destination
        var template = Array("\(folder)/.\(name).XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.map { mkstemp($0) } ?? -1
        }
        guard descriptor >= 0 else { throw failure(destination) }
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var committed = false
        defer {
            if !committed {
                close(descriptor)
                unlink(temporary)
            }
        }
        try body { (bytes) throws(Failure) in
            var offset = 0
            while offset < bytes.count, let base = bytes.baseAddress {
                let written = systemWrite(descriptor, base + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw failure(destination)
                }
                offset += written
            }
        }
        guard fchmod(descriptor, mode) == 0, fsync(descriptor) == 0, rename(temporary, destination) == 0 else {
            throw failure(destination)
        }
        committed = true
        close(descriptor)
        let folderDescriptor = open(folder, O_RDONLY | O_DIRECTORY)
        if folderDescriptor >= 0 {
            fsync(folderDescriptor)
            close(folderDescriptor)
        }
    }

    /// `path` with its symbolic links resolved, so that a write replaces a link's target rather
    /// than the link (a deploy's `release/x -> ../shared/x` keeps pointing at the new file);
    /// `path` itself when nothing exists there. A link to a missing target:
    /// - Throws: ``Failure``, rather than replace the link with a file.
    package static func resolvingLinks(_ path: String) throws(Failure) -> String {
        if let resolved = realpath(path, nil) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        var info = stat()
        if lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFLNK {
            throw Failure(path: path, reason: "it is a symbolic link to a file that does not exist")
        }
        return path
    }

    /// The folder part of `path` (`.` when it has none).
    package static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private static func failure(_ path: String) -> Failure {
        Failure(path: path, reason: String(cString: strerror(errno)))
    }
}

/// POSIX `write(2)` (the name `write` is shadowed inside types that have a `write` of their own).
package func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(descriptor, bytes, count)
    #else
    Darwin.write(descriptor, bytes, count)
    #endif
}
