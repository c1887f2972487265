#if Hummingbird && GRDB && PostgresNIO
import Foundation
import LaravelCryptoTestSupport
import ReencryptCore
import Testing

/// `crypto-reencrypt` without `--database` must open the database the Laravel app opens. Generated
/// `.env` variable sets (`DB_CONNECTION`, the `DB_*` settings, `DB_URL`/`DATABASE_URL` in the forms
/// operators write and the ones they get wrong) go through Laravel's own `ConfigurationUrlParser`
/// and `PostgresConnector` (`Fixtures/php/database-config.php`, Debian's php-illuminate 8.83), and
/// through ``LaravelConnection``; the driver, the SQLite file, and every libpq setting of the DSN
/// with the user and password must agree.
@Suite("crypto-reencrypt: Laravel's database settings, against Laravel")
struct LaravelConnectionInteropTests {
    static let script = Repository.root.appendingPathComponent("Fixtures/php/database-config.php").path

    static func randomVariableSets() -> [[String: String]] {
        var random = SplitMix64(seed: 0x6462_5f75_726c)
        func maybe(_ values: [String], _ chance: Double = 0.5) -> String? {
            Double.random(in: 0..<1, using: &random) < chance ? values.randomElement(using: &random)! : nil
        }
        func postgresURL() -> String {
            let scheme = ["pgsql", "postgres", "postgresql"].randomElement(using: &random)!
            var url = scheme + "://"
            if let user = maybe(["ops", "a%40b", "u%3Ax", "", "null", "123", "true", "x+y"], 0.7) {
                url +=
                    user
                    + (maybe(["", "secret", "p%40ss", "p:q", "a+b", "%zz", "false", "007"], 0.7).map { ":" + $0 } ?? "")
                url += "@"
            }
            url += ["db", "10.0.0.5", "db.internal", "h%20x", "localhost", "null", "%2Fvar%2Frun%2Fpostgresql"]
                .randomElement(using: &random)!
            url += maybe(["5433", "05432", "", "65535", "6432"], 0.4).map { ":" + $0 } ?? ""
            url += maybe(["/", "/app", "/d%20b", "/a/b", "/null", "/123", "/x+y"], 0.8) ?? ""
            let parameters = [
                [
                    "sslmode=require", "sslmode=verify-full", "sslmode=disable", "sslmode=null", "sslmode=false",
                    "sslmode=",
                ],
                ["sslrootcert=ca.pem", "sslrootcert=%2Fetc%2Fca.pem", "sslrootcert=system", "sslrootcert=a+b.pem"],
                ["sslcert=storage/c.crt", "sslcert=/etc/c.crt", "sslcert=null"],
                ["sslkey=storage/c.key", "sslkey=k%2B1"],
                ["host=%2Fvar%2Frun%2Fpostgresql", "host=db2", "host="], ["port=6000", "port=x"],
                ["database=other", "database=null"], ["username=u2"], ["password=p2", "password=null"],
                ["charset=utf8", "search_path=x", "application_name=a.b", "ssl.mode=x", "a[]=1", "sslpassword=k"],
            ].compactMap { maybe($0, 0.25) }.shuffled(using: &random)
            if !parameters.isEmpty { url += "?" + parameters.joined(separator: "&") }
            return url + (maybe(["#f", "#f?sslmode=disable"], 0.05) ?? "")
        }
        func url() -> String {
            switch Int.random(in: 0..<10, using: &random) {
            case 0:
                return [
                    "sqlite:///database/a.sqlite", "sqlite:////var/db/a.sqlite", "sqlite3:///x.sqlite",
                    "sqlite://null/x.sqlite", "sqlite:database/x.sqlite", "sqlite:///", "sqlite:////",
                ]
                .randomElement(using: &random)!
            case 1:
                return [
                    "mysql://root:pw@db/app", "mariadb://db/app", "sqlsrv://db/app", "mssql://db/app",
                    "PGSQL://db/app", "pgsql:///app", "pgsql://u@/app", "pgsql://db:99999/app", "pgsql://db:x/app",
                    "/var/db/a.sqlite",
                ]
                .randomElement(using: &random)!
            default:
                return postgresURL()
            }
        }
        var sets: [[String: String]] = []
        for _ in 0..<1500 {
            var variables: [String: String] = [:]
            variables["DB_CONNECTION"] = maybe(
                ["sqlite", "pgsql", "pgsql", "mysql", "mariadb", "sqlsrv", "tenant"], 0.7)
            variables["DB_HOST"] = maybe(["db.local", "/var/run/postgresql", "127.0.0.2"])
            variables["DB_PORT"] = maybe(["5432", "6432", "x"], 0.3)
            variables["DB_DATABASE"] = maybe(["shop", "storage/app.sqlite", "/var/db/app.sqlite"])
            variables["DB_USERNAME"] = maybe(["shop", "deploy"])
            variables["DB_PASSWORD"] = maybe(["s3cret", "p@ss"])
            switch Int.random(in: 0..<10, using: &random) {
            case 0..<6: variables["DB_URL"] = url()
            case 6: variables["DATABASE_URL"] = url()
            case 7:
                variables["DB_URL"] = url()
                variables["DATABASE_URL"] = url()
            default: break
            }
            sets.append(variables)
        }
        return sets
    }

    /// The libpq settings of a `pgsql:` DSN as Laravel writes it (`key=value` joined by `;`, the
    /// database name quoted).
    static func dsnSettings(_ dsn: String) -> [String: String] {
        var settings: [String: String] = [:]
        for pair in dsn.dropFirst("pgsql:".count).split(separator: ";", omittingEmptySubsequences: false) {
            guard let equals = pair.firstIndex(of: "=") else { continue }
            var value = String(pair[pair.index(after: equals)...])
            let key = String(pair[..<equals])
            if key == "dbname", value.hasPrefix("'"), value.hasSuffix("'"), value.count >= 2 {
                value = String(value.dropFirst().dropLast())
            }
            settings[key == "dbname" ? "database" : key] = value
        }
        return settings
    }

    @Test func generatedEnvFilesResolveAsLaravelResolvesThem() throws {
        guard peerIsUsable(.php, requirement: "PHP") else { return }
        let sets = Self.randomVariableSets()
        let result = try ProcessRunner.run(
            command: "php", [Self.script], input: try JSONSerialization.data(withJSONObject: sets))
        let answers = try #require(
            try JSONSerialization.jsonObject(with: result.output) as? [[String: Any]],
            "database-config.php failed: \(String(decoding: result.errors, as: UTF8.self))")
        try #require(answers.count == sets.count)
        var outcomes: [String: Int] = [:]
        for (variables, answer) in zip(sets, answers) {
            let ours = Result { () throws(ReencryptError) in
                try LaravelConnection(variables: variables, folder: "/srv/app")
            }
            let context = "\(variables)"
            if answer["error"] != nil {
                outcomes["error", default: 0] += 1
                #expect(throws: ReencryptError.self, "Laravel cannot read \(context)") { try ours.get() }
                continue
            }
            guard case .success(let connection) = ours else {
                Issue.record("Laravel reads \(context) as \(answer); we refused it: \(ours)")
                continue
            }
            let driver = answer["driver"] as? String ?? ""
            outcomes[driver, default: 0] += 1
            #expect(connection.driver == driver, "driver of \(context)")
            switch driver {
            case "sqlite":
                #expect(connection.settings["database"] == answer["database"] as? String, "the file of \(context)")
            case "pgsql":
                let dsn = Self.dsnSettings(answer["dsn"] as? String ?? "")
                for key in ["host", "port", "sslmode", "sslrootcert", "sslcert", "sslkey"] {
                    #expect(connection.settings[key] == dsn[key], "\(key) of \(context): DSN \(answer["dsn"] ?? "")")
                }
                #expect((connection.settings["database"] ?? "") == dsn["database"], "database of \(context)")
                #expect(connection.settings["username"] == answer["username"] as? String, "user of \(context)")
                #expect(connection.settings["password"] == answer["password"] as? String, "password of \(context)")
            default:
                break
            }
        }
        // The generator must reach every kind of answer, or the comparison proves little.
        #expect(outcomes["pgsql", default: 0] > 500 && outcomes["sqlite", default: 0] > 100, "\(outcomes)")
        #expect(outcomes["error", default: 0] > 50 && outcomes.count >= 4, "\(outcomes)")
    }
}
#endif
