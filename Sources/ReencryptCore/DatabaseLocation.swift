import Foundation
internal import LaravelCrypto

/// Where `--database` points: `sqlite:PATH` or `postgres://USER@HOST:PORT/DATABASE`.
///
/// A PostgreSQL password is never taken from the command line's text into messages: it comes from
/// the URL (accepted, discouraged), `PGPASSWORD`, or the `.pgpass` file (`PGPASSFILE`, else
/// `~/.pgpass`), as libpq finds it. Host, port, user and database default to the `host` and
/// `port` parameters, `PGHOST`, `PGPORT`, `PGUSER` and `PGDATABASE`, then to 5432, `postgres` and
/// the user's name; a host that is a path is the folder of a Unix-domain socket
/// (`postgres:///app?host=/var/run/postgresql`), as in libpq. With no host at all, libpq's default
/// applies: the server's socket in `/var/run/postgresql` (Debian's and Ubuntu's) or `/tmp`
/// (PostgreSQL's own builds) when one is there for the port, else — where libpq would fail —
/// `localhost` over TCP. TLS follows
/// libpq's `sslmode` (default `prefer`, or `PGSSLMODE`) and `sslrootcert` (or `PGSSLROOTCERT`, else
/// `~/.postgresql/root.crt`; where libpq refuses a verifying mode without that file, the system's
/// trust store is used); a client certificate comes from `sslcert`/`sslkey`/`sslpassword` (or
/// `PGSSLCERT`/`PGSSLKEY`, else `~/.postgresql/postgresql.crt` and `.key`; the key's passphrase
/// may also come from `PGSSLPASSWORD`, which libpq lacks: it would prompt on the terminal).
package enum DatabaseLocation: Sendable, Equatable {
    /// A SQLite file.
    case sqlite(path: String)
    /// A PostgreSQL server.
    case postgres(PostgresLocation)

    /// libpq's default socket folders, Debian's first.
    package static let defaultSocketFolders = ["/var/run/postgresql", "/tmp"]

    /// Parses `text` with `environment` (the process environment) for the defaults, and
    /// `socketFolders` searched for a server's socket when no host is given.
    /// - Throws: ``ReencryptError/invalidDatabaseURL(_:)``.
    package init(
        parsing text: String, environment: [String: String] = ProcessInfo.processInfo.environment,
        socketFolders: [String] = defaultSocketFolders
    ) throws(ReencryptError) {
        if text.hasPrefix("sqlite:") {
            var path = String(text.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path.removeFirst(2) }
            guard !path.isEmpty else {
                throw .invalidDatabaseURL("sqlite: needs a path, e.g. sqlite:database/database.sqlite")
            }
            self = .sqlite(path: path)
            return
        }
        guard text.hasPrefix("postgres://") || text.hasPrefix("postgresql://"), let url = URLComponents(string: text)
        else {
            throw .invalidDatabaseURL(
                "expected sqlite:PATH or postgres://USER@HOST:PORT/DATABASE, got \"\(Self.redacted(text))\"")
        }
        var sslmode: String?, rootCertificate: String?
        var hostParameter: String?, portParameter: String?
        var clientCertificate = PostgresClientCertificate.Settings()
        for item in url.queryItems ?? [] {
            switch item.name {
            case "sslmode": sslmode = item.value ?? ""
            case "sslrootcert": rootCertificate = item.value ?? ""
            case "sslcert": clientCertificate.certificate = item.value ?? ""
            case "sslkey": clientCertificate.key = item.value ?? ""
            case "sslpassword": clientCertificate.password = item.value ?? ""
            case "host": hostParameter = item.value
            case "port": portParameter = item.value
            // Anything else would be ignored silently (a typo such as `sslmod=disable` included).
            default:
                throw .invalidDatabaseURL(
                    "unsupported parameter \"\(item.name)\" (only sslmode, sslrootcert, sslcert, sslkey, "
                        + "sslpassword, host and port are read)")
            }
        }
        let portText = (url.port.map(String.init) ?? portParameter).flatMap { $0.isEmpty ? nil : $0 }
        let path = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        self = .postgres(
            try Self.postgresServer(
                user: url.percentEncodedUser.flatMap { $0.removingPercentEncoding },
                password: url.percentEncodedPassword.flatMap { $0.removingPercentEncoding },
                host: url.percentEncodedHost.flatMap { $0.removingPercentEncoding }.flatMap { $0.isEmpty ? nil : $0 }
                    ?? hostParameter,
                port: portText, database: path.isEmpty ? nil : path, sslmode: sslmode,
                rootCertificate: rootCertificate, clientCertificate: clientCertificate, environment: environment,
                socketFolders: socketFolders))
    }

    /// A PostgreSQL server from what a URL (or a Laravel connection) gives, the rest as libpq
    /// finds it: `PGHOST`, else a server's socket in `socketFolders`, else `localhost`; `PGPORT`,
    /// else 5432; `PGUSER`, else `postgres`; `PGDATABASE`, else the user's name; `PGSSLMODE`, else
    /// `prefer`; `PGSSLROOTCERT`. Empty texts count as not given, except `sslmode` and `sslrootcert`.
    static func postgresServer(
        user: String?, password: String?, host: String?, port: String?, database: String?, sslmode: String?,
        rootCertificate: String?, clientCertificate: PostgresClientCertificate.Settings,
        environment: [String: String], socketFolders: [String]
    ) throws(ReencryptError) -> PostgresLocation {
        func given(_ text: String?) -> String? { text.flatMap { $0.isEmpty ? nil : $0 } }
        let user = given(user) ?? given(environment["PGUSER"]) ?? "postgres"
        let portText = given(port) ?? given(environment["PGPORT"])
        guard let port = portText.map({ Int($0) }) ?? 5432 else {
            throw .invalidDatabaseURL("port \"\(portText ?? "")\" is not a number")
        }
        guard (1...65535).contains(port) else { throw .invalidDatabaseURL("port \(port) is not between 1 and 65535") }
        var host =
            given(host) ?? given(environment["PGHOST"])
            ?? socketFolders.first { Self.hasSocket(in: $0, port: port) } ?? "localhost"
        // An IPv6 address is written in brackets in a URL (`[::1]`); the address is what is inside.
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        // Given but empty is libpq's error too, so these two are kept as given.
        let sslmode = sslmode ?? given(environment["PGSSLMODE"]) ?? "prefer"
        let rootCertificate = rootCertificate ?? given(environment["PGSSLROOTCERT"])
        return try PostgresLocation(
            host: host, port: port, user: user, database: given(database) ?? given(environment["PGDATABASE"]) ?? user,
            password: password, environment: environment, clientCertificate: clientCertificate
        ) { () throws(ReencryptError) in
            try PostgresLocation.TLSMode(sslmode: sslmode, rootCertificate: rootCertificate, environment: environment)
        }
    }

    /// Whether `folder` holds a PostgreSQL server's socket for `port` (`.s.PGSQL.PORT`).
    static func hasSocket(in folder: String, port: Int) -> Bool {
        var status = stat()
        return stat("\(folder)/.s.PGSQL.\(port)", &status) == 0 && status.st_mode & S_IFMT == S_IFSOCK
    }

    /// The location as messages show it: no password.
    package var displayName: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let location): location.description
        }
    }

    /// `text` with any password between `://user:` and `@`, and any `sslpassword`, replaced.
    static func redacted(_ text: String) -> String {
        text.replacingOccurrences(of: #"(://[^:/@]*):[^@/]*@"#, with: "$1:***@", options: .regularExpression)
            .replacingOccurrences(of: #"([?&]sslpassword=)[^&]*"#, with: "$1***", options: .regularExpression)
    }
}

/// A PostgreSQL server and the credentials for it.
package struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    /// Whether to use TLS and what to check of the server's certificate: libpq's `sslmode`, so a
    /// URL means here what it means to `psql` and to the Laravel app (PDO's pgsql driver is libpq).
    package enum TLSMode: Sendable, Equatable {
        /// No TLS (`disable`).
        case disable
        /// TLS when the server offers it, else a plain connection; the certificate is not checked
        /// (`allow`, `prefer`: libpq's default). Protects from a passive listener only.
        case prefer
        /// TLS or no connection; the certificate is not checked (`require` without a root certificate).
        case require
        /// TLS with a certificate that chains to `roots`; any host name (`verify-ca`, and `require`
        /// when a root certificate is given or `~/.postgresql/root.crt` exists, as in libpq).
        case verifyCA(roots: TrustRoots)
        /// TLS with a certificate that chains to `roots` and names the host (`verify-full`).
        case verifyFull(roots: TrustRoots)

        /// Whose certificates a verifying mode trusts.
        package enum TrustRoots: Sendable, Equatable {
            /// The system's trust store (`sslrootcert=system`, or no root certificate file at all).
            case system
            /// The PEM certificates in this file (`sslrootcert=PATH`, `PGSSLROOTCERT`, or
            /// `~/.postgresql/root.crt` when it exists).
            case file(String)
        }

        /// The mode `sslmode` names, with the root certificate from `sslrootcert`/`PGSSLROOTCERT`
        /// (`rootCertificate`) or libpq's default file in the home folder.
        /// - Throws: ``ReencryptError/invalidDatabaseURL(_:)`` for an unknown mode or a root
        ///   certificate file that does not exist.
        init(sslmode: String, rootCertificate: String?, environment: [String: String]) throws(ReencryptError) {
            let explicitRoots: TrustRoots? =
                switch rootCertificate {
                case nil: nil
                case "system": .system
                case let path?: .file(path)
                }
            // Read only by the modes that check a certificate, as in libpq.
            let checksCertificate = ["require", "verify-ca", "verify-full"].contains(sslmode)
            if checksCertificate, case .file(let path) = explicitRoots, !FileManager.default.fileExists(atPath: path) {
                throw .invalidDatabaseURL("root certificate file \"\(path)\" does not exist (sslrootcert)")
            }
            let defaultFile = environment["HOME"].map { $0 + "/.postgresql/root.crt" }
            let homeRoots = defaultFile.flatMap {
                FileManager.default.fileExists(atPath: $0) ? TrustRoots.file($0) : nil
            }
            switch sslmode {
            case "disable": self = .disable
            case "allow", "prefer": self = .prefer
            case "require": self = (explicitRoots ?? homeRoots).map { .verifyCA(roots: $0) } ?? .require
            case "verify-ca": self = .verifyCA(roots: explicitRoots ?? homeRoots ?? .system)
            case "verify-full": self = .verifyFull(roots: explicitRoots ?? homeRoots ?? .system)
            default:
                throw .invalidDatabaseURL(
                    "unknown sslmode \"\(sslmode)\" (disable, allow, prefer, require, verify-ca or verify-full)")
            }
        }
    }

    /// The server's host name or address.
    package let host: String
    /// The server's port (5432 unless the URL or `PGPORT` says otherwise).
    package let port: Int
    /// The role to connect as.
    package let user: String
    /// The database name.
    package let database: String
    /// Never printed.
    package let password: String?
    /// Whether to use TLS and what to check (`sslmode`, `sslrootcert`; `PGSSLMODE`, `PGSSLROOTCERT`).
    package let tls: TLSMode
    /// The certificate to present when the server asks for one over TLS (`nil`: none).
    package let clientCertificate: PostgresClientCertificate?

    /// The path of the server's Unix-domain socket when ``host`` is a folder (`/var/run/postgresql`).
    package var socketPath: String? { host.hasPrefix("/") ? "\(host)/.s.PGSQL.\(port)" : nil }

    /// The location as a URL, without the password: `postgres://USER@HOST:PORT/DATABASE`, or
    /// `postgres://USER@/DATABASE?host=FOLDER&port=PORT` for a Unix-domain socket.
    package var description: String {
        socketPath == nil
            ? "postgres://\(user)@\(host):\(port)/\(database)"
            : "postgres://\(user)@/\(database)?host=\(host)&port=\(port)"
    }

    /// The password of the first matching `hostname:port:database:username:password` line of the
    /// `.pgpass` file (`*` matches anything; `\:` and `\\` are escapes), as libpq reads it.
    static func pgpassPassword(host: String, port: Int, database: String, user: String, environment: [String: String])
        -> String?
    {
        let path = environment["PGPASSFILE"] ?? environment["HOME"].map { $0 + "/.pgpass" }
        // A regular file only (a FIFO there would block the run), as libpq also requires.
        guard let path, let contents = try? RegularFile.read(path) else { return nil }
        for line in String(decoding: contents, as: UTF8.self).split(whereSeparator: \.isNewline)
        where !line.hasPrefix("#") {
            let fields = pgpassFields(String(line))
            guard fields.count == 5 else { continue }
            let wanted = [host, String(port), database, user]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    private static func pgpassFields(_ line: String) -> [String] {
        var fields: [String] = [], current = "", escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":" && fields.count < 4 {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}

extension PostgresLocation {
    /// A server as libpq resolves it: the password is `password`, else `PGPASSWORD`, else the
    /// `.pgpass` file's; `tls()` gives the TLS mode, except for a host that is a folder (a
    /// Unix-domain socket), where TLS is not used (libpq ignores sslmode there) and `.pgpass`
    /// calls the host "localhost". A client certificate is looked for only when TLS may be used.
    init(
        host: String, port: Int, user: String, database: String, password: String?, environment: [String: String],
        clientCertificate: PostgresClientCertificate.Settings = .init(), tls: () throws(ReencryptError) -> TLSMode
    ) throws(ReencryptError) {
        let isSocket = host.hasPrefix("/")
        let tls = isSocket ? .disable : try tls()
        self.init(
            host: host, port: port, user: user, database: database,
            password: password ?? environment["PGPASSWORD"]
                ?? Self.pgpassPassword(
                    host: isSocket ? "localhost" : host, port: port, database: database, user: user,
                    environment: environment),
            tls: tls,
            clientCertificate: tls == .disable
                ? nil : try PostgresClientCertificate.resolve(clientCertificate, environment: environment))
    }
}
