#if Hummingbird && GRDB && PostgresNIO
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LaravelCrypto
import LaravelCryptoGRDB
import LaravelCryptoHummingbird
import NIOCore

/// The request context of the test servers: Laravel cookies and per-user keys.
struct AppContext: LaravelCookiesRequestContext, PerUserEncryptionRequestContext {
    var coreContext: CoreRequestContextStorage
    var laravelCookies = LaravelRequestCookies()
    var encryptionUserID: String?
    var userKey: UserKey?

    init(source: Source) {
        coreContext = .init(source: source)
    }
}

/// Stands in for the app's authentication: the `X-User` header names the signed-in user.
struct HeaderAuthentication: RouterMiddleware {
    typealias Context = AppContext

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response)
        async throws -> Response
    {
        var context = context
        context.encryptionUserID = request.headers[HTTPField.Name("X-User")!]
        return try await next(request, context)
    }
}

/// Every key a handler saw, to check after the response that each was wiped (the test hook).
actor KeyLog {
    private(set) var keys: [UserKey] = []

    func record(_ key: UserKey) {
        keys.append(key)
    }
}

/// A ``UserKeyStore`` that counts the reads and writes it passes on to `base`.
actor CountingStore: UserKeyStore {
    let base: any UserKeyStore
    private(set) var reads = 0
    private(set) var writes = 0

    init(_ base: any UserKeyStore) {
        self.base = base
    }

    func storedBlob(forUserID userID: String) async throws -> [UInt8]? {
        reads += 1
        return try await base.storedBlob(forUserID: userID)
    }

    /// Reads and writes so far.
    var counts: (reads: Int, writes: Int) { (reads, writes) }

    func storeNewBlob(_ blob: [UInt8], forUserID userID: String) async throws -> Bool {
        writes += 1
        return try await base.storeNewBlob(blob, forUserID: userID)
    }
}

/// A SQLite users table (`id`, `encryption_key`) for the per-user middleware, through GRDB.
struct UsersDatabase {
    let queue: DatabaseQueue
    let path: String

    init(userIDs: [Int]) throws {
        path = Servers.temporarySQLitePath()
        queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, encryption_key BLOB)")
            for id in userIDs {
                try db.execute(sql: "INSERT INTO users (id, name) VALUES (?, ?)", arguments: [id, "user \(id)"])
            }
        }
    }

    func blob(of userID: Int) throws -> [UInt8]? {
        try queue.read { db in
            try Data.fetchOne(db, sql: "SELECT encryption_key FROM users WHERE id = ?", arguments: [userID])
        }.map(Array.init)
    }

    func setBlob(_ blob: [UInt8], of userID: Int) throws {
        try queue.write { db in
            try db.execute(sql: "UPDATE users SET encryption_key = ? WHERE id = ?", arguments: [Data(blob), userID])
        }
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

extension TestResponse {
    /// The body as text.
    var text: String { String(buffer: body) }

    /// The `Set-Cookie` line of cookie `name`, if any.
    func setCookie(_ name: String) -> String? {
        headers[values: .setCookie].first { $0.hasPrefix(name + "=") }
    }

    /// The value of cookie `name` in its `Set-Cookie` (still percent-encoded).
    func setCookieValue(_ name: String) -> String? {
        guard let line = setCookie(name) else { return nil }
        return String(line.dropFirst(name.count + 1).prefix { $0 != ";" })
    }
}

extension HTTPFields {
    /// Headers with a `Cookie` line built from `cookies` (values sent as they are) and more fields.
    static func with(cookies: [(String, String)] = [], _ fields: [(String, String)] = []) -> HTTPFields {
        var headers = HTTPFields()
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.0)=\($0.1)" }.joined(separator: "; ") }
        for (name, value) in fields { headers[HTTPField.Name(name)!] = value }
        return headers
    }
}
#endif
