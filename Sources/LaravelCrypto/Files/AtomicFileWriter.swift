#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file atomically: a temporary file in the destination's folder (mode 0600), `fsync`,
/// `rename` over the destination, `fsync` of the folder. If `body` throws, the temporary file is
/// removed and the destination is untouched.
enum AtomicFileWriter {
    static func write(toPath destination: String, _ body: (_ write: ([UInt8]) throws -> Void) throws -> Void) throws {
        let folder =
            destination.lastIndex(of: "/").map { String(destination[..<$0]) }.map { $0.isEmpty ? "/" : $0 } ?? "."
        let name = destination.split(separator: "/").last.map(String.init) ?? destination
        var template = Array("\(folder)/.\(name).XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.map { mkstemp($0) } ?? -1
        }
        guard descriptor >= 0 else {
            throw FileEncryptionError.io(path: destination, reason: String(cString: strerror(errno)))
        }
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var committed = false
        defer {
            if !committed {
                close(descriptor)
                unlink(temporary)
            }
        }
        try body { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeBytes { raw in
                    raw.baseAddress.map { systemWrite(descriptor, $0 + offset, raw.count - offset) } ?? 0
                }
                if written < 0 {
                    if errno == EINTR { continue }
                    throw FileEncryptionError.io(path: destination, reason: String(cString: strerror(errno)))
                }
                offset += written
            }
        }
        guard fsync(descriptor) == 0 else {
            throw FileEncryptionError.io(path: destination, reason: String(cString: strerror(errno)))
        }
        guard rename(temporary, destination) == 0 else {
            throw FileEncryptionError.io(path: destination, reason: String(cString: strerror(errno)))
        }
        committed = true
        close(descriptor)
        let folderDescriptor = open(folder, O_RDONLY | O_DIRECTORY)
        if folderDescriptor >= 0 {
            fsync(folderDescriptor)
            close(folderDescriptor)
        }
    }
}

/// POSIX `write(2)` (the enum's own `write` shadows the name).
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(descriptor, bytes, count)
    #else
    Darwin.write(descriptor, bytes, count)
    #endif
}
