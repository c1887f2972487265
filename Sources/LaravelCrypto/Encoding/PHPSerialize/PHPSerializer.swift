#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Writes `Encodable` values as PHP `serialize()` data, byte for byte what PHP writes for the
/// equivalent PHP value.
///
/// Mapping: `nil` → `N;`, `Bool` → `b:`, integers → `i:` (64-bit; larger `UInt64` values throw),
/// `Double`/`Float` → `d:` in PHP's shortest form, `String` → `s:` with its UTF-8 byte count,
/// `Data` → `s:` with the raw bytes, arrays → `a:` lists keyed 0…n−1, structs and dictionaries →
/// `a:` maps in encoding order, a key that is a canonical decimal integer written as `i:` (PHP
/// cannot hold it as a string). `Date` has no PHP form and throws: encode a timestamp or a string.
public struct PHPSerializer: Sendable {
    /// A serializer.
    public init() {}

    /// The PHP `serialize()` bytes of `value`.
    /// - Throws: ``PHPSerializationError/unencodable(path:reason:)``.
    public func serialize(_ value: some Encodable) throws(PHPSerializationError) -> [UInt8] {
        do {
            let root = PHPEncodingNode()
            try PHPEncoding(node: root, codingPath: []).encodeValue(value)
            return PHPWriter.bytes(of: root.resolved())
        } catch let error as PHPSerializationError {
            throw error
        } catch let error as EncodingError {
            throw .unencodable(path: "", reason: "\(error)")
        } catch {
            throw .unencodable(path: "", reason: "\(error)")
        }
    }
}

/// One value under construction: empty, a scalar, or an array of child nodes.
final class PHPEncodingNode {
    enum Content {
        case empty
        case scalar(PHPValue)
        case array([(key: PHPArrayKey, node: PHPEncodingNode)])
    }

    var content: Content = .empty

    /// Appends (or, for a repeated key, replaces) a child, as assigning into a PHP array does.
    func child(forKey key: PHPArrayKey) -> PHPEncodingNode {
        let node = PHPEncodingNode()
        var entries = arrayEntries
        if let existing = entries.firstIndex(where: { $0.key == key }) {
            entries[existing].node = node
        } else {
            entries.append((key, node))
        }
        content = .array(entries)
        return node
    }

    /// Makes this node an array (keeping entries already written) and returns its entries.
    var arrayEntries: [(key: PHPArrayKey, node: PHPEncodingNode)] {
        if case .array(let entries) = content { return entries }
        content = .array([])
        return []
    }

    func resolved() -> PHPValue {
        switch content {
        case .empty: .array([])
        case .scalar(let value): value
        case .array(let entries): .array(entries.map { ($0.key, $0.node.resolved()) })
        }
    }
}

/// The `Encoder` handed to `encode(to:)` implementations.
struct PHPEncoding: Encoder {
    let node: PHPEncodingNode
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        _ = node.arrayEntries
        return KeyedEncodingContainer(PHPKeyedEncoding<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        _ = node.arrayEntries
        return PHPUnkeyedEncoding(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    /// Encodes `value`, handling the types whose PHP form differs from their `Encodable` form.
    func encodeValue(_ value: some Encodable) throws {
        switch value {
        case let data as Data:
            node.content = .scalar(.string(Array(data)))
        case is Date:
            throw PHPSerializationError.unencodable(
                path: codingPath.phpPath, reason: "Date has no PHP serialize form; encode a timestamp or a string")
        case let url as URL:
            node.content = .scalar(.string(Array(url.absoluteString.utf8)))
        case let double as Double:
            node.content = .scalar(.double(double))
        case let float as Float:
            node.content = .scalar(.double(Double(float)))
        default:
            try value.encode(to: self)
        }
    }
}

extension PHPEncoding: SingleValueEncodingContainer {
    func encodeNil() { node.content = .scalar(.null) }
    func encode(_ value: Bool) { node.content = .scalar(.bool(value)) }
    func encode(_ value: String) { node.content = .scalar(.string(Array(value.utf8))) }
    func encode(_ value: Double) { node.content = .scalar(.double(value)) }
    func encode(_ value: Float) { node.content = .scalar(.double(Double(value))) }
    func encode(_ value: Int) { node.content = .scalar(.int(Int64(value))) }
    func encode(_ value: Int8) { node.content = .scalar(.int(Int64(value))) }
    func encode(_ value: Int16) { node.content = .scalar(.int(Int64(value))) }
    func encode(_ value: Int32) { node.content = .scalar(.int(Int64(value))) }
    func encode(_ value: Int64) { node.content = .scalar(.int(value)) }
    func encode(_ value: UInt8) { node.content = .scalar(.int(Int64(value))) }
    func encode(_ value: UInt16) { node.content = .scalar(.int(Int64(value))) }
    func encode(_ value: UInt32) { node.content = .scalar(.int(Int64(value))) }
    func encode(_ value: UInt) throws { try encode(UInt64(value)) }
    func encode(_ value: UInt64) throws {
        guard let n = Int64(exactly: value) else {
            throw PHPSerializationError.unencodable(
                path: codingPath.phpPath, reason: "\(value) is larger than PHP's largest integer")
        }
        node.content = .scalar(.int(n))
    }
    func encode(_ value: some Encodable) throws { try encodeValue(value) }
}

struct PHPKeyedEncoding<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: PHPEncodingNode
    let codingPath: [any CodingKey]

    private func encoder(for key: Key) -> PHPEncoding {
        // The string value decides, as it does for a PHP array key: "1" is stored as 1, "01" stays a string.
        let phpKey = PHPArrayKey(normalizing: key.stringValue)
        return PHPEncoding(node: node.child(forKey: phpKey), codingPath: codingPath + [key])
    }

    func encodeNil(forKey key: Key) { encoder(for: key).encodeNil() }
    func encode(_ value: some Encodable, forKey key: Key) throws { try encoder(for: key).encodeValue(value) }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        encoder(for: key).container(keyedBy: keyType)
    }

    func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        encoder(for: key).unkeyedContainer()
    }

    func superEncoder() -> any Encoder {
        PHPEncoding(
            node: node.child(forKey: .string(Array("super".utf8))), codingPath: codingPath + [PHPIndexKey.superKey])
    }

    func superEncoder(forKey key: Key) -> any Encoder { encoder(for: key) }
}

struct PHPUnkeyedEncoding: UnkeyedEncodingContainer {
    let node: PHPEncodingNode
    let codingPath: [any CodingKey]
    var count: Int { node.arrayEntries.count }

    private func nextEncoder() -> PHPEncoding {
        let index = count
        return PHPEncoding(node: node.child(forKey: .int(Int64(index))), codingPath: codingPath + [PHPIndexKey(index)])
    }

    func encodeNil() { nextEncoder().encodeNil() }
    func encode(_ value: some Encodable) throws { try nextEncoder().encodeValue(value) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        nextEncoder().container(keyedBy: keyType)
    }

    func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { nextEncoder().unkeyedContainer() }
    func superEncoder() -> any Encoder { nextEncoder() }
}

/// A list position (or the `super` key) as a coding key.
struct PHPIndexKey: CodingKey {
    let intValue: Int?
    let stringValue: String
    init(_ index: Int) {
        intValue = index
        stringValue = String(index)
    }
    init?(intValue: Int) { self.init(intValue) }
    init?(stringValue: String) {
        self.stringValue = stringValue
        intValue = Int(stringValue)
    }
    /// The key `superEncoder()`/`superDecoder()` use.
    static let superKey = PHPIndexKey(stringValue: "super") ?? PHPIndexKey(0)
}

extension [any CodingKey] {
    /// `user.tags.0`: a coding path as text for error messages.
    var phpPath: String {
        map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }
}
