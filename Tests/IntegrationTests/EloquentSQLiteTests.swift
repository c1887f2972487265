#if Hummingbird && GRDB && PostgresNIO
import Foundation
import GRDB
import LaravelCrypto
import LaravelCryptoGRDB
import Testing

/// Encrypted columns through GRDB against real Eloquent 8.83 (`encrypted`, `encrypted:array`,
/// `encrypted:json` casts) on one SQLite file, both ways.
@Suite("Encrypted columns: GRDB and Eloquent on SQLite")
struct EloquentSQLiteTests {
    func withDatabase(_ body: (DatabaseQueue, String) throws -> Void) throws {
        let path = Servers.temporarySQLitePath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let queue = try DatabaseQueue(path: path)
        try queue.write(SecretRecord.createTable)
        try body(queue, path)
    }

    @Test func eloquentWritesSwiftReads() throws {
        guard Servers.eloquentIsUsable else { return }
        let key = try EncryptionKey.generate(for: .laravelAES256CBC)
        let crypt = try CipherConfiguration(cipher: .laravelAES256CBC, key: key.exportedString()).makeEncrypter()
        try withDatabase { queue, path in
            let echoed = try PlainRow.fromEloquent(
                Eloquent.run(
                    connection: Eloquent.connection(sqlite: path), table: "records", key: key,
                    write: PlainRow.samples.map(\.eloquentAttributes)))
            #expect(echoed == PlainRow.samples)
            let records = try queue.read { try SecretRecord.order(Column("id")).fetchAll($0) }
            #expect(try records.map { try $0.plain(with: crypt) } == PlainRow.samples)
            #expect(records[2].secret == nil && records[2].settings == nil, "NULL stays NULL")
        }
    }

    @Test func swiftWritesEloquentReads() throws {
        guard Servers.eloquentIsUsable else { return }
        let key = try EncryptionKey.generate(for: .laravelAES256CBC)
        let crypt = try CipherConfiguration(cipher: .laravelAES256CBC, key: key.exportedString()).makeEncrypter()
        try withDatabase { queue, path in
            try queue.write { db in
                for row in PlainRow.samples { try SecretRecord(row, with: crypt).insert(db) }
            }
            let read = try PlainRow.fromEloquent(
                Eloquent.run(connection: Eloquent.connection(sqlite: path), table: "records", key: key))
            #expect(read == PlainRow.samples)
            let stored = try queue.read {
                try String.fetchOne($0, sql: "SELECT typeof(secret) FROM records WHERE id = 1")
            }
            #expect(stored == "text")
        }
    }

    /// Rows Eloquent wrote under the old key open with the key ring and with a `MigrationEncrypter`;
    /// a row rewritten by Swift under the new key is read by Eloquent with only the new key.
    @Test func readsAcrossRotationAndMigration() throws {
        guard Servers.eloquentIsUsable else { return }
        let old = try EncryptionKey.generate(for: .laravelAES256CBC),
            new = try EncryptionKey.generate(for: .laravelAES256CBC)
        let ring = try CipherConfiguration(
            cipher: .laravelAES256CBC, key: new.exportedString(), previousKeys: [old.exportedString()]
        ).makeEncrypter()
        let migration = try MigrationEncrypter(
            writing: CipherConfiguration(cipher: .laravelAES256CBC, key: new.exportedString()),
            reading: [CipherConfiguration(cipher: .laravelAES256CBC, key: old.exportedString())])
        try withDatabase { queue, path in
            _ = try Eloquent.run(
                connection: Eloquent.connection(sqlite: path), table: "records", key: old,
                write: PlainRow.samples.map(\.eloquentAttributes))
            let records = try queue.read { try SecretRecord.order(Column("id")).fetchAll($0) }
            #expect(try records.map { try $0.plain(with: ring) } == PlainRow.samples)
            #expect(try records.map { try $0.plain(with: migration) } == PlainRow.samples)
            #expect(migration.needsReencryption(try #require(records[0].secret).ciphertext))
            try queue.write { db in
                for record in records { try SecretRecord(record.plain(with: migration), with: migration).update(db) }
            }
            let read = try PlainRow.fromEloquent(
                Eloquent.run(connection: Eloquent.connection(sqlite: path), table: "records", key: new))
            #expect(read == PlainRow.samples)
        }
    }

    /// Damaged rows: fetching still works (decryption is lazy), decrypting gives a typed error; bytes
    /// that are not UTF-8 make GRDB's fetch throw, never crash.
    @Test func damagedRowsGiveTypedErrors() throws {
        let crypt = try CipherConfiguration(
            cipher: .laravelAES256CBC, key: EncryptionKey.generate(for: .laravelAES256CBC).exportedString()
        ).makeEncrypter()
        try withDatabase { queue, _ in
            try queue.write { db in
                try db.execute(
                    sql: "INSERT INTO records (id, secret, settings) VALUES (1, 'not a payload', ?)",
                    arguments: [try crypt.encryptString("[1,2]")])
                try db.execute(sql: "INSERT INTO records (id, secret) VALUES (2, ?)", arguments: [Data([0xff, 0xfe])])
            }
            let first = try queue.read { try SecretRecord.fetchOne($0, key: 1) }
            let record = try #require(first)
            #expect(throws: DecryptionError.self) { try record.secret?.decrypt(with: crypt) }
            #expect(throws: DecryptionError.self) { try record.settings?.decrypt(with: crypt) }
            #expect(throws: (any Error).self) { try queue.read { try SecretRecord.fetchOne($0, key: 2) } }
        }
    }
}
#endif
