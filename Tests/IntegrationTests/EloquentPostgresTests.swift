#if Hummingbird && GRDB && PostgresNIO
import Foundation
import LaravelCrypto
import LaravelCryptoPostgres
import Logging
import PostgresNIO
import Testing

/// Encrypted columns through PostgresNIO against real Eloquent 8.83 on a real PostgreSQL server
/// (the throw-away cluster `.ci/run` starts), both ways.
@Suite("Encrypted columns: PostgresNIO and Eloquent on PostgreSQL")
struct EloquentPostgresTests {
    static let logger = Logger(label: "EloquentPostgresTests")

    func createTable(_ client: PostgresClient) async throws -> String {
        let table = Servers.uniqueTable("records")
        try await client.query(
            "CREATE TABLE \(unescaped: table) (id bigint PRIMARY KEY, secret text, settings text, profile text)",
            logger: Self.logger)
        return table
    }

    func fetchRows(_ client: PostgresClient, table: String) async throws -> [SecretRecord] {
        let rows = try await client.query(
            "SELECT id, secret, settings, profile FROM \(unescaped: table) ORDER BY id", logger: Self.logger)
        var records: [SecretRecord] = []
        for try await (id, secret, settings, profile) in rows.decode(
            (Int64, EncryptedString?, EncryptedJSON<Settings>?, EncryptedJSON<[String]>?).self)
        {
            records.append(SecretRecord(id: id, secret: secret, settings: settings, profile: profile))
        }
        return records
    }

    func insert(_ record: SecretRecord, into table: String, _ client: PostgresClient) async throws {
        try await client.query(
            "INSERT INTO \(unescaped: table) (id, secret, settings, profile) VALUES (\(record.id), \(record.secret), \(record.settings), \(record.profile))",
            logger: Self.logger)
    }

    @Test func eloquentWritesSwiftReads() async throws {
        guard Servers.eloquentIsUsable, let configuration = Servers.postgres else { return }
        let key = try EncryptionKey.generate(for: .laravelAES256CBC)
        let crypt = try CipherConfiguration(cipher: .laravelAES256CBC, key: key.exportedString()).makeEncrypter()
        _ = try await Servers.withPostgres { client in
            let table = try await createTable(client)
            let echoed = try PlainRow.fromEloquent(
                Eloquent.run(
                    connection: Eloquent.connection(postgres: configuration), table: table, key: key,
                    write: PlainRow.samples.map(\.eloquentAttributes)))
            #expect(echoed == PlainRow.samples)
            let records = try await fetchRows(client, table: table)
            #expect(try records.map { try $0.plain(with: crypt) } == PlainRow.samples)
        }
    }

    @Test func swiftWritesEloquentReads() async throws {
        guard Servers.eloquentIsUsable, let configuration = Servers.postgres else { return }
        let key = try EncryptionKey.generate(for: .laravelAES256CBC)
        let crypt = try CipherConfiguration(cipher: .laravelAES256CBC, key: key.exportedString()).makeEncrypter()
        _ = try await Servers.withPostgres { client in
            let table = try await createTable(client)
            for row in PlainRow.samples { try await insert(SecretRecord(row, with: crypt), into: table, client) }
            let read = try PlainRow.fromEloquent(
                Eloquent.run(connection: Eloquent.connection(postgres: configuration), table: table, key: key))
            #expect(read == PlainRow.samples)
        }
    }

    /// Old-key rows open with the ring and a `MigrationEncrypter` (Laravel CBC → XChaCha20); rewritten
    /// under XChaCha20 they are current for the migration and still decrypt to the same values.
    @Test func readsAcrossRotationAndMigration() async throws {
        guard Servers.eloquentIsUsable, let configuration = Servers.postgres else { return }
        let old = try EncryptionKey.generate(for: .laravelAES256CBC),
            new = try EncryptionKey.generate(for: .xChaCha20Poly1305)
        let ring = try CipherConfiguration(
            cipher: .laravelAES256CBC, key: new.exportedString(), previousKeys: [old.exportedString()]
        ).makeEncrypter()
        let migration = try MigrationEncrypter(
            writing: CipherConfiguration(cipher: .xChaCha20Poly1305, key: new.exportedString()),
            reading: [CipherConfiguration(cipher: .laravelAES256CBC, key: old.exportedString())])
        _ = try await Servers.withPostgres { client in
            let table = try await createTable(client)
            _ = try Eloquent.run(
                connection: Eloquent.connection(postgres: configuration), table: table, key: old,
                write: PlainRow.samples.map(\.eloquentAttributes))
            let records = try await fetchRows(client, table: table)
            #expect(try records.map { try $0.plain(with: ring) } == PlainRow.samples)
            #expect(try records.map { try $0.plain(with: migration) } == PlainRow.samples)
            try await client.query("DELETE FROM \(unescaped: table)", logger: Self.logger)
            for record in records {
                try await insert(SecretRecord(record.plain(with: migration), with: migration), into: table, client)
            }
            let rewritten = try await fetchRows(client, table: table)
            #expect(rewritten.compactMap(\.secret).allSatisfy { !migration.needsReencryption($0.ciphertext) })
            #expect(try rewritten.map { try $0.plain(with: migration) } == PlainRow.samples)
        }
    }
}
#endif
