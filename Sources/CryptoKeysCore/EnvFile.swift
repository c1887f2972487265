import LaravelCrypto

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `.env` file as `crypto-keys` must treat it: symbolic links followed (a deploy's
/// `release/.env -> ../shared/.env` keeps pointing at the rotated file), nothing but a regular file
/// read, at most ``RegularFile/dotEnvLimit`` bytes, and every read → generate → write done under an
/// exclusive lock so that concurrent runs take turns and no key one of them wrote is lost.
enum EnvFile {
    /// `path` with every symbolic link resolved; `path` itself when nothing exists there yet.
    /// - Throws: ``CryptoKeysError/unreadableFile(path:reason:)`` for a link whose target is missing.
    static func resolve(_ path: String) throws(CryptoKeysError) -> String {
        do {
            return try AtomicFileWriter.resolvingLinks(path)
        } catch {
            throw .unreadableFile(
                path: path,
                reason:
                    "it is a symbolic link to \(linkTarget(path) ?? "?"), which does not exist; create the target first"
            )
        }
    }

    /// Takes an exclusive `flock` on `.env.crypto-keys.lock` (for `.env`; `.NAME.crypto-keys.lock` for others) beside
    /// `path` (the `.env` itself is
    /// replaced by rename, so it cannot carry the lock), waiting for any other run, and returns the
    /// descriptor to ``unlock(_:)``.
    /// - Throws: ``CryptoKeysError/unwritableFile(path:reason:)`` when the lock file cannot be created.
    static func lock(beside path: String) throws(CryptoKeysError) -> Int32 {
        let name = AtomicFile.fileName(of: path)
        let lockPath = "\(AtomicFile.directory(of: path))/\(name.hasPrefix(".") ? "" : ".")\(name).crypto-keys.lock"
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .unwritableFile(path: lockPath, reason: AtomicFile.lastError()) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                let reason = AtomicFile.lastError()
                close(descriptor)
                throw .unwritableFile(path: lockPath, reason: "cannot lock it: \(reason)")
            }
        }
        return descriptor
    }

    /// Releases a lock from ``lock(beside:)``.
    static func unlock(_ descriptor: Int32) {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// The bytes of the regular file at `path` (at most ``RegularFile/dotEnvLimit``).
    /// - Throws: ``CryptoKeysError/unreadableFile(path:reason:)`` for a FIFO, device, folder or
    ///   socket (opened without blocking, then refused), a file above the limit, or a read error.
    static func read(_ path: String) throws(CryptoKeysError) -> [UInt8] {
        do throws(RegularFile.Failure) {
            return try RegularFile.read(path)
        } catch {
            throw .unreadableFile(path: path, reason: error.reason)
        }
    }

    private static func linkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
