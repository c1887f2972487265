/// What the thin libsodium/OpenSSL layer reports; the public layer maps it to the public errors.
package enum PrimitiveError: Error, Equatable, Sendable {
    /// `sodium_init()` failed.
    case initializationFailed
    /// A buffer had the wrong size for the primitive.
    case invalidLength(what: String, expected: Int, actual: Int)
    /// The tag or MAC did not verify.
    case authenticationFailed
    /// The primitive is not in the linked library or not usable on this CPU.
    case unavailable(String)
    /// Any other failure return of a C call.
    case callFailed(String)
}
