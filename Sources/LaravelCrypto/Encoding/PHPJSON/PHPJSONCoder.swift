/// Writes `Encodable` values as PHP's `json_encode` writes the equivalent PHP value, byte for byte.
///
/// Laravel's `encrypted:array`/`encrypted:json` casts use the default flags (`escapesUnicode`
/// true: `ü` → `\u00fc`); laravel-crypto's `UserEncryptedJson` cast adds `JSON_UNESCAPED_UNICODE`
/// (`escapesUnicode` false: raw UTF-8). Both escape `/` as `\/`. Structs and dictionaries become
/// objects in encoding order, arrays become lists, a struct or dictionary with no entries becomes
/// `[]` (PHP cannot tell an empty map from an empty list). NaN and infinity throw, as
/// `JSON_THROW_ON_ERROR` does.
public struct PHPJSONEncoder: Sendable {
    /// Whether non-ASCII characters are written as `\uXXXX` (PHP's default) or as raw UTF-8
    /// (`JSON_UNESCAPED_UNICODE`). U+2028 and U+2029 are escaped either way, as PHP does.
    public var escapesUnicode: Bool

    /// An encoder; `escapesUnicode` false is `JSON_UNESCAPED_UNICODE`.
    public init(escapesUnicode: Bool = true) {
        self.escapesUnicode = escapesUnicode
    }

    /// The JSON bytes of `value`.
    /// - Throws: ``PHPJSONError/unencodable(path:reason:)``.
    public func encode(_ value: some Encodable) throws(PHPJSONError) -> [UInt8] {
        let tree: PHPValue
        do {
            let root = PHPEncodingNode()
            try PHPEncoding(node: root, codingPath: []).encodeValue(value)
            tree = root.resolved()
        } catch let PHPSerializationError.unencodable(path, reason) {
            throw .unencodable(path: path, reason: reason)
        } catch {
            throw .unencodable(path: "", reason: "\(error)")
        }
        return try PHPJSONWriter.bytes(of: tree, escapesUnicode: escapesUnicode)
    }
}

/// Reads JSON into `Decodable` values as PHP's `json_decode($text, true)` reads it (depth 512,
/// strict UTF-8, exactly four hex digits per `\u`, lone surrogates rejected), then decodes the
/// PHP array into the Swift type as ``PHPUnserializer`` does.
public struct PHPJSONDecoder: Sendable {
    /// A decoder.
    public init() {}

    /// Checks that `bytes` are one JSON value `json_decode` accepts, of any shape, without
    /// decoding it into a Swift type (`crypto-reencrypt` checks a `json` column this way).
    /// - Throws: ``PHPJSONError``.
    public func validate(_ bytes: [UInt8]) throws(PHPJSONError) {
        var value = try bytes.withTypedBytes { raw throws(PHPJSONError) in try PHPJSONParser.parse(raw) }
        PHPValue.dismantle(&value)  // a deep tree is freed without recursion
    }

    /// Decodes a `T` from JSON bytes.
    /// - Throws: ``PHPJSONError``.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws(PHPJSONError) -> T {
        var value = try bytes.withTypedBytes { raw throws(PHPJSONError) in try PHPJSONParser.parse(raw) }
        defer { PHPValue.dismantle(&value) }  // a deep tree is freed without recursion
        do {
            return try PHPDecoding(value: value, codingPath: []).decodeValue(type)
        } catch let error as PHPSerializationError {
            throw .typeMismatch(error)
        } catch {
            throw .typeMismatch(.typeMismatch(path: "", expected: "\(type)", found: "\(error)"))
        }
    }
}
