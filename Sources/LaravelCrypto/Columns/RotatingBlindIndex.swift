/// Global blind indexes (laravel-crypto's `'global'` mode) while `APP_KEY` rotates: rows keep the
/// index computed under the key that was current when they were written, so a lookup must try
/// the current key and every previous one.
///
/// ```swift
/// let search = try RotatingBlindIndex(appKey: env["APP_KEY"], previousKeys: previous)
/// let candidates = try search.candidates(for: "ada@example.com", column: "email")
/// // SELECT … WHERE email_index IN (candidates…)   (GRDB: ``filter(_:for:column:normalise:context:)``)
/// ```
///
/// New rows get ``current(for:column:normalise:context:)``; `crypto-reencrypt --index` rewrites old ones.
public struct RotatingBlindIndex: Sendable {
    /// The current key's index first, then each previous key's, in `APP_PREVIOUS_KEYS` order.
    public let indexes: [BlindIndex]

    /// Indexes under `appKey` and `previousKeys`, each parsed as ``BlindIndex/init(appKey:)`` does.
    /// - Throws: ``KeyError`` for a malformed key or one that is not 32 bytes.
    public init(appKey: String, previousKeys: [String] = []) throws(KeyError) {
        var indexes = [try BlindIndex(appKey: appKey)]
        for key in previousKeys { indexes.append(try BlindIndex(appKey: key)) }
        self.indexes = indexes
    }

    /// The index to store for a new or changed row (current key).
    /// - Throws: ``UserKeyError``.
    public func current(for value: String, column: String, normalise: Bool = true, context: [String] = [])
        throws(UserKeyError) -> BlindIndexValue
    {
        try BlindIndexValue(of: value, column: column, using: indexes[0], normalise: normalise, context: context)
    }

    /// Every index a row holding `value` may carry: the current key's first, duplicates removed.
    /// - Throws: ``UserKeyError``.
    public func candidates(for value: String, column: String, normalise: Bool = true, context: [String] = [])
        throws(UserKeyError) -> [BlindIndexValue]
    {
        var result: [BlindIndexValue] = []
        for index in indexes {
            let candidate = try BlindIndexValue(
                of: value, column: column, using: index, normalise: normalise, context: context)
            if !result.contains(candidate) { result.append(candidate) }
        }
        return result
    }
}
