/// The bridge from internal code that throws untyped (closures over buffers) to the typed errors of
/// ``Encrypter``'s requirements. Everything inside already throws these types; anything else is a
/// bug in this package, reported rather than lost.
enum TypedErrors {
    /// Runs `body`; a ``DecryptionError`` passes through, any other error becomes
    /// ``DecryptionError/invalidPayload(reason:)``.
    @inline(__always)
    static func decrypting<R>(_ body: () throws -> R) throws(DecryptionError) -> R {
        do {
            return try body()
        } catch {
            throw (error as? DecryptionError) ?? .invalidPayload(reason: "\(error)")
        }
    }

    /// Runs `body`; an ``EncryptionError`` passes through, any other error becomes
    /// ``EncryptionError/cipherFailed(reason:)``.
    @inline(__always)
    static func encrypting<R>(_ body: () throws -> R) throws(EncryptionError) -> R {
        do {
            return try body()
        } catch {
            throw (error as? EncryptionError) ?? .cipherFailed(reason: "\(error)")
        }
    }
}
