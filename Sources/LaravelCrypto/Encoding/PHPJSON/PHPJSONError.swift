/// Why a value could not be written as, or read from, JSON the way PHP's `json_encode` /
/// `json_decode` do.
public enum PHPJSONError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A Swift value has no JSON form in PHP (NaN or infinity, a string that is not UTF-8, …).
    case unencodable(path: String, reason: String)
    /// The text is not JSON PHP's `json_decode` accepts; `offset` is in bytes.
    case malformed(offset: Int, reason: String)
    /// Arrays and objects nest deeper than PHP's default limit of 512.
    case nestingTooDeep(limit: Int)
    /// The JSON was read but does not have the shape the Swift type asks for.
    case typeMismatch(PHPSerializationError)

    /// A sentence for people.
    public var description: String {
        switch self {
        case .unencodable(let path, let reason):
            "Cannot encode the value at \(path.isEmpty ? "the top level" : path) as JSON: \(reason)."
        case .malformed(let offset, let reason): "Malformed JSON at byte \(offset): \(reason)."
        case .nestingTooDeep(let limit): "JSON arrays and objects are nested deeper than \(limit) levels."
        case .typeMismatch(let error): "The JSON does not fit the type: \(error)"
        }
    }
}
