#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads PHP `serialize()` data into `Decodable` values, strictly.
///
/// The data must be exactly one value (no trailing bytes), made only of `N b i d s a`: objects,
/// enums and references are rejected, since a Swift type cannot hold them and Laravel's own
/// producers of plain values never write them. Lists must be keyed 0…n−1 in order. A `Double`
/// also accepts `i:`; strings must be UTF-8 (`Data` takes any bytes).
public struct PHPUnserializer: Sendable {
    /// How deep arrays may nest before the data is rejected.
    public static let maximumDepth = 512

    /// An unserializer.
    public init() {}

    /// Checks that `bytes` are exactly one value this unserializer reads, of any shape, without
    /// decoding it into a Swift type (`crypto-reencrypt` checks a `serialized` column this way).
    /// - Throws: ``PHPSerializationError``.
    public func validate(_ bytes: [UInt8]) throws(PHPSerializationError) {
        var value = try parse(bytes)
        PHPValue.dismantle(&value)
    }

    /// The parsed value, owned by the caller alone (so ``PHPValue/dismantle(_:)`` can free it
    /// without recursion).
    private func parse(_ bytes: [UInt8]) throws(PHPSerializationError) -> PHPValue {
        var parsed: Result<PHPValue, PHPSerializationError> = bytes.withUnsafeBytes { raw in
            Result { () throws(PHPSerializationError) in try PHPParser.parse(raw, maximumDepth: Self.maximumDepth) }
        }
        let value = try parsed.get()
        parsed = .success(.null)
        return value
    }

    /// Decodes a `T` from PHP `serialize()` bytes.
    /// - Throws: ``PHPSerializationError``.
    public func unserialize<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws(PHPSerializationError) -> T {
        var value = try parse(bytes)
        defer { PHPValue.dismantle(&value) }
        do {
            return try PHPDecoding(value: value, codingPath: []).decodeValue(type)
        } catch let error as PHPSerializationError {
            throw error
        } catch let DecodingError.dataCorrupted(context) {
            throw .typeMismatch(
                path: context.codingPath.phpPath, expected: "a valid value", found: context.debugDescription)
        } catch {
            throw .typeMismatch(path: "", expected: "\(type)", found: "\(error)")
        }
    }
}

/// The `Decoder` handed to `init(from:)` implementations.
struct PHPDecoding: Decoder {
    let value: PHPValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func mismatch(_ expected: String) -> PHPSerializationError {
        .typeMismatch(path: codingPath.phpPath, expected: expected, found: value.kindName)
    }

    func entries() throws -> [(key: PHPArrayKey, value: PHPValue)] {
        guard case .array(let entries) = value else { throw mismatch("array") }
        return entries
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(try PHPKeyedDecoding<Key>(entries: try entries(), codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let entries = try entries()
        for (index, entry) in entries.enumerated() where entry.key != .int(Int64(index)) {
            throw PHPSerializationError.typeMismatch(
                path: codingPath.phpPath, expected: "a list keyed 0…\(entries.count - 1)",
                found: "key \(entry.key.text) at position \(index)")
        }
        return PHPUnkeyedDecoding(values: entries.map(\.value), codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    /// Decodes `type`, handling the types whose PHP form differs from their `Decodable` form.
    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        if type == Data.self {
            guard case .string(let bytes) = value else { throw mismatch("string") }
            return try cast(Data(bytes))
        }
        if type == URL.self {
            guard let url = URL(string: try decode(String.self)) else { throw mismatch("URL string") }
            return try cast(url)
        }
        if type == Double.self { return try cast(try decode(Double.self)) }
        return try T(from: self)
    }

    private func cast<T, U>(_ value: U) throws -> T {
        guard let result = value as? T else { throw mismatch("\(T.self)") }
        return result
    }
}

extension PHPDecoding: SingleValueDecodingContainer {
    func decodeNil() -> Bool { value == .null }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .bool(let b) = value else { throw mismatch("bool") }
        return b
    }

    func decode(_ type: String.Type) throws -> String {
        guard case .string(let bytes) = value else { throw mismatch("string") }
        let valid = bytes.withUnsafeBytes { UTF8Validation.isValid($0) }
        guard valid else { throw mismatch("UTF-8 string") }
        return String(decoding: bytes, as: UTF8.self)
    }

    func decode(_ type: Double.Type) throws -> Double {
        switch value {
        case .double(let d): return d
        case .int(let n): return Double(n)
        default: throw mismatch("float")
        }
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    private func integer<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
        guard case .int(let n) = value else { throw mismatch("int") }
        guard let result = I(exactly: n) else { throw mismatch("int that fits \(I.self)") }
        return result
    }

    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeValue(type) }
}

struct PHPKeyedDecoding<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let values: [String: PHPValue]
    let orderedKeys: [String]
    let codingPath: [any CodingKey]

    /// - Throws: ``PHPSerializationError/typeMismatch(path:expected:found:)`` for a string key that
    ///   is not valid UTF-8: as a Swift `String` it would lose bytes, and two different PHP keys
    ///   could then collide.
    init(entries: [(key: PHPArrayKey, value: PHPValue)], codingPath: [any CodingKey]) throws {
        var values: [String: PHPValue] = [:]
        var orderedKeys: [String] = []
        orderedKeys.reserveCapacity(entries.count)
        for entry in entries {
            let text: String
            switch entry.key {
            case .int(let number): text = String(number)
            case .string(let bytes):
                guard let valid = String(validating: bytes, as: UTF8.self) else {
                    throw PHPSerializationError.typeMismatch(
                        path: codingPath.phpPath, expected: "array keys of valid UTF-8",
                        found: "a key of \(bytes.count) bytes that is not valid UTF-8")
                }
                text = valid
            }
            values[text] = entry.value
            orderedKeys.append(text)
        }
        self.values = values
        self.orderedKeys = orderedKeys
        self.codingPath = codingPath
    }

    var allKeys: [Key] { orderedKeys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { values[key.stringValue] != nil }

    private func decoder(for key: Key) throws -> PHPDecoding {
        guard let value = values[key.stringValue] else {
            throw PHPSerializationError.missingKey(path: codingPath.phpPath, key: key.stringValue)
        }
        return PHPDecoding(value: value, codingPath: codingPath + [key])
    }

    func decodeNil(forKey key: Key) throws -> Bool { try decoder(for: key).decodeNil() }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decoder(for: key).decodeValue(type)
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try decoder(for: key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try decoder(for: key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        PHPDecoding(value: values["super"] ?? .null, codingPath: codingPath + [PHPIndexKey.superKey])
    }

    func superDecoder(forKey key: Key) throws -> any Decoder { try decoder(for: key) }
}

struct PHPUnkeyedDecoding: UnkeyedDecodingContainer {
    let values: [PHPValue]
    let codingPath: [any CodingKey]
    private(set) var currentIndex = 0

    init(values: [PHPValue], codingPath: [any CodingKey]) {
        self.values = values
        self.codingPath = codingPath
    }

    var count: Int? { values.count }
    var isAtEnd: Bool { currentIndex >= values.count }

    private mutating func nextDecoder() throws -> PHPDecoding {
        guard !isAtEnd else {
            throw PHPSerializationError.typeMismatch(
                path: codingPath.phpPath, expected: "more list elements", found: "\(values.count)")
        }
        defer { currentIndex += 1 }
        return PHPDecoding(value: values[currentIndex], codingPath: codingPath + [PHPIndexKey(currentIndex)])
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, values[currentIndex] == .null else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try nextDecoder().decodeValue(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try nextDecoder().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try nextDecoder().unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder { try nextDecoder() }
}
