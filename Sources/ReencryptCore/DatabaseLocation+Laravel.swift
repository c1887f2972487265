import Foundation

extension DatabaseLocation {
    /// The database a Laravel app with the default `config/database.php` uses, from its `.env`
    /// variables (the process environment already merged in, as Laravel merges it), resolved as
    /// Laravel resolves it (``LaravelConnection``): the connection `DB_CONNECTION` names (default
    /// `sqlite`) with its `DB_*` settings, then `DB_URL` (or `DATABASE_URL`) over them.
    /// - `sqlite`: the `database` file; a relative path is taken from `folder`, where `artisan` runs
    ///   (default `database/database.sqlite`).
    /// - `pgsql`: the settings Laravel's `PostgresConnector` hands to libpq (`host`, `port`,
    ///   `database`, `sslmode` — `prefer` on the default `pgsql` connection —, `sslrootcert`,
    ///   `sslcert`, `sslkey`; file paths taken from `folder`) and its user and password. What the
    ///   app leaves out, libpq's environment decides, as for the app.
    ///
    /// - Parameters:
    ///   - variables: The app's variables (``LaravelCrypto/AppConfiguration/variables``).
    ///   - folder: The folder of the `.env` file: the app's root.
    ///   - environment: The process environment, for what libpq would read from it (`.pgpass`).
    ///   - socketFolders: Searched for a server's socket when no host is given.
    /// - Throws: ``ReencryptError/configuration(_:)`` for another driver (`mysql`, …), a custom
    ///   connection name or a setting that cannot be read; the message names the variable and never
    ///   repeats a URL's text.
    package init(
        laravel variables: [String: String], folder: String,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        socketFolders: [String] = defaultSocketFolders
    ) throws(ReencryptError) {
        let connection = try LaravelConnection(variables: variables, folder: folder)
        let source = connection.source, settings = connection.settings
        func file(_ path: String?) -> String? {
            guard let path, !path.isEmpty, !path.hasPrefix("/") else { return path }
            return folder + "/" + path
        }
        switch connection.driver {
        case "sqlite":
            guard let database = settings["database"], !database.isEmpty, database != ":memory:" else {
                throw .configuration("\(source): an SQLite database needs a file")
            }
            self = .sqlite(path: file(database) ?? database)
        case "pgsql":
            do {
                self = .postgres(
                    try Self.postgresServer(
                        // An empty password is none: libpq then looks in .pgpass.
                        user: settings["username"], password: settings["password"].flatMap { $0.isEmpty ? nil : $0 },
                        host: settings["host"],
                        port: settings["port"], database: settings["database"], sslmode: settings["sslmode"],
                        // `sslrootcert=system` names the trust store, not a file.
                        rootCertificate: settings["sslrootcert"] == "system" ? "system" : file(settings["sslrootcert"]),
                        clientCertificate: .init(certificate: file(settings["sslcert"]), key: file(settings["sslkey"])),
                        environment: environment, socketFolders: socketFolders))
            } catch {
                if case .invalidDatabaseURL(let reason) = error { throw .configuration("\(source): \(reason)") }
                throw error
            }
        case let driver:
            throw .configuration("\(source): a \(driver) database; crypto-reencrypt reads SQLite and PostgreSQL only")
        }
    }
}
