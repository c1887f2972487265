#if GRDB
public import GRDB
public import LaravelCrypto
import Foundation

/// The per-user middleware's ``UserKeyStore`` over a GRDB database: laravel-crypto's
/// `users.encryption_key` column (a `binary` column, BLOB in SQLite).
///
/// Reads cast the column to BLOB so a blob PDO stored as TEXT keeps every byte; the enrolment
/// write is conditional (`… AND (encryption_key IS NULL OR length(encryption_key) = 0)`), so a
/// racing second enrolment never replaces the first key.
public struct GRDBUserKeyStore: UserKeyStore {
    /// The database.
    public let writer: any DatabaseWriter
    /// The users table (`users`).
    public let table: String
    /// Its primary key column (`id`).
    public let idColumn: String
    /// The wrapped-key column (`encryption_key`).
    public let keyColumn: String

    /// A store over `table`.`keyColumn`, rows found by `idColumn`.
    public init(
        writer: any DatabaseWriter, table: String = "users", idColumn: String = "id",
        keyColumn: String = "encryption_key"
    ) {
        self.writer = writer
        self.table = table
        self.idColumn = idColumn
        self.keyColumn = keyColumn
    }

    /// The user's blob, or `nil` when the column is NULL or empty.
    /// - Throws: `DatabaseError`.
    public func storedBlob(forUserID userID: String) async throws -> [UInt8]? {
        let sql =
            "SELECT CAST(\(keyColumn.quotedDatabaseIdentifier) AS BLOB) FROM \(table.quotedDatabaseIdentifier)"
            + " WHERE \(idColumn.quotedDatabaseIdentifier) = ?"
        let data = try await writer.read { db in try Data.fetchOne(db, sql: sql, arguments: [userID]) }
        guard let data, !data.isEmpty else { return nil }
        return Array(data)
    }

    /// Stores `blob` if the user has none yet.
    /// - Throws: `DatabaseError`; ``UserKeyStoreError/unknownUser(_:)`` when no row has that id.
    public func storeNewBlob(_ blob: [UInt8], forUserID userID: String) async throws -> Bool {
        let key = keyColumn.quotedDatabaseIdentifier, table = table.quotedDatabaseIdentifier,
            id = idColumn.quotedDatabaseIdentifier
        return try await writer.write { db in
            try db.execute(
                sql: "UPDATE \(table) SET \(key) = ? WHERE \(id) = ? AND (\(key) IS NULL OR length(\(key)) = 0)",
                arguments: [Data(blob), userID])
            if db.changesCount == 1 { return true }
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM \(table) WHERE \(id) = ?", arguments: [userID]) != nil
            else {
                throw UserKeyStoreError.unknownUser(userID)
            }
            return false
        }
    }
}
#endif
