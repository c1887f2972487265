import Foundation
import Testing

@testable import LaravelCrypto

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every lock the package owns is a ``ForkSafeMutex``: a child forked while other threads are
/// inside encrypt/decrypt (pooled OpenSSL contexts, the nonce pool) must not inherit a held lock.
@Suite("Forking under load")
struct ForkSafetyTests {
    /// Threads hammering encrypters whose paths take the package's locks.
    final class Load: @unchecked Sendable {
        private let stop = ManagedAtomicFlag()
        private var threads: [Thread] = []

        init(_ encrypters: [any Encrypter]) {
            for encrypter in encrypters {
                let thread = Thread { [stop] in
                    let plaintext = [UInt8](repeating: 7, count: 256)
                    while !stop.isSet {
                        if let payload = try? encrypter.encryptBytes(plaintext) {
                            _ = try? encrypter.decryptBytes(payload)
                        }
                    }
                }
                threads.append(thread)
                thread.start()
            }
        }

        func finish() { stop.set() }
    }

    /// A flag set once, read from many threads.
    final class ManagedAtomicFlag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        var isSet: Bool { lock.withLock { value } }
        func set() { lock.withLock { value = true } }
    }

    /// Not under ThreadSanitizer (see ``Testing/Trait/skippedUnderThreadSanitizer``).
    @Test(.skippedUnderThreadSanitizer)
    func childrenForkedDuringEncryptionNeverHang() throws {
        var ciphers: [Cipher] = [.laravelAES256CBC, .laravelAES128GCM, .xChaCha20Poly1305]
        if Sodium.hasAEGIS { ciphers.append(.aegis256) }
        let encrypters = try ciphers.map { cipher in
            try cipher.makeEncrypter(
                keyRing: KeyRing(current: try EncryptionKey.generate(byteCount: cipher.keyByteCount), previous: []))
        }
        // Warm up first: a fork while another thread runs a Swift global's one-time initialiser
        // (the base64 tables, on first use) leaves that `swift_once` in progress forever in the
        // child — a hazard of forking any multithreaded Swift process, not a lock of ours.
        for encrypter in encrypters { _ = try encrypter.decryptBytes(try encrypter.encryptBytes([0])) }
        let load = Load(encrypters)
        defer { load.finish() }

        let forks = 60
        var stuck = 0, failed = 0
        for _ in 0..<forks {
            let child = fork()
            if child == 0 {
                // In the child: one encrypt and decrypt with each cipher, then leave without cleanup.
                var ok = true
                for encrypter in encrypters {
                    guard let payload = try? encrypter.encryptBytes([1, 2, 3]),
                        (try? encrypter.decryptBytes(payload)) == [1, 2, 3]
                    else {
                        ok = false
                        continue
                    }
                }
                _exit(ok ? 0 : 3)
            }
            #expect(child > 0)
            guard child > 0 else { continue }
            // Wait up to 20 s; a child still running then is stuck on an inherited lock.
            var status: Int32 = 0
            var finished = false
            for _ in 0..<2_000 {
                if waitpid(child, &status, WNOHANG) == child {
                    finished = true
                    break
                }
                usleep(10_000)
            }
            if !finished {
                stuck += 1
                kill(child, SIGKILL)
                waitpid(child, &status, 0)
            } else if status != 0 {
                failed += 1
            }
        }
        #expect(stuck == 0, "\(stuck) of \(forks) children hung after fork")
        #expect(failed == 0, "\(failed) of \(forks) children could not encrypt")
    }
}
