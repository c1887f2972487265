#if GRDB
public import GRDB
public import LaravelCrypto
import Foundation

// Encrypted columns are TEXT holding the payload, exactly what Eloquent's casts store; a blind index
// is a 32-byte BLOB. Declaring a record property of one of these types is all a model needs.

extension EncryptedColumnValue where Self: DatabaseValueConvertible {
    /// The payload as TEXT.
    public var databaseValue: DatabaseValue { ciphertext.databaseValue }

    /// The payload from TEXT, or from a BLOB holding its bytes (PDO may bind either); `nil` for
    /// NULL, numbers and bytes that are not UTF-8 — GRDB then reports a decoding error for the row.
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> Self? {
        switch dbValue.storage {
        case .string(let text):
            return Self(ciphertext: text)
        case .blob(let data):
            guard let text = String(validating: data, as: UTF8.self) else { return nil }
            return Self(ciphertext: text)
        default:
            return nil
        }
    }
}

extension EncryptedString: DatabaseValueConvertible {}
extension EncryptedJSON: DatabaseValueConvertible {}
extension UserEncryptedString: DatabaseValueConvertible {}
extension UserEncryptedJSON: DatabaseValueConvertible {}

extension BlindIndexValue: DatabaseValueConvertible {
    /// The 32 bytes as a BLOB.
    public var databaseValue: DatabaseValue { Data(bytes).databaseValue }

    /// The index from a 32-byte BLOB, or TEXT holding those bytes (as PDO binds a PHP string);
    /// `nil` for anything else.
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> BlindIndexValue? {
        switch dbValue.storage {
        case .blob(let data): try? BlindIndexValue(bytes: Array(data))
        case .string(let text): try? BlindIndexValue(bytes: Array(text.utf8))
        default: nil
        }
    }
}

extension RotatingBlindIndex {
    /// An SQL condition matching rows of `indexColumn` whose index is one of `value`'s candidates
    /// (current and previous keys): `Contact.filter(try search.filter("email_index", for: email, column: "email"))`.
    /// - Throws: ``UserKeyError``.
    public func filter(
        _ indexColumn: String, for value: String, column: String, normalise: Bool = true, context: [String] = []
    ) throws(UserKeyError) -> SQLExpression {
        let candidates = try candidates(for: value, column: column, normalise: normalise, context: context)
        return candidates.contains(Column(indexColumn))
    }
}
#endif
