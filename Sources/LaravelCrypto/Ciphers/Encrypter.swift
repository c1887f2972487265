/// Encrypts and decrypts values the way Laravel's `Crypt` facade does.
///
/// Every encrypter is an immutable value: build it once at startup and call it from any thread.
/// Payloads are written with the ring's current key; decryption tries the current key, then
/// each previous key in order.
public protocol Encrypter: Sendable {
    /// The cipher this encrypter writes.
    var cipher: Cipher { get }

    /// Encrypts raw bytes, like `Crypt::encryptString` on a binary string.
    /// - Throws: ``EncryptionError``.
    func encryptBytes(_ plaintext: [UInt8]) throws(EncryptionError) -> String

    /// Decrypts a payload to its raw bytes.
    /// - Throws: ``DecryptionError``.
    func decryptBytes(_ payload: String) throws(DecryptionError) -> [UInt8]

    /// Encrypts text as-is, like `Crypt::encryptString` (no serialization).
    /// - Throws: ``EncryptionError``.
    func encryptString(_ text: String) throws(EncryptionError) -> String

    /// Decrypts a payload made by ``encryptString(_:)`` or PHP's `Crypt::encryptString`.
    /// - Throws: ``DecryptionError``; ``DecryptionError/invalidUTF8`` if the plaintext is not text.
    func decryptString(_ payload: String) throws(DecryptionError) -> String
}

extension Encrypter {
    /// Encrypts a value as PHP's `Crypt::encrypt` does: PHP `serialize()` first, then encrypt.
    /// - Throws: ``EncryptionError/serializationFailed(_:)`` or ``EncryptionError``.
    public func encrypt(_ value: some Encodable) throws -> String {
        let serialized: [UInt8]
        do {
            serialized = try PHPSerializer().serialize(value)
        } catch {
            throw EncryptionError.serializationFailed(error)
        }
        return try encryptBytes(serialized)
    }

    /// Decrypts a payload made by ``encrypt(_:)`` or PHP's `Crypt::encrypt` and unserializes it.
    /// - Throws: ``DecryptionError``; ``DecryptionError/unserializeFailed(_:)`` when the plaintext is
    ///   not PHP `serialize()` data of the shape `type` expects.
    public func decrypt<T: Decodable>(_ payload: String, as type: T.Type = T.self) throws -> T {
        var plaintext = try decryptBytes(payload)
        defer { SecureMemory.wipe(&plaintext) }
        do {
            return try PHPUnserializer().unserialize(type, from: plaintext)
        } catch {
            throw DecryptionError.unserializeFailed(error)
        }
    }
}
