#if PostgresNIO
import Logging
import NIOSSL
import PostgresNIO
#endif

/// Opens the database a ``DatabaseLocation`` names for the length of a closure.
package enum DatabaseConnector {
    /// Runs `body` with the database at `location`, checked against `plan`; closes it afterwards.
    /// The driver logs errors only (`crypto-reencrypt` reports what matters itself).
    /// - Throws: ``ReencryptError`` (``ReencryptError/driverUnavailable(_:)`` when this build lacks the driver).
    package static func withDatabase<R: Sendable>(
        _ location: DatabaseLocation, plan: ReencryptionPlan,
        _ body: @escaping @Sendable (any ReencryptionDatabase) async throws -> R
    ) async throws -> R {
        switch location {
        case .sqlite(let path):
            #if GRDB
            let database = try SQLiteReencryptionDatabase(path: path)
            try await database.check(plan)
            return try await body(database)
            #else
            _ = path
            throw ReencryptError.driverUnavailable(
                "this build has no SQLite driver: build with --traits GRDB,PostgresNIO")
            #endif
        case .postgres(let server):
            #if PostgresNIO
            let tls: PostgresClient.Configuration.TLS
            switch server.tls {
            case .disable: tls = .disable
            case .prefer: tls = .prefer(.makeClientConfiguration())
            case .require: tls = .require(.makeClientConfiguration())
            }
            var configuration = PostgresClient.Configuration(
                host: server.host, port: server.port, username: server.user, password: server.password,
                database: server.database, tls: tls)
            configuration.options.maximumConnections = 64
            var logger = Logger(label: "crypto-reencrypt")
            logger.logLevel = .error
            try await probe(server, displayName: location.displayName, logger: logger)
            let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
            return try await withThrowingTaskGroup(of: R?.self) { group in
                group.addTask {
                    await client.run()
                    return nil
                }
                defer { group.cancelAll() }
                let database = try await PostgresReencryptionDatabase.connect(
                    client: client, displayName: location.displayName, plan: plan, logger: logger)
                return try await body(database)
            }
            #else
            _ = server
            throw ReencryptError.driverUnavailable(
                "this build has no PostgreSQL driver: build with --traits GRDB,PostgresNIO")
            #endif
        }
    }

    #if PostgresNIO
    /// One connection attempt, so that an unreachable server or a refused login is reported at once
    /// (the pool would keep retrying).
    private static func probe(_ server: PostgresLocation, displayName: String, logger: Logger) async throws {
        let tls: PostgresConnection.Configuration.TLS
        do {
            switch server.tls {
            case .disable: tls = .disable
            case .prefer: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
        } catch {
            throw ReencryptError.database("TLS cannot be set up: \(error)")
        }
        var configuration = PostgresConnection.Configuration(
            host: server.host, port: server.port, username: server.user, password: server.password,
            database: server.database, tls: tls)
        configuration.options.connectTimeout = .seconds(10)
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
            try await connection.close()
        } catch let error as PSQLError {
            let reason = error.serverInfo?[.message] ?? error.underlying.map { "\($0)" } ?? "\(error.code)"
            throw ReencryptError.database("cannot connect to \(displayName): \(reason)")
        } catch {
            throw ReencryptError.database("cannot connect to \(displayName): \(error)")
        }
    }
    #endif
}
