import Foundation
import Testing

@testable import LaravelCrypto

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("Nonce pool")
struct NoncePoolTests {
    func nonce(_ count: Int = 24) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { NoncePool.shared.fill($0) }
        return bytes
    }

    @Test func neverRepeatsAcrossRefillsAndThreads() async {
        var seen = Set<[UInt8]>()
        for _ in 0..<20_000 { seen.insert(nonce(16)) }
        #expect(seen.count == 20_000)
        // Concurrent callers each get their own bytes.
        let batches = await withTaskGroup(of: [[UInt8]].self) { group in
            for _ in 0..<8 { group.addTask { (0..<2_000).map { _ in nonce(12) } } }
            return await group.reduce(into: []) { $0 += $1 }
        }
        #expect(Set(batches).count == batches.count)
        // Requests above the pooled size come straight from libsodium.
        #expect(nonce(200) != nonce(200))
        #expect(nonce(0) == [])
    }

    /// Not under ThreadSanitizer: there a child forked while a parallel test's thread holds the lock
    /// of a lazy global (`Sodium.isReady`, `NoncePool.shared`) waits forever (seen once in about
    /// twenty runs; ``Testing/Trait/skippedUnderThreadSanitizer``).
    @Test(.skippedUnderThreadSanitizer)
    func aForkedChildDoesNotReuseTheParentsPool() throws {
        _ = nonce()  // the pool now holds bytes the child would inherit
        if NoncePool.shared.pooledByteCount == 0 { _ = nonce(1) }
        #expect(NoncePool.shared.pooledByteCount > 0)
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let child = fork()
        if child == 0 {
            // First thing in the child: the inherited pool must be empty (0 in the first byte).
            let inherited = NoncePool.shared.pooledByteCount
            var bytes = [UInt8](repeating: 0, count: 32)
            bytes.withUnsafeMutableBytes { NoncePool.shared.fill($0) }
            bytes[0] = inherited == 0 ? 0 : 1
            _ = bytes.withUnsafeBytes { write(fds[1], $0.baseAddress, 32) }
            _exit(0)
        }
        #expect(child > 0)
        close(fds[1])
        let parents = nonce(32)
        var childs = [UInt8](repeating: 0, count: 32)
        // Wait up to 20 s for the child's answer: a stuck child fails the test instead of hanging it.
        var ready = pollfd(fd: fds[0], events: Int16(POLLIN), revents: 0)
        let answered = poll(&ready, 1, 20_000) == 1
        #expect(answered, "the forked child did not answer within 20 s")
        if !answered { kill(child, SIGKILL) }
        let count = answered ? childs.withUnsafeMutableBytes { read(fds[0], $0.baseAddress, 32) } : 0
        close(fds[0])
        var status: Int32 = 0
        waitpid(child, &status, 0)
        #expect(count == 32)
        #expect(childs[0] == 0, "after fork the child starts with an empty pool")
        #expect(childs[1...] != parents[1...], "and draws fresh bytes, not the parent's next ones")
        #expect(childs != [UInt8](repeating: 0, count: 32))
    }
}
