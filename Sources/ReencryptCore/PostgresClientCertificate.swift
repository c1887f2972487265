import Foundation

/// The certificate and private key a PostgreSQL client presents over TLS (the server's `cert`
/// authentication, or `clientcert=verify-ca`/`verify-full` in `pg_hba.conf`), found as libpq finds
/// them: `sslcert`/`sslkey` (or `PGSSLCERT`/`PGSSLKEY`), else `~/.postgresql/postgresql.crt` and
/// `~/.postgresql/postgresql.key` when the certificate file exists. Both are PEM files; an
/// encrypted key is opened with `sslpassword`, or `PGSSLPASSWORD`: that variable is this tool's
/// (libpq has none and prompts on the terminal instead; a batch job has no terminal).
package struct PostgresClientCertificate: Sendable, Equatable {
    /// The PEM certificate (chain) file.
    package let certificatePath: String
    /// The PEM private key file.
    package let keyPath: String
    /// The passphrase of an encrypted key (`sslpassword`). Never printed.
    package let keyPassword: String?

    /// What a URL may say: `sslcert`, `sslkey` and `sslpassword`.
    package struct Settings: Sendable, Equatable {
        var certificate: String?
        var key: String?
        var password: String?

        /// Nothing given: the environment and libpq's default files decide.
        package init(certificate: String? = nil, key: String? = nil, password: String? = nil) {
            self.certificate = certificate
            self.key = key
            self.password = password
        }
    }

    package init(certificatePath: String, keyPath: String, keyPassword: String? = nil) {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        self.keyPassword = keyPassword
    }

    /// The certificate to present, or `nil` when none is configured and libpq's default file does
    /// not exist.
    ///
    /// Stricter than libpq in one way: a certificate file named with `sslcert` or `PGSSLCERT` that
    /// does not exist is an error (libpq silently connects without one, and the server's refusal
    /// then names no file).
    /// - Throws: ``ReencryptError/invalidDatabaseURL(_:)`` when a named certificate is missing, the
    ///   key is missing or not a regular file, or others may read it (libpq's rule: `0600` or less,
    ///   `0640` or less when root owns it).
    static func resolve(_ settings: Settings, environment: [String: String]) throws(ReencryptError) -> Self? {
        func setting(_ given: String?, _ variable: String) -> String? {
            (given ?? environment[variable]).flatMap { $0.isEmpty ? nil : $0 }
        }
        let home = environment["HOME"].map { $0 + "/.postgresql/" }
        let named = setting(settings.certificate, "PGSSLCERT")
        guard let certificate = named ?? home.map({ $0 + "postgresql.crt" }) else { return nil }
        guard FileManager.default.fileExists(atPath: certificate) else {
            if named == nil { return nil }
            throw .invalidDatabaseURL("client certificate file \"\(certificate)\" does not exist (sslcert)")
        }
        guard let key = setting(settings.key, "PGSSLKEY") ?? home.map({ $0 + "postgresql.key" }) else {
            throw .invalidDatabaseURL("certificate present, but no private key file (sslkey)")
        }
        try checkKeyFile(key)
        return Self(
            certificatePath: certificate, keyPath: key, keyPassword: setting(settings.password, "PGSSLPASSWORD"))
    }

    /// libpq's checks of the key file: a regular file nobody else may read.
    private static func checkKeyFile(_ path: String) throws(ReencryptError) {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw .invalidDatabaseURL("certificate present, but not private key file \"\(path)\" (sslkey)")
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw .invalidDatabaseURL("private key file \"\(path)\" is not a regular file (sslkey)")
        }
        // Root-owned keys may be group-readable (system-wide keys read through a group), others
        // not; whoever could read a file this closed must own it, so ownership is not checked.
        let mode = status.st_mode & 0o777
        if mode & (status.st_uid == 0 ? 0o037 : 0o077) != 0 {
            throw .invalidDatabaseURL(
                "private key file \"\(path)\" has group or world access; it must be u=rw (0600) or less if "
                    + "owned by you, or u=rw,g=r (0640) or less if owned by root (sslkey)")
        }
    }
}
