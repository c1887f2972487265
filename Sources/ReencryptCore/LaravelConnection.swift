import Foundation

/// The database connection a Laravel app makes with the default `config/database.php`, resolved
/// from its `.env` variables as Laravel resolves it, so `crypto-reencrypt` without `--database`
/// opens the database the app opens:
/// - the connection `DB_CONNECTION` names (default `sqlite`), with Laravel 11's settings for it
///   (`DB_HOST`, `DB_PORT`, `DB_DATABASE`, `DB_USERNAME`, `DB_PASSWORD` and their defaults; the
///   `pgsql` connection adds `sslmode=prefer`);
/// - then `DB_URL` (or Laravel 10's `DATABASE_URL`) read as Laravel's `ConfigurationUrlParser`
///   reads it: its scheme sets the driver (`postgres` and `postgresql` are `pgsql`), its parts
///   replace the connection's settings and its query parameters replace those; a part the URL
///   leaves out keeps the connection's setting (so `DB_PORT` and `DB_USERNAME` still apply).
///
/// A differential test compares this with Laravel's own parser and `PostgresConnector` on
/// generated `.env` files. Known differences: a URL value that is a JSON literal other than
/// `null`, `true`, `false` or an integer (`1.5`, `"x"`, `[1]`) is read by Laravel as that JSON
/// value; here it stays text.
package struct LaravelConnection: Sendable, Equatable {
    /// The driver: `sqlite`, `pgsql`, or another Laravel driver this tool does not read.
    package let driver: String
    /// The connection's settings that say where the database is and how to reach it (`database`,
    /// `host`, `port`, `username`, `password`, `sslmode`, `sslrootcert`, `sslcert`, `sslkey`);
    /// a setting that is absent is left to libpq's defaults, as the app leaves it.
    package let settings: [String: String]
    /// The variable the URL came from (`DB_URL` or `DATABASE_URL`), if any.
    package let urlVariable: String?
    /// Where the settings came from, for messages: the URL's variable, else `DB_CONNECTION=NAME`.
    package let source: String

    /// The settings that decide where a connection goes; others (`charset`, `prefix`) are not kept.
    static let locationSettings: Set<String> = [
        "database", "host", "port", "username", "password", "sslmode", "sslrootcert", "sslcert", "sslkey",
    ]

    /// Resolves the app's default connection from `variables` (the `.env` under the process
    /// environment); `folder` is the app's root, where Laravel's `database_path()` points.
    /// - Throws: ``ReencryptError/configuration(_:)`` for a connection the default config does not
    ///   have, or a URL Laravel cannot read either.
    package init(variables: [String: String], folder: String) throws(ReencryptError) {
        func value(_ name: String) -> String? { variables[name].flatMap { $0.isEmpty ? nil : $0 } }
        let name = value("DB_CONNECTION") ?? "sqlite"
        var settings: [String: String]
        switch name {
        case "sqlite":
            settings = ["driver": "sqlite", "database": value("DB_DATABASE") ?? folder + "/database/database.sqlite"]
        case "pgsql", "mysql", "mariadb", "sqlsrv":
            let (host, port) =
                switch name {
                case "pgsql": ("127.0.0.1", "5432")
                case "sqlsrv": ("localhost", "1433")
                default: ("127.0.0.1", "3306")
                }
            settings = [
                "driver": name, "host": value("DB_HOST") ?? host, "port": value("DB_PORT") ?? port,
                "database": value("DB_DATABASE") ?? "laravel", "username": value("DB_USERNAME") ?? "root",
                "password": value("DB_PASSWORD") ?? "",
            ]
            if name == "pgsql" { settings["sslmode"] = "prefer" }
        default:
            throw .configuration(
                "DB_CONNECTION=\(name): crypto-reencrypt reads the sqlite and pgsql connections of Laravel's "
                    + "default config/database.php; give --database")
        }
        urlVariable = ["DB_URL", "DATABASE_URL"].first { value($0) != nil }
        if let urlVariable, let url = value(urlVariable) {
            // Laravel's rewrite, so that `sqlite:///path` parses: the path then loses its first
            // character as every URL's does (`sqlite:////abs/path` is absolute).
            let text = url.replacing(/^(sqlite3?):\/\/\//, with: { "\($0.output.1)://null/" })
            guard let parts = PHPURL(parsing: text) else {
                // The URL's text (and any password in it) is not repeated.
                throw .configuration("\(urlVariable) is malformed (Laravel cannot read it either)")
            }
            let decode = { (part: String?) in part.flatMap { PHPURL.nativeValue(PHPURL.rawDecoded($0)) } }
            let primary: [String: String?] = [
                "driver": parts.scheme.map { Self.driverAliases[$0] ?? $0 },
                "database": parts.path.map(PHPURL.rawDecoded).flatMap {
                    $0.isEmpty || $0 == "/" ? nil : String($0.dropFirst())
                },
                "host": decode(parts.host), "port": parts.port.map(String.init),
                "username": decode(parts.user), "password": decode(parts.password),
            ]
            for case let (key, value?) in primary { settings[key] = value }
            // Query parameters replace even with `null` (which removes the setting).
            for (key, value) in PHPURL.queryParameters(parts.query ?? "") { settings[key] = PHPURL.nativeValue(value) }
        }
        driver = settings["driver"] ?? name
        source = urlVariable ?? "DB_CONNECTION=\(name)"
        self.settings = settings.filter { Self.locationSettings.contains($0.key) }
    }

    /// Laravel's `ConfigurationUrlParser` scheme aliases.
    static let driverAliases = [
        "mssql": "sqlsrv", "mysql2": "mysql", "postgres": "pgsql", "postgresql": "pgsql", "sqlite3": "sqlite",
    ]
}
