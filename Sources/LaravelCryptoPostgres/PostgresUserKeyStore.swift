#if PostgresNIO
public import LaravelCrypto
import Logging
import NIOCore
public import PostgresNIO

/// The per-user middleware's ``UserKeyStore`` over PostgreSQL: laravel-crypto's
/// `users.encryption_key` column (`bytea`).
///
/// The enrolment write is conditional (`… AND (encryption_key IS NULL OR length(encryption_key) = 0)`),
/// so a racing second enrolment never replaces the first key.
public struct PostgresUserKeyStore: UserKeyStore {
    /// The client (its `run()` must be going).
    public let client: PostgresClient
    /// The users table (`users`).
    public let table: String
    /// Its primary key column (`id`).
    public let idColumn: String
    /// The SQL type the user identifier is cast to, so the primary key's index is used (`bigint`;
    /// `uuid` or `text` for other keys).
    public let idType: String
    /// The wrapped-key column (`encryption_key`).
    public let keyColumn: String
    private let logger: Logger

    /// A store over `table`.`keyColumn`, rows found by `idColumn` (of SQL type `idType`).
    public init(
        client: PostgresClient, table: String = "users", idColumn: String = "id", idType: String = "bigint",
        keyColumn: String = "encryption_key", logger: Logger = Logger(label: "LaravelCryptoPostgres")
    ) {
        self.client = client
        self.table = table
        self.idColumn = idColumn
        self.idType = idType
        self.keyColumn = keyColumn
        self.logger = logger
    }

    /// The user's blob, or `nil` when the column is NULL or empty.
    /// - Throws: `PSQLError`.
    public func storedBlob(forUserID userID: String) async throws -> [UInt8]? {
        var binds = PostgresBindings()
        binds.append(userID)
        let sql = "SELECT \(quoted(keyColumn)) FROM \(quoted(table)) WHERE \(quoted(idColumn)) = $1::\(idType)"
        let rows = try await client.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        for try await blob in rows.decode(ByteBuffer?.self) {
            guard let blob, blob.readableBytes > 0 else { return nil }
            return Array(blob.readableBytesView)
        }
        return nil
    }

    /// Stores `blob` if the user has none yet.
    /// - Throws: `PSQLError`; ``UserKeyStoreError/unknownUser(_:)`` when no row has that id.
    public func storeNewBlob(_ blob: [UInt8], forUserID userID: String) async throws -> Bool {
        var binds = PostgresBindings()
        binds.append(ByteBuffer(bytes: blob))
        binds.append(userID)
        let key = quoted(keyColumn), id = quoted(idColumn)
        let update = """
            UPDATE \(quoted(table)) SET \(key) = $1 WHERE \(id) = $2::\(idType) \
            AND (\(key) IS NULL OR length(\(key)) = 0) RETURNING 1
            """
        for try await _ in try await client.query(PostgresQuery(unsafeSQL: update, binds: binds), logger: logger) {
            return true
        }
        var exists = PostgresBindings()
        exists.append(userID)
        let select = "SELECT 1 FROM \(quoted(table)) WHERE \(id) = $1::\(idType)"
        for try await _ in try await client.query(PostgresQuery(unsafeSQL: select, binds: exists), logger: logger) {
            return false
        }
        throw UserKeyStoreError.unknownUser(userID)
    }

    /// A double-quoted SQL identifier.
    private func quoted(_ identifier: String) -> String {
        "\"" + String(identifier.flatMap { $0 == "\"" ? "\"\"" : String($0) }) + "\""
    }
}
#endif
