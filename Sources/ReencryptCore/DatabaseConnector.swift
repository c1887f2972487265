#if PostgresNIO
import Foundation
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
            let tlsConfiguration = try server.tlsConfiguration()
            let tls: PostgresClient.Configuration.TLS =
                switch server.tls {
                case .disable: .disable
                case .prefer: .prefer(tlsConfiguration)
                case .require, .verifyCA, .verifyFull: .require(tlsConfiguration)
                }
            var configuration =
                server.socketPath.map {
                    PostgresClient.Configuration(
                        unixSocketPath: $0, username: server.user, password: server.password,
                        database: server.database)
                }
                ?? PostgresClient.Configuration(
                    host: server.host, port: server.port, username: server.user, password: server.password,
                    database: server.database, tls: tls)
            configuration.options.maximumConnections = 64
            var logger = Logger(label: "crypto-reencrypt")
            logger.logLevel = .error
            try await probe(server, tlsConfiguration, displayName: location.displayName, logger: logger)
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
    /// `tlsConfiguration` is the pool's, read once (certificate and key files included).
    private static func probe(
        _ server: PostgresLocation, _ tlsConfiguration: TLSConfiguration, displayName: String, logger: Logger
    ) async throws {
        let tls: PostgresConnection.Configuration.TLS
        do {
            switch server.tls {
            case .disable: tls = .disable
            case .prefer: tls = .prefer(try NIOSSLContext(configuration: tlsConfiguration))
            case .require, .verifyCA, .verifyFull: tls = .require(try NIOSSLContext(configuration: tlsConfiguration))
            }
        } catch {
            // A root certificate file that is not PEM, say.
            throw ReencryptError.database("TLS cannot be set up: \(error)")
        }
        var configuration =
            server.socketPath.map {
                PostgresConnection.Configuration(
                    unixSocketPath: $0, username: server.user, password: server.password, database: server.database)
            }
            ?? PostgresConnection.Configuration(
                host: server.host, port: server.port, username: server.user, password: server.password,
                database: server.database, tls: tls)
        configuration.options.connectTimeout = .seconds(10)
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
            try await connection.close()
        } catch let error as PSQLError {
            var reason =
                error.serverInfo?[.message] ?? error.underlying.map { "\(String(describing: $0))" } ?? "\(error.code)"
            if error.underlying is NIOSSLError || error.underlying is NIOSSLExtraError
                || error.underlying is BoringSSLError
            {
                // BoringSSL's errors end with the path of the source file that raised them.
                reason = reason.replacingOccurrences(of: #" at /[^\])]*"#, with: "", options: .regularExpression)
                reason += " (" + server.tls.certificateHint + ")"
            }
            throw ReencryptError.database("cannot connect to \(displayName): \(reason)")
        } catch {
            throw ReencryptError.database("cannot connect to \(displayName): \(error)")
        }
    }
    #endif
}

#if PostgresNIO
extension PostgresLocation {
    /// The TLS settings for this server: what ``TLSMode`` checks, and the client certificate.
    /// - Throws: ``ReencryptError/database(_:)`` when the certificate or key cannot be read.
    func tlsConfiguration() throws(ReencryptError) -> TLSConfiguration {
        var configuration = tls.clientConfiguration
        guard let clientCertificate else { return configuration }
        do {
            configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(clientCertificate.certificatePath)
                .map { .certificate($0) }
        } catch {
            throw .database("client certificate \"\(clientCertificate.certificatePath)\" is not a PEM certificate")
        }
        do {
            // Always through a passphrase callback, so an encrypted key never prompts on a terminal.
            let password = Array((clientCertificate.keyPassword ?? "").utf8)
            configuration.privateKey = .privateKey(
                try NIOSSLPrivateKey(file: clientCertificate.keyPath, format: .pem) { $0(password) })
        } catch {
            throw .database(
                "private key \"\(clientCertificate.keyPath)\" cannot be read: not a PEM key, or encrypted "
                    + (clientCertificate.keyPassword == nil ? "(give sslpassword)" : "with another sslpassword"))
        }
        return configuration
    }
}

extension PostgresLocation.TLSMode {
    /// What NIOSSL checks of the server's certificate: nothing for `prefer` and `require` (as libpq),
    /// the chain for `verify-ca`, the chain and the host name for `verify-full`.
    var clientConfiguration: TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch self {
        case .disable, .prefer, .require: configuration.certificateVerification = .none
        case .verifyCA(let roots):
            configuration.certificateVerification = .noHostnameVerification
            configuration.trustRoots = roots.nioTrustRoots
        case .verifyFull(let roots):
            configuration.certificateVerification = .fullVerification
            configuration.trustRoots = roots.nioTrustRoots
        }
        return configuration
    }

    /// What to try when a TLS handshake failed.
    var certificateHint: String {
        switch self {
        case .verifyCA(.system), .verifyFull(.system):
            "the server's certificate must chain to the system's trust store; give its CA with sslrootcert=PATH"
        case .verifyCA(.file(let path)):
            "the server's certificate must chain to \(path)"
        case .verifyFull(.file(let path)):
            "the server's certificate must chain to \(path) and name the host"
        case .disable, .prefer, .require: "the TLS handshake failed"
        }
    }
}

extension PostgresLocation.TLSMode.TrustRoots {
    var nioTrustRoots: NIOSSLTrustRoots {
        switch self {
        case .system: .default
        case .file(let path): .file(path)
        }
    }
}
#endif
