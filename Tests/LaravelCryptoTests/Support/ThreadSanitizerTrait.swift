import Foundation
import Testing

extension Trait where Self == ConditionTrait {
    /// Skips a test that forks a multithreaded process when it runs under ThreadSanitizer
    /// (`make check-sanitizers` sets `TSAN_OPTIONS`). TSan's runtime does not support such a fork,
    /// and under it every read of a Swift lazy global takes that global's lock
    /// (`_swift_tsan_enabled` keeps them off the lock-free path), so a child forked while another
    /// thread holds one waits forever. The plain and AddressSanitizer runs keep the test.
    static var skippedUnderThreadSanitizer: Self {
        .disabled(
            if: ProcessInfo.processInfo.environment["TSAN_OPTIONS"] != nil,
            "ThreadSanitizer does not support forking a multithreaded process")
    }
}
