#if PostgresNIO
public import LaravelCrypto
public import NIOCore
public import PostgresNIO

// Encrypted columns are `text` holding the payload, exactly what Eloquent's casts store; a blind index
// is `bytea` of 32 bytes. Bind them in queries and decode them from rows like any PostgresNIO value:
//   try await client.query("UPDATE users SET notes = \(notes) WHERE id = \(id)")
//   for try await (id, notes) in rows.decode((Int64, EncryptedString).self) { … }

extension EncryptedColumnValue where Self: PostgresNonThrowingEncodable {
    /// `text`.
    public static var psqlType: PostgresDataType { .text }
    /// Binary (for `text`, the UTF-8 bytes).
    public static var psqlFormat: PostgresFormat { .binary }

    /// Writes the payload.
    public func encode<JSONEncoder: PostgresJSONEncoder>(
        into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>
    ) {
        byteBuffer.writeString(ciphertext)
    }
}

extension EncryptedColumnValue where Self: PostgresDecodable {
    /// Reads the payload from a `text`, `varchar` or `bytea` column.
    /// - Throws: `PostgresDecodingError` for other column types or `bytea` that is not UTF-8.
    public init<JSONDecoder: PostgresJSONDecoder>(
        from buffer: inout ByteBuffer, type: PostgresDataType, format: PostgresFormat,
        context: PostgresDecodingContext<JSONDecoder>
    ) throws {
        if type == .bytea {
            guard let text = String(validating: buffer.readableBytesView, as: UTF8.self) else {
                throw PostgresDecodingError.Code.failure
            }
            self.init(ciphertext: text)
        } else {
            self.init(ciphertext: try String(from: &buffer, type: type, format: format, context: context))
        }
    }
}

extension EncryptedString: PostgresNonThrowingEncodable, PostgresDecodable {}
extension EncryptedJSON: PostgresNonThrowingEncodable, PostgresDecodable {}
extension UserEncryptedString: PostgresNonThrowingEncodable, PostgresDecodable {}
extension UserEncryptedJSON: PostgresNonThrowingEncodable, PostgresDecodable {}

extension BlindIndexValue: PostgresNonThrowingEncodable, PostgresDecodable {
    /// `bytea`.
    public static var psqlType: PostgresDataType { .bytea }
    /// Binary.
    public static var psqlFormat: PostgresFormat { .binary }

    /// Writes the 32 bytes.
    public func encode<JSONEncoder: PostgresJSONEncoder>(
        into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>
    ) {
        byteBuffer.writeBytes(bytes)
    }

    /// Reads 32 bytes of `bytea`.
    /// - Throws: `PostgresDecodingError` for another type or length.
    public init<JSONDecoder: PostgresJSONDecoder>(
        from buffer: inout ByteBuffer, type: PostgresDataType, format: PostgresFormat,
        context: PostgresDecodingContext<JSONDecoder>
    ) throws {
        guard type == .bytea, format == .binary,
            let index = try? BlindIndexValue(bytes: Array(buffer.readableBytesView))
        else {
            throw PostgresDecodingError.Code.typeMismatch
        }
        buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
        self = index
    }
}

extension RotatingBlindIndex {
    /// The candidates of `value` (current and previous keys) as a `bytea[]` to bind in
    /// `WHERE email_index = ANY(\(candidates))`.
    /// - Throws: ``UserKeyError``.
    public func postgresCandidates(
        for value: String, column: String, normalise: Bool = true, context: [String] = []
    ) throws(UserKeyError) -> [ByteBuffer] {
        try candidates(for: value, column: column, normalise: normalise, context: context).map {
            ByteBuffer(bytes: $0.bytes)
        }
    }
}
#endif
