/// Keyed OpenSSL contexts copied from one template and reused: a caller takes a context, uses it
/// alone, and gives it back. Used by ``PreparedAESKey`` and ``OpenSSLHMAC/PreparedKey``, whose
/// templates carry the key (copying or reusing them skips keying on every payload).
///
/// The lock is a ``ForkSafeMutex``: a child forked while another thread was inside `take` or `give`
/// does not inherit it held.
///
/// `@unchecked Sendable`: `idle` is only touched with `mutex` held; the template is only read
/// (copied) by `copy`; a context taken from the pool belongs to one thread until it is given back.
final class ContextPool: @unchecked Sendable {
    private let template: OpaquePointer
    private let copy: (OpaquePointer) -> OpaquePointer?
    private let free: (OpaquePointer) -> Void
    private let mutex = ForkSafeMutex()
    private var idle: [OpaquePointer] = []
    /// Contexts kept for reuse; more concurrent users get copies that are freed after use.
    private static let limit = 16

    /// A pool over `template`, which it owns and frees with `free`.
    init(template: OpaquePointer, copy: @escaping (OpaquePointer) -> OpaquePointer?, free: @escaping (OpaquePointer) -> Void) {
        self.template = template
        self.copy = copy
        self.free = free
    }

    deinit {
        for context in idle { free(context) }
        free(template)
    }

    /// A context for the caller's exclusive use, or `nil` if OpenSSL cannot copy the template.
    func take() -> OpaquePointer? {
        let pooled = mutex.withLock { idle.popLast() }
        return pooled ?? copy(template)
    }

    /// Returns a context from ``take()``.
    func give(_ context: OpaquePointer) {
        let kept = mutex.withLock {
            guard idle.count < Self.limit else { return false }
            idle.append(context)
            return true
        }
        if !kept { free(context) }
    }

    /// Runs `body` with a taken context and gives it back afterwards.
    func withContext<R, E: Error>(
        orThrow failure: E, _ body: (OpaquePointer) throws(E) -> R
    ) throws(E) -> R {
        guard let context = take() else { throw failure }
        defer { give(context) }
        return try body(context)
    }
}
