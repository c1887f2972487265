/// A blind-index column (laravel-crypto's `blindIndex()` migration macro: `binary(32)`), written
/// beside a ``UserEncryptedString`` by the `UserEncryptedWithIndex` cast.
///
/// ```swift
/// struct Contact: Codable {
///     var email: UserEncryptedString
///     var emailIndex: BlindIndexValue      // column email_index
/// }
/// contact.email = try UserEncryptedString(sealing: email)
/// contact.emailIndex = try BlindIndexValue(of: email, column: "email", using: BlindIndex(userKey: key))
/// ```
///
/// `column` is the **encrypted attribute's** name (`email`), not the index column's, as upstream.
public struct BlindIndexValue: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The 32 index bytes.
    public let bytes: [UInt8]

    /// A value from the stored bytes.
    /// - Throws: ``UserKeyError/invalidLength(what:expected:actual:)`` unless there are exactly 32.
    public init(bytes: [UInt8]) throws(UserKeyError) {
        guard bytes.count == BlindIndex.byteCount else {
            throw .invalidLength(what: "blind index", expected: BlindIndex.byteCount, actual: bytes.count)
        }
        self.bytes = bytes
    }

    /// The index of `value` in `column` under `index`'s key (see ``BlindIndex/compute(_:column:normalise:context:)``).
    /// - Throws: ``UserKeyError/keyWiped`` for a wiped user key.
    public init(
        of value: String, column: String, using index: BlindIndex, normalise: Bool = true, context: [String] = []
    ) throws(UserKeyError) {
        bytes = try index.compute(value, column: column, normalise: normalise, context: context)
    }

    /// Decodes the 32 bytes.
    public init(from decoder: any Decoder) throws {
        try self.init(bytes: try decoder.singleValueContainer().decode([UInt8].self))
    }

    /// Encodes the 32 bytes.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(bytes)
    }

    /// Lowercase hex of the index (an index is a keyed hash, not a secret in itself).
    public var description: String { "BlindIndexValue(\(Hex.encode(bytes)))" }
}
