import Dispatch
import Foundation
import Testing

@testable import LaravelCrypto

/// The per-thread working buffer: the right size from every source, never handed out twice at
/// once, and one per thread.
@Suite("ThreadScratch")
struct ThreadScratchTests {
    @Test(arguments: [0, 1, 1024, 1025, 4096, ThreadScratch.pooledCapacity, ThreadScratch.pooledCapacity + 1, 1 << 20])
    func givesTheBytesAskedFor(byteCount: Int) {
        ThreadScratch.withBuffer(byteCount: byteCount) { buffer in
            #expect(buffer.count == byteCount)
            if byteCount > 0 {
                buffer.initializeMemory(as: UInt8.self, repeating: 0xA5)
                #expect(buffer.allSatisfy { $0 == 0xA5 })
                #expect(Int(bitPattern: buffer.baseAddress) % 16 == 0)
            }
        }
    }

    @Test func aNestedUseGetsItsOwnBuffer() {
        ThreadScratch.withBuffer(byteCount: 8192) { outer in
            outer.initializeMemory(as: UInt8.self, repeating: 1)
            ThreadScratch.withBuffer(byteCount: 8192) { inner in
                #expect(inner.baseAddress != outer.baseAddress)
                inner.initializeMemory(as: UInt8.self, repeating: 2)
            }
            #expect(outer.allSatisfy { $0 == 1 })
        }
        // Free again afterwards: the same thread's buffer comes back.
        let first = ThreadScratch.withBuffer(byteCount: 8192) { $0.baseAddress }
        let second = ThreadScratch.withBuffer(byteCount: 8192) { $0.baseAddress }
        #expect(first == second)
    }

    @Test func aThrowingBodyReleasesTheBuffer() {
        struct Stop: Error {}
        let first = ThreadScratch.withBuffer(byteCount: 4096) { $0.baseAddress }
        #expect(throws: Stop.self) { try ThreadScratch.withBuffer(byteCount: 4096) { _ in throw Stop() } }
        #expect(ThreadScratch.withBuffer(byteCount: 4096) { $0.baseAddress } == first)
    }

    @Test func threadsNeverShareABuffer() {
        let failures = LockedCount()
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            for round in 0..<2000 {
                let mark = UInt8(truncatingIfNeeded: thread &* 31 &+ round)
                ThreadScratch.withBuffer(byteCount: 2048) { buffer in
                    buffer.initializeMemory(as: UInt8.self, repeating: mark)
                    for _ in 0..<3 { sched_yield() }
                    if !buffer.allSatisfy({ $0 == mark }) { failures.add() }
                }
            }
        }
        #expect(failures.value == 0)
    }
}

/// A count several threads add to.
private final class LockedCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
