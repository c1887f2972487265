#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a regular file in fixed pieces through one reused buffer: constant memory for any size.
enum FileReader {
    static let pieceByteCount = 1 << 16

    /// Calls `body` with each piece of the file at `path`, in order.
    /// - Throws: ``FileEncryptionError/io(path:reason:)``.
    static func forEachPiece(ofFileAtPath path: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        // Opened without blocking, so a FIFO is refused below instead of waiting for a writer.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw FileEncryptionError.io(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw FileEncryptionError.io(path: path, reason: "not a regular file")
        }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: pieceByteCount, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = read(descriptor, buffer.baseAddress, pieceByteCount)
            if count < 0 {
                if errno == EINTR { continue }
                throw FileEncryptionError.io(path: path, reason: String(cString: strerror(errno)))
            }
            if count == 0 { return }
            try body(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        }
    }
}
