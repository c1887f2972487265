/// laravel-crypto's blind index (spec §7.6): a keyed BLAKE2b-256 of a value, stored beside its
/// ciphertext so rows can be found by exact value without decrypting them.
///
/// ```
/// ctx8   = BLAKE2b-128(column)[0..<8]
/// subKey = crypto_kdf_derive_from_key(32, 1, ctx8, K)
/// input  = normalise ? mb_strtolower(trim(value)) : value,  then "|" ‖ join("|", context) if any
/// index  = BLAKE2b-256(key = subKey, input)
/// ```
///
/// **What it leaks:** equal inputs give equal indexes, so whoever reads the index column learns
/// which rows share a value (and, for low-entropy values, can guess them by trying candidates
/// if they also hold the key). Per-user indexes (`K` = the user key) only repeat within one user;
/// global indexes (`K` = the app key) repeat across the table.
///
/// Compatibility notes: `trim` strips exactly space, tab, LF, CR, NUL and vertical tab (a
/// non-breaking space is kept); lower-casing is PHP ≥ 8.3's `mb_strtolower` — full Unicode
/// mapping (`İ` → `i̇`), the Greek final sigma (`ΣΟΦΟΣ` → `σοφος`), no normalisation, so an NFD
/// value gives another index than its NFC form. Context values are not normalised, and the
/// joiner is not escaped: `"a|b"` with no context has the same index as `"a"` with context
/// `["b"]`, exactly as upstream.
public struct BlindIndex: Sendable, CustomStringConvertible {
    /// The size of every index: 32 bytes (a `binary(32)` column).
    public static let byteCount = 32

    private enum Key: Sendable {
        case user(UserKey)
        case app(EncryptionKey)
    }

    private let key: Key

    /// Indexes keyed by a user's key (laravel-crypto's `'user'` mode, the default).
    public init(userKey: UserKey) {
        key = .user(userKey)
    }

    /// Indexes keyed by the app key (laravel-crypto's `'global'` mode), parsed as laravel-crypto's
    /// `AppKeyLoader` parses `APP_KEY`: `base64:` + base64, otherwise hex. It must be exactly 32 bytes.
    /// - Throws: ``KeyError`` for a malformed key or one of another size (a 16-byte AEGIS-128L key included).
    public init(appKey: String) throws(KeyError) {
        let parsed = try KeyTextFormat.laravelCrypto.parse(appKey, variable: "APP_KEY")
        guard parsed.byteCount == SodiumKDF.keyByteCount else {
            throw .invalidLength(for: .globalBlindIndex, expected: SodiumKDF.keyByteCount, actual: parsed.byteCount)
        }
        key = .app(parsed)
    }

    /// The 32-byte index of `value` in `column`.
    /// - Parameters:
    ///   - value: the plaintext.
    ///   - column: the column (model attribute) name the index is bound to.
    ///   - normalise: `trim` and `mb_strtolower` the value first (not the context).
    ///   - context: further values appended with `|` (laravel-crypto's context column).
    /// - Throws: ``UserKeyError/keyWiped`` for a wiped user key.
    public func compute(_ value: String, column: String, normalise: Bool = true, context: [String] = [])
        throws(UserKeyError) -> [UInt8]
    {
        try UserKeyError.mapping {
            try [UInt8](unsafeUninitializedCapacity: Self.byteCount) { out, count in
                try withSubKey(column: column) { subKey in
                    try Self.withInput(value, normalise: normalise, context: context) { input in
                        try SodiumGenericHash.hash(input, key: subKey, into: UnsafeMutableRawBufferPointer(out))
                    }
                }
                count = Self.byteCount
            }
        }
    }

    /// Whether `index` is the index of `value` (constant-time comparison); `false` for a stored value
    /// that is not 32 bytes, and for a wiped user key.
    public func verify(_ index: [UInt8], value: String, column: String, normalise: Bool = true, context: [String] = [])
        -> Bool
    {
        guard index.count == Self.byteCount,
            let expected = try? compute(value, column: column, normalise: normalise, context: context)
        else { return false }
        return index.withUnsafeBytes { a in expected.withUnsafeBytes { b in SodiumMemory.constantTimeEquals(a, b) } }
    }

    /// `BlindIndex(user key)` or `BlindIndex(app key)`: never the key.
    public var description: String {
        switch key {
        case .user: "BlindIndex(user key)"
        case .app: "BlindIndex(app key)"
        }
    }

    /// The hashed input: the value as it is when nothing changes it, else one wiped buffer.
    private static func withInput<R>(
        _ value: String, normalise: Bool, context: [String], _ body: (UnsafeRawBufferPointer) throws -> R
    ) throws -> R {
        if !normalise && context.isEmpty {
            return try value.withUTF8Bytes(body)
        }
        var input = normalise ? BlindIndexNormalisation.normalised(value) : Array(value.utf8)
        defer { SecureMemory.wipe(&input) }
        for piece in context {
            input.append(UInt8(ascii: "|"))
            input.append(contentsOf: piece.utf8)
        }
        return try input.withUnsafeBytes(body)
    }

    /// The column's subkey (`crypto_kdf_derive_from_key(32, 1, ctx8, K)`) in a stack buffer wiped after `body`.
    private func withSubKey<R>(column: String, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        var column = column
        return try withUnsafeTemporaryAllocation(byteCount: 48, alignment: 16) { scratch in
            defer { SodiumMemory.zero(scratch) }
            let context = UnsafeMutableRawBufferPointer(rebasing: scratch[..<16])
            let subKey = UnsafeMutableRawBufferPointer(rebasing: scratch[16...])
            try column.withUTF8 { name in
                try SodiumGenericHash.hash(
                    UnsafeRawBufferPointer(name), key: UnsafeRawBufferPointer(start: nil, count: 0), into: context)
            }
            try withKeyBytes { key in
                try SodiumKDF.derive(
                    subkeyID: 1, context: UnsafeRawBufferPointer(rebasing: context[..<8]), key: key, into: subKey)
            }
            return try body(UnsafeRawBufferPointer(subKey))
        }
    }

    private func withKeyBytes(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        switch key {
        case .user(let userKey): try userKey.withKeyBytes(body)
        case .app(let appKey): try appKey.withUnsafeBytes(body)
        }
    }
}
