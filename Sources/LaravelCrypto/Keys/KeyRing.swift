/// The current key, which encrypts, and the previous keys, which still decrypt, in order.
///
/// Built once from configuration and never changed, so encrypters that hold one are
/// immutable values that can be used from any thread.
public struct KeyRing: Sendable, CustomStringConvertible {
    /// The key every new payload is encrypted with.
    public let current: EncryptionKey
    /// Older keys, tried in this order after ``current`` when decrypting.
    public let previous: [EncryptionKey]

    /// A ring of `current` followed by `previous`.
    public init(current: EncryptionKey, previous: [EncryptionKey] = []) {
        self.current = current
        self.previous = previous
    }

    /// Parses `APP_KEY` / `APP_PREVIOUS_KEYS`-style strings in the given format.
    /// - Throws: ``KeyError`` naming the variable and what was wrong.
    public init(currentKey: String, previousKeys: [String] = [], format: KeyTextFormat) throws(KeyError) {
        current = try format.parse(currentKey, variable: "APP_KEY")
        var parsed: [EncryptionKey] = []
        for text in previousKeys {
            parsed += try format.parseList(text)
        }
        previous = parsed
    }

    /// ``current`` followed by ``previous``: the order decryption tries them in.
    public var all: [EncryptionKey] { [current] + previous }

    /// Throws unless every key has `byteCount` bytes.
    func requireByteCount(_ byteCount: Int, for purpose: KeyPurpose) throws(KeyError) {
        for key in all where key.byteCount != byteCount {
            throw .invalidLength(for: purpose, expected: byteCount, actual: key.byteCount)
        }
    }

    /// `KeyRing(current + N previous)`: never the keys themselves.
    public var description: String { "KeyRing(current + \(previous.count) previous)" }
}
