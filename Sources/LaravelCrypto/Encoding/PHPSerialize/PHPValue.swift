/// A value in PHP's `serialize()` data model: what Laravel's `encrypt()` puts inside a payload.
///
/// Only the scalar types and arrays exist here; objects, enums and references are rejected by
/// the reader (see ``PHPSerializationError/unsupported(offset:reason:)``).
indirect enum PHPValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    /// PHP strings are bytes.
    case string([UInt8])
    /// An ordered map, in insertion order; keys are unique.
    case array([(key: PHPArrayKey, value: PHPValue)])

    static func == (lhs: PHPValue, rhs: PHPValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.int(let a), .int(let b)): a == b
        case (.double(let a), .double(let b)): a.bitPattern == b.bitPattern || a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }

    /// Releases `entries` and everything under them without recursion. Releasing a tree of
    /// nested arrays the ordinary way recurses once per level in the runtime, and 512 levels
    /// overflow a 64 KiB thread stack; here every node is taken out of its parent first, so each
    /// release is shallow. `entries` is empty afterwards.
    static func dismantle(_ entries: inout [(key: PHPArrayKey, value: PHPValue)]) {
        var pending: [PHPValue] = []
        func takeArrays(_ entries: inout [(key: PHPArrayKey, value: PHPValue)]) {
            while let entry = entries.popLast() {
                if case .array = entry.value { pending.append(entry.value) }
            }
        }
        takeArrays(&entries)
        while var next = pending.popLast() {
            guard case .array(var children) = next else { continue }
            next = .null  // frees the box, so `children` is the array's only owner
            takeArrays(&children)
        }
    }

    /// Releases `value` and everything under it without recursion (see ``dismantle(_:)-([(key:value:)])``).
    static func dismantle(_ value: inout PHPValue) {
        var entries = [(key: PHPArrayKey.int(0), value: value)]
        value = .null
        dismantle(&entries)
    }

    /// A short name of the kind of value, for error messages.
    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .int: "int"
        case .double: "float"
        case .string: "string"
        case .array: "array"
        }
    }
}

/// An array key: PHP stores canonical decimal integer strings as integers.
enum PHPArrayKey: Hashable, Sendable {
    case int(Int64)
    case string([UInt8])

    /// The key PHP would store for the string `text` (`"1"` → `1`, `"01"` stays a string).
    init(normalizing text: String) {
        if let number = PHPArrayKey.canonicalInteger(Array(text.utf8)) {
            self = .int(number)
        } else {
            self = .string(Array(text.utf8))
        }
    }

    /// The key PHP would store for the byte string `bytes`.
    init(normalizing bytes: [UInt8]) {
        if let number = PHPArrayKey.canonicalInteger(bytes) {
            self = .int(number)
        } else {
            self = .string(bytes)
        }
    }

    /// The key as text: decimal for integers.
    var text: String {
        switch self {
        case .int(let n): String(n)
        case .string(let bytes): String(decoding: bytes, as: UTF8.self)
        }
    }

    /// `0` or `-?[1-9][0-9]*` within the Int64 range (php-serialize spec §3).
    static func canonicalInteger(_ bytes: [UInt8]) -> Int64? {
        guard !bytes.isEmpty, bytes.count <= 20 else { return nil }
        let negative = bytes[0] == UInt8(ascii: "-")
        let digits = negative ? bytes.dropFirst() : bytes[...]
        guard let first = digits.first, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        if first == UInt8(ascii: "0") { return digits.count == 1 && !negative ? 0 : nil }
        return Int64(String(decoding: bytes, as: UTF8.self))
    }
}
