/// What every encrypted column type shares: it is its stored text, compares and hashes by that
/// text, encodes (`Codable`) as that text, and never prints it.
///
/// The database adapters (`LaravelCryptoGRDB`, `LaravelCryptoPostgres`) store any conforming type
/// as a text column through this protocol.
public protocol EncryptedColumnValue: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The stored column text.
    var ciphertext: String { get }
    /// A value from its stored text.
    init(ciphertext: String)
}

extension EncryptedColumnValue {
    /// Decodes the stored text (a single string).
    public init(from decoder: any Decoder) throws {
        self.init(ciphertext: try decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes the stored text (a single string).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(ciphertext)
    }

    /// The type and the stored text's length; never the text, which may be logged.
    public var description: String { "\(Self.self)(\(ciphertext.utf8.count) bytes)" }
}

extension UserKeyContext {
    /// `key`, or the key in scope.
    /// - Throws: ``UserKeyError/missingContext`` when neither is there.
    static func resolve(_ key: UserKey?) throws(UserKeyError) -> UserKey {
        if let key { return key }
        return try requireCurrent()
    }
}
