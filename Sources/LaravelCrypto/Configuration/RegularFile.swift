#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a configuration file (`.env`) that must be a regular file of bounded size: a FIFO is
/// refused instead of blocking the reader forever, a device (`.env -> /dev/zero`) or a huge file
/// instead of being read into memory. Used by ``AppConfiguration/fromDotEnvFile(atPath:environmentWins:)``
/// and by `crypto-keys`.
package enum RegularFile {
    /// The largest `.env` read (a real one is a few KiB).
    package static let dotEnvLimit = 1 << 20

    /// Why a file was not read.
    package enum Failure: Error, Equatable, Sendable {
        /// `open`, `fstat` or `read` failed; the system's reason.
        case system(String)
        /// The path names a folder, FIFO, device or socket (`kind` says which).
        case notRegular(kind: String)
        /// The file holds more than `limit` bytes.
        case tooLarge(limit: Int)

        /// The reason as a clause ("it is a FIFO, not a regular file").
        package var reason: String {
            switch self {
            case .system(let reason): reason
            case .notRegular(let kind): "it is \(kind), not a regular file"
            case .tooLarge(let limit): "it holds more than the limit of \(limit) bytes for this file"
            }
        }
    }

    /// The bytes of the regular file at `path` (symbolic links followed), at most `limit` of them.
    /// - Throws: ``Failure``.
    package static func read(_ path: String, limit: Int = dotEnvLimit) throws(Failure) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw .system(lastError()) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .system(lastError()) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw .notRegular(kind: kind(info.st_mode)) }
        guard Int(info.st_size) <= limit else { throw .tooLarge(limit: limit) }
        // One byte more than the size seen, so a file that grows while it is read is caught.
        var bytes = [UInt8](repeating: 0, count: min(limit, Int(info.st_size)) + 1)
        var filled = 0
        while true {
            if filled == bytes.count {
                guard bytes.count <= limit else { throw .tooLarge(limit: limit) }
                bytes += [UInt8](repeating: 0, count: min(bytes.count, limit + 1 - bytes.count))
            }
            let count = bytes.withUnsafeMutableBytes { buffer in
                systemRead(descriptor, buffer.baseAddress.map { $0 + filled }, buffer.count - filled)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw .system(lastError())
            }
            if count == 0 { break }
            filled += count
        }
        bytes.removeSubrange(filled...)
        return bytes
    }

    private static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: "a folder"
        case S_IFIFO: "a FIFO"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        default: "not a regular file"
        }
    }

    private static func lastError() -> String { String(cString: strerror(errno)) }

    private static func systemRead(_ descriptor: Int32, _ bytes: UnsafeMutableRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.read(descriptor, bytes, count)
        #else
        Darwin.read(descriptor, bytes, count)
        #endif
    }
}
