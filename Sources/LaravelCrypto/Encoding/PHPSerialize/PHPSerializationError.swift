/// Why a value could not be written as, or read from, PHP `serialize()` data.
public enum PHPSerializationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The data breaks the grammar at `offset` (bytes from the start).
    case malformed(offset: Int, reason: String)
    /// Valid PHP data this package deliberately does not read: objects, enums, references.
    case unsupported(offset: Int, reason: String)
    /// A complete value was followed by more bytes, which PHP never writes.
    case trailingBytes(offset: Int)
    /// Arrays nested deeper than ``PHPUnserializer/maximumDepth``.
    case nestingTooDeep(limit: Int)
    /// The data holds another kind of value than the Swift type asks for.
    case typeMismatch(path: String, expected: String, found: String)
    /// A key the Swift type requires is absent.
    case missingKey(path: String, key: String)
    /// A Swift value has no PHP form (an integer above `Int64.max`, a `Date`, …).
    case unencodable(path: String, reason: String)

    /// A sentence for people.
    public var description: String {
        switch self {
        case .malformed(let offset, let reason): "Malformed PHP serialized data at byte \(offset): \(reason)."
        case .unsupported(let offset, let reason): "Unsupported PHP serialized data at byte \(offset): \(reason)."
        case .trailingBytes(let offset): "Unexpected bytes after the serialized value, from byte \(offset)."
        case .nestingTooDeep(let limit): "PHP serialized arrays are nested deeper than \(limit) levels."
        case .typeMismatch(let path, let expected, let found):
            "Expected \(expected) at \(path.isEmpty ? "the top level" : path), found \(found)."
        case .missingKey(let path, let key): "Missing key \"\(key)\" at \(path.isEmpty ? "the top level" : path)."
        case .unencodable(let path, let reason):
            "Cannot serialize the value at \(path.isEmpty ? "the top level" : path): \(reason)."
        }
    }
}
