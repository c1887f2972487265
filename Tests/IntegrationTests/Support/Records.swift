#if Hummingbird && GRDB && PostgresNIO
import Foundation
import GRDB
import LaravelCrypto

/// What the Eloquent model's `encrypted:array` attribute holds.
struct Settings: Codable, Equatable, Sendable {
    var theme: String
    var volume: Int
    var labels: [String]
}

/// One row as plain values: what Eloquent's casts return, and what Swift decrypts.
struct PlainRow: Codable, Equatable, Sendable {
    var id: Int64
    var secret: String?
    var settings: Settings?
    var profile: [String]?

    /// The rows both sides write: non-ASCII, `/`, quotes, an empty string, and a row of NULLs.
    static let samples: [PlainRow] = [
        PlainRow(
            id: 1, secret: "Zoë / 😀 \"quoted\" \\ back",
            settings: Settings(theme: "dark/blue", volume: 7, labels: ["ü", "</script>"]), profile: ["a", "ü/€"]),
        PlainRow(id: 2, secret: "", settings: Settings(theme: "", volume: -1, labels: []), profile: []),
        PlainRow(id: 3, secret: nil, settings: nil, profile: nil),
    ]

    /// The row as Eloquent's `write` input.
    var eloquentAttributes: [String: Any] {
        var row: [String: Any] = [
            "id": id, "secret": secret ?? NSNull(), "settings": NSNull(), "profile": profile ?? NSNull(),
        ]
        if let settings {
            row["settings"] = ["theme": settings.theme, "volume": settings.volume, "labels": settings.labels]
        }
        return row
    }

    /// Rows from the Eloquent peer's answer.
    static func fromEloquent(_ data: Data) throws -> [PlainRow] {
        struct Answer: Decodable { var rows: [PlainRow] }
        return try JSONDecoder().decode(Answer.self, from: data).rows
    }
}

/// The model as a Swift server declares it: one line per encrypted column.
struct SecretRecord: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "records"

    var id: Int64
    var secret: EncryptedString?
    var settings: EncryptedJSON<Settings>?
    var profile: EncryptedJSON<[String]>?

    init(id: Int64, secret: EncryptedString?, settings: EncryptedJSON<Settings>?, profile: EncryptedJSON<[String]>?) {
        self.id = id
        self.secret = secret
        self.settings = settings
        self.profile = profile
    }

    /// Encrypts `row` as the casts do.
    init(_ row: PlainRow, with crypt: some Encrypter) throws {
        id = row.id
        secret = try row.secret.map { try EncryptedString(sealing: $0, with: crypt) }
        settings = try row.settings.map { try EncryptedJSON(sealing: $0, with: crypt) }
        profile = try row.profile.map { try EncryptedJSON(sealing: $0, with: crypt) }
    }

    /// Decrypts every column.
    func plain(with crypt: some Encrypter) throws -> PlainRow {
        PlainRow(
            id: id, secret: try secret?.decrypt(with: crypt), settings: try settings?.decrypt(with: crypt),
            profile: try profile?.decrypt(with: crypt))
    }

    static func createTable(_ db: Database) throws {
        try db.execute(sql: "CREATE TABLE records (id INTEGER PRIMARY KEY, secret TEXT, settings TEXT, profile TEXT)")
    }
}
#endif
