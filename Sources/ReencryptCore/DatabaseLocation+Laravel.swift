import Foundation

extension DatabaseLocation {
    /// The database a Laravel app with the default `config/database.php` uses, from its `.env`
    /// variables (the process environment already merged in, as Laravel merges it):
    /// - `DB_URL` (or Laravel 10's `DATABASE_URL`) when set: `pgsql://`, `postgres://`,
    ///   `postgresql://` or `sqlite:` URLs, keeping only the parameters libpq would read;
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

    /// A Laravel database URL as this tool's `--database`: Laravel's scheme aliases mapped
    /// (`pgsql` is `postgres`), a relative SQLite path taken from `folder`, and the parameters libpq
    /// would not read (`charset`, `search_path`, …) dropped.
    static func libpqURL(fromLaravel text: String, folder: String) throws(ReencryptError) -> String {
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
            let read: Set<String> = ["sslmode", "sslrootcert", "host", "port"]
            let kept = (components.queryItems ?? []).filter { read.contains($0.name) }
            components.queryItems = kept.isEmpty ? nil : kept
            return components.string ?? ""
        default:
            throw .invalidDatabaseURL("a \(scheme) URL: crypto-reencrypt reads SQLite and PostgreSQL only")
        }
    }
}
