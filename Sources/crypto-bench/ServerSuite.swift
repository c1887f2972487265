#if Hummingbird && GRDB
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import LaravelCrypto
import LaravelCryptoGRDB
import LaravelCryptoHummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// `crypto-bench --suite server` (built with `--traits Hummingbird,GRDB`): what the server
/// integrations add to a request and to a table read, each beside the same work without them,
/// measured in interleaved batches of the same run.
struct ServerSuite {
    /// One measured comparison: `ours` and the workloads it is held to, in nanoseconds per unit.
    struct Line {
        let name: String
        let ours: Stats
        let reference: Stats
        /// What the target compares: `ours - reference` (a cost in ns) or `ours / reference` (a ratio).
        let kind: Kind
        let target: Double
        var detail: String

        enum Kind { case cost, ratio }

        var measured: Double { kind == .cost ? ours.median - reference.median : ours.median / reference.median }
        var meetsTarget: Bool { measured <= target }
    }

    let batches: Int
    let budget: Double
    let wrkSeconds: Int
    let rows: Int

    func run() async throws -> [Line] {
        var lines: [Line] = []
        CryptoBench.progress("server: per-user middleware in process")
        lines.append(try await middlewareInProcess())
        CryptoBench.progress("server: cookie middleware in process")
        lines.append(try await cookieMiddlewareInProcess())
        CryptoBench.progress("server: per-user middleware over HTTP (wrk)")
        if let line = try await middlewareOverHTTP() { lines.append(line) }
        CryptoBench.progress("server: SQLite read of \(rows) rows")
        lines.append(try sqliteRead())
        CryptoBench.progress(nil)
        return lines
    }

    // MARK: The per-user middleware

    /// A key the benchmark requests carry in `X-Encryption-Token`.
    private static let token: String = (try? UserKey.generate().token) ?? ""

    /// The same router with and without ``PerUserEncryptionMiddleware``: a signed-in user (fixed
    /// id), a handler that answers `ok`.
    static func router<Context: BenchUserContext>(_: Context.Type, perUser: Bool) throws -> Router<Context> {
        let router = Router(context: Context.self)
        router.add(middleware: SignedInUser<Context>())
        if perUser {
            let appKey = "base64:" + Data((0..<32).map { UInt8($0) }).base64EncodedString()
            let crypt = try CipherConfiguration(cipher: .xChaCha20Poly1305, key: appKey).makeEncrypter()
            router.add(
                middleware: try PerUserEncryptionMiddleware(
                    vault: UserKeyVault(appKey: appKey), appEncrypter: crypt, store: NoBlobs()))
        }
        router.get("/") { _, context -> String in
            if perUser && context.userKey == nil { throw HTTPError(.unauthorized) }
            return "ok"
        }
        return router
    }

    /// The responders called directly: the middleware's own cost, without sockets or HTTP parsing.
    private func middlewareInProcess() async throws -> Line {
        let with = try Self.router(InProcessContext.self, perUser: true).buildResponder()
        let without = try Self.router(InProcessContext.self, perUser: false).buildResponder()
        var head = HTTPRequest(method: .get, scheme: "http", authority: "localhost", path: "/")
        guard let tokenField = HTTPField.Name("X-Encryption-Token") else {
            throw BenchFailure("X-Encryption-Token is not a field name")
        }
        head.headerFields[tokenField] = Self.token
        let source = InProcessSource(logger: Logger(label: "crypto-bench"))
        let request = Request(head: head, body: RequestBody(buffer: ByteBuffer()))
        let check = try await with.respond(to: request, context: InProcessContext(source: source))
        guard check.status == .ok else {
            throw BenchFailure("the per-user middleware did not find the header token")
        }
        let stats = try await Self.interleave(
            batches: batches, budget: budget,
            [
                { _ = try await with.respond(to: request, context: InProcessContext(source: source)) },
                { _ = try await without.respond(to: request, context: InProcessContext(source: source)) },
            ])
        return Line(
            name: "Per-user middleware, header token, in process (µs per request)", ours: stats[0], reference: stats[1],
            kind: .cost, target: 10_000,
            detail: "router responder with the middleware vs without; cost = difference")
    }

    /// Two live servers on loopback, driven in turn by `wrk` (one thread, 16 connections).
    private func middlewareOverHTTP() async throws -> Line? {
        guard let wrk = Self.executable("wrk") else {
            CryptoBench.progress(nil)
            FileHandle.standardError.write(
                Data("crypto-bench: wrk is not installed; the HTTP line is left out (apt-get install wrk)\n".utf8))
            return nil
        }
        var logger = Logger(label: "crypto-bench")
        logger.logLevel = .error
        return try await withThrowingTaskGroup(of: Void.self) { group in
            defer { group.cancelAll() }
            var ports: [Int] = []
            var servers: [ServiceGroup] = []
            for perUser in [true, false] {
                let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
                let app = Application(
                    router: try Self.router(BasicUserContext.self, perUser: perUser),
                    configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                    onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }, logger: logger)
                let server = ServiceGroup(
                    configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
                servers.append(server)
                group.addTask { try await server.run() }
                var iterator = stream.makeAsyncIterator()
                guard let port = await iterator.next() else { throw BenchFailure("a benchmark server did not start") }
                ports.append(port)
            }
            var with: [Double] = [], without: [Double] = []
            for _ in 0..<max(3, batches / 3) {
                with.append(try Self.wrkRequestsPerSecond(wrk, port: ports[0], seconds: wrkSeconds))
                without.append(try Self.wrkRequestsPerSecond(wrk, port: ports[1], seconds: wrkSeconds))
            }
            for server in servers { await server.triggerGracefulShutdown() }
            try await group.waitForAll()
            let withStats = Stats(samples: with.map { 1e9 / $0 }),
                withoutStats = Stats(samples: without.map { 1e9 / $0 })
            return Line(
                name: "Per-user middleware, header token, over HTTP (µs per request)", ours: withStats,
                reference: withoutStats,
                kind: .cost, target: 10_000,
                detail: String(
                    format:
                        "wrk -t1 -c16 on loopback: %.0f req/s with, %.0f req/s without (medians of %d runs of %d s "
                        + "each)",
                    1e9 / withStats.median, 1e9 / withoutStats.median, with.count, wrkSeconds))
        }
    }

    private static func wrkRequestsPerSecond(_ wrk: String, port: Int, seconds: Int) throws -> Double {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: wrk)
        process.arguments = [
            "-t1", "-c16", "-d\(seconds)s", "-H", "X-Encryption-Token: \(token)", "http://127.0.0.1:\(port)/",
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Requests/sec:") }),
            let value = Double(line.dropFirst("Requests/sec:".count).trimmingCharacters(in: .whitespaces)), value > 0,
            !text.contains("Non-2xx")
        else { throw BenchFailure("wrk gave no usable figure:\n\(text)") }
        return value
    }

    private static func executable(_ name: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return paths.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    // MARK: SQLite

    /// `rows` rows with one 64-byte text, stored plain and as Eloquent's `encrypted` cast (Laravel
    /// AES-256-CBC): reading and decrypting the encrypted column vs reading the plain column plus
    /// decrypting the same values from memory.
    private func sqliteRead() throws -> Line {
        let appKey = "base64:" + Data((0..<32).map { UInt8($0 &* 3) }).base64EncodedString()
        let crypt = try Cipher.laravelAES256CBC.makeEncrypter(key: appKey)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "crypto-bench-\(UUID().uuidString).sqlite"
        ).path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let queue = try DatabaseQueue(path: path)
        let text = String(repeating: "0123456789abcdef", count: 4)
        var ciphertexts: [EncryptedString] = []
        try queue.write { db in
            try db.execute(
                sql: "CREATE TABLE notes (id INTEGER PRIMARY KEY, plain TEXT NOT NULL, secret TEXT NOT NULL)")
            for id in 0..<rows {
                let secret = try EncryptedString(sealing: text, with: crypt)
                ciphertexts.append(secret)
                try db.execute(sql: "INSERT INTO notes VALUES (?, ?, ?)", arguments: [id, text, secret])
            }
        }
        let readPlain = {
            let notes = try queue.read { try PlainNote.fetchAll($0, sql: "SELECT id, plain AS body FROM notes") }
            guard notes.count == rows else { throw BenchFailure("read \(notes.count) rows") }
        }
        let readEncrypted = {
            let notes = try queue.read { try SecretNote.fetchAll($0, sql: "SELECT id, secret AS body FROM notes") }
            let bodies = try notes.map { try $0.body.decrypt(with: crypt) }
            guard bodies.count == rows, bodies.last == text else {
                throw BenchFailure("decrypted \(bodies.count) rows")
            }
        }
        let decryptAlone = {
            for secret in ciphertexts { _ = try secret.decrypt(with: crypt) }
        }
        let stats = try Self.interleave(batches: batches, budget: budget * 3, [readEncrypted, readPlain, decryptAlone])
        let reference = Stats(median: stats[1].median + stats[2].median, p90: stats[1].p90 + stats[2].p90)
        return Line(
            name: "SQLite: read \(rows) rows and decrypt one column (ms per read)", ours: stats[0],
            reference: reference,
            kind: .ratio, target: 1.5,
            detail: String(
                format:
                    "plain read %.2f ms + decrypt alone %.2f ms (Laravel AES-256-CBC, 64-byte values, GRDB Codable "
                    + "records)",
                stats[1].median / 1e6, stats[2].median / 1e6))
    }

    // MARK: Measuring

    /// Per-call nanoseconds of each workload, timed in interleaved batches (a, b, c, a, b, c, …).
    static func interleave(batches: Int, budget: Double, _ workloads: [() async throws -> Void]) async throws -> [Stats]
    {
        var calls: [Int] = []
        for workload in workloads {
            var count = 0
            let start = Sampler.now()
            repeat {
                try await workload()
                count += 1
            } while Sampler.now() - start < 20e6 && count < 1_000_000
            let estimate = (Sampler.now() - start) / Double(count)
            calls.append(max(1, Int(budget * 1e9 / Double(workloads.count * batches) / estimate)))
        }
        var samples = Array(repeating: [Double](), count: workloads.count)
        for _ in 0..<batches {
            for (index, workload) in workloads.enumerated() {
                let start = Sampler.now()
                for _ in 0..<calls[index] { try await workload() }
                samples[index].append((Sampler.now() - start) / Double(calls[index]))
            }
        }
        return samples.map(Stats.init(samples:))
    }

    /// The synchronous form, for workloads that do not suspend.
    static func interleave(batches: Int, budget: Double, _ workloads: [() throws -> Void]) throws -> [Stats] {
        var calls: [Int] = []
        for workload in workloads {
            let estimate = try Sampler.estimate(workload)
            calls.append(max(1, Int(budget * 1e9 / Double(workloads.count * batches) / estimate)))
        }
        var samples = Array(repeating: [Double](), count: workloads.count)
        for _ in 0..<batches {
            for (index, workload) in workloads.enumerated() {
                let start = Sampler.now()
                for _ in 0..<calls[index] { try workload() }
                samples[index].append((Sampler.now() - start) / Double(calls[index]))
            }
        }
        return samples.map(Stats.init(samples:))
    }

    // MARK: Report

    static func markdown(_ lines: [Line], machine: Machine) -> String {
        var out = "# crypto-bench --suite server\n\n"
        out += "Machine: \(machine.summary).\n\n"
        out += "| Measurement | ours | without it | measured | target |\n|---|---:|---:|---:|---:|\n"
        for line in lines {
            let scale = line.kind == .ratio ? 1e6 : 1e3
            let unit = line.kind == .ratio ? "ms" : "µs"
            let measured =
                line.kind == .cost
                ? String(format: "+%.2f µs", line.measured / 1e3) : String(format: "%.2f×", line.measured)
            let target =
                line.kind == .cost
                ? String(format: "≤ %.0f µs", line.target / 1e3) : String(format: "≤ %.1f×", line.target)
            out += String(
                format: "| %@ | %.2f %@ | %.2f %@ | %@ | %@ %@ |\n",
                line.name, line.ours.median / scale, unit, line.reference.median / scale, unit, measured, target,
                line.meetsTarget ? "✓" : "✗")
        }
        out += "\n"
        for line in lines { out += "- \(line.name): \(line.detail).\n" }
        return out
    }
}

/// A context whose signed-in user the benchmark sets.
protocol BenchUserContext: PerUserEncryptionRequestContext {
    var encryptionUserID: String? { get set }
}

/// Signs every request in as user 1 (both routers do this, so it cancels out).
struct SignedInUser<Context: BenchUserContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var context = context
        context.encryptionUserID = "1"
        return try await next(request, context)
    }
}

/// A store with no blobs: the header-token path never reads it.
struct NoBlobs: UserKeyStore {
    func storedBlob(forUserID userID: String) async throws -> [UInt8]? { nil }
    func storeNewBlob(_ blob: [UInt8], forUserID userID: String) async throws -> Bool { false }
}

/// The context of the live servers.
struct BasicUserContext: BenchUserContext {
    var coreContext: CoreRequestContextStorage
    var encryptionUserID: String?
    var userKey: UserKey?
    init(source: ApplicationRequestContextSource) { coreContext = .init(source: source) }
}

/// Where an in-process context comes from: a logger, no channel.
struct InProcessSource: RequestContextSource {
    let logger: Logger
}

/// The context of the responders called in process.
struct InProcessContext: BenchUserContext {
    typealias Source = InProcessSource
    var coreContext: CoreRequestContextStorage
    var encryptionUserID: String?
    var userKey: UserKey?
    init(source: InProcessSource) { coreContext = .init(source: source) }
}

/// A row read with a plain column.
struct PlainNote: Decodable, FetchableRecord {
    var id: Int64
    var body: String
}

/// The same row with the column encrypted (Eloquent's `encrypted` cast).
struct SecretNote: Decodable, FetchableRecord {
    var id: Int64
    var body: EncryptedString
}
#endif
