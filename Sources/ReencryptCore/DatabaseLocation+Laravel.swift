import Foundation

extension DatabaseLocation {
    /// The database a Laravel app with the default `config/database.php` uses, from its `.env`
    /// variables (the process environment already merged in, as Laravel merges it):
    /// - `DB_URL` (or Laravel 10's `DATABASE_URL`) when set: `pgsql://`, `postgres://`,
    ///   `postgresql://` or `sqlite:` URLs, with the parameters Laravel passes on to libpq
    ///   (``libpqURL(fromLaravel:folder:)``);
    /// - else `DB_CONNECTION` (default `sqlite`): `sqlite` opens `DB_DATABASE` (default
    ///   `database/database.sqlite`; relative paths from `folder`, where `artisan` runs), `pgsql`
    ///   connects to `DB_HOST`, `DB_PORT`, `DB_DATABASE`, `DB_USERNAME` with `DB_PASSWORD`
    ///   (Laravel's defaults: 127.0.0.1, 5432, laravel, root) and `sslmode=prefer`, as Laravel does.
    ///
    /// - Parameters:
    ///   - variables: The app's variables (``LaravelCrypto/AppConfiguration/variables``).
    ///   - folder: The folder of the `.env` file: the app's root.
    ///   - environment: The process environment, for what libpq would read from it (`.pgpass`).
    /// - Throws: ``ReencryptError/configuration(_:)`` for another connection (`mysql`, a custom
    ///   name) or a setting that cannot be read; the message names the variable.
    package init(
        laravel variables: [String: String], folder: String,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ReencryptError) {
        func value(_ name: String) -> String? { variables[name].flatMap { $0.isEmpty ? nil : $0 } }
        if let name = ["DB_URL", "DATABASE_URL"].first(where: { value($0) != nil }), let url = value(name) {
            do {
                try self.init(parsing: try Self.libpqURL(fromLaravel: url, folder: folder), environment: environment)
            } catch {
                // The URL's text (and any password in it) is not repeated.
                if case .invalidDatabaseURL(let reason) = error { throw .configuration("\(name): \(reason)") }
                throw error
            }
            return
        }
        switch value("DB_CONNECTION") ?? "sqlite" {
        case "sqlite":
            let path = value("DB_DATABASE") ?? "database/database.sqlite"
            self = .sqlite(path: path.hasPrefix("/") ? path : folder + "/" + path)
        case "pgsql":
            let host = value("DB_HOST") ?? "127.0.0.1"
            guard let port = Int(value("DB_PORT") ?? "5432"), (1...65535).contains(port) else {
                throw .configuration("DB_PORT \"\(value("DB_PORT") ?? "")\" is not a port number")
            }
            let user = value("DB_USERNAME") ?? "root", database = value("DB_DATABASE") ?? "laravel"
            // Laravel's config/database.php sets sslmode to prefer.
            self = .postgres(
                try PostgresLocation(
                    host: host, port: port, user: user, database: database, password: value("DB_PASSWORD"),
                    environment: environment, tls: { .prefer }))
        case "mysql", "mariadb", "sqlsrv":
            throw .configuration(
                "DB_CONNECTION=\(value("DB_CONNECTION") ?? ""): crypto-reencrypt reads SQLite and PostgreSQL only")
        case let other:
            throw .configuration(
                "DB_CONNECTION=\(other): crypto-reencrypt reads the sqlite and pgsql connections of Laravel's "
                    + "default config/database.php; give --database")
        }
    }

    /// The URL parameters Laravel's `PostgresConnector` hands to libpq: the TLS settings it copies
    /// into the DSN, and `host`/`port`, which replace the URL's own.
    static let laravelPostgresParameters: Set<String> = ["sslmode", "sslrootcert", "sslcert", "sslkey", "host", "port"]
    /// Those that name a file.
    static let fileParameters: Set<String> = ["sslrootcert", "sslcert", "sslkey"]

    /// A Laravel database URL as this tool's `--database`, meaning what it means to the app:
    /// Laravel's scheme aliases mapped (`pgsql` is `postgres`); a relative SQLite path, certificate
    /// or key file taken from `folder` (the app's root, where `artisan` runs); the parameters
    /// Laravel does not pass to libpq (`charset`, `search_path`, `sslpassword`, …) dropped; and
    /// `sslmode=prefer`, the default `config/database.php`'s setting, when the URL names none (so
    /// `PGSSLMODE` is ignored, as it is by the app).
    package static func libpqURL(fromLaravel text: String, folder: String) throws(ReencryptError) -> String {
        guard let colon = text.firstIndex(of: ":") else {
            throw .invalidDatabaseURL("not a URL")
        }
        let scheme = text[..<colon].lowercased(), rest = text[text.index(after: colon)...]
        switch scheme {
        case "sqlite", "sqlite3":
            var path = String(rest)
            if path.hasPrefix("//") { path.removeFirst(2) }
            return "sqlite:" + (path.hasPrefix("/") || path.isEmpty ? path : folder + "/" + path)
        case "pgsql", "postgres", "postgresql":
            guard var components = URLComponents(string: "postgres:" + rest) else {
                throw .invalidDatabaseURL("cannot be read as a URL")
            }
            var kept = (components.queryItems ?? []).filter { laravelPostgresParameters.contains($0.name) }
            for index in kept.indices where fileParameters.contains(kept[index].name) {
                // `sslrootcert=system` names the trust store, not a file.
                guard let path = kept[index].value, !path.isEmpty, !path.hasPrefix("/"), path != "system" else {
                    continue
                }
                kept[index].value = folder + "/" + path
            }
            if !kept.contains(where: { $0.name == "sslmode" }) {
                kept.append(URLQueryItem(name: "sslmode", value: "prefer"))
            }
            components.queryItems = kept
            return components.string ?? ""
        default:
            throw .invalidDatabaseURL("a \(scheme) URL: crypto-reencrypt reads SQLite and PostgreSQL only")
        }
    }
}
