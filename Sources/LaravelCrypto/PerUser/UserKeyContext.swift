/// The user key of the current request or job (laravel-crypto's scoped `UserEncryptionContext`,
/// spec §7.10), carried in a task-local value.
///
/// ```swift
/// try await UserKeyContext.withUserKey(key) {
///     let ssn = try UserKeyContext.requireCurrent().makeEncrypter().decryptString(row.ssn)
///     …
/// }   // the key is wiped here, whether the operation returned or threw
/// ```
///
/// The key's bytes are zeroed when the scope ends. Copies of a ``UserKey`` share its bytes, so
/// every copy is wiped with it and throws ``UserKeyError/keyWiped`` afterwards: do not hand the key
/// to work that outlives the scope (an unstructured `Task` or a detached one).
public enum UserKeyContext {
    /// The key in scope, or `nil` outside `withUserKey(_:operation:)`.
    @TaskLocal public static var current: UserKey?

    /// The key in scope.
    /// - Throws: ``UserKeyError/missingContext`` outside a scope.
    public static func requireCurrent() throws(UserKeyError) -> UserKey {
        guard let current else { throw .missingContext }
        return current
    }

    /// Runs `operation` with `key` as ``current``, then wipes the key.
    public static func withUserKey<R>(_ key: UserKey, operation: () async throws -> R) async rethrows -> R {
        defer { key.storage.wipe() }
        return try await $current.withValue(key, operation: operation)
    }

    /// Runs synchronous `operation` with `key` as ``current``, then wipes the key.
    public static func withUserKey<R>(_ key: UserKey, operation: () throws -> R) rethrows -> R {
        defer { key.storage.wipe() }
        return try $current.withValue(key, operation: operation)
    }
}
