#if Hummingbird && GRDB
import Foundation
import HTTPTypes
import Hummingbird
import LaravelCrypto
import LaravelCryptoHummingbird
import Logging
import NIOCore

extension ServerSuite {
    /// What ``LaravelCookiesMiddleware`` adds to a request beyond the decryption itself: a browser's
    /// `Cookie` header for a Laravel app (an analytics cookie, `XSRF-TOKEN`, `laravel_session` and an
    /// excepted `theme`), read the PHP way and decrypted into the context, against a router without
    /// the middleware whose handler decrypts the same two cookies directly. The budget is the per-user
    /// middleware's (10 µs a request).
    func cookieMiddlewareInProcess() async throws -> Line {
        let appKey = "base64:" + Data((0..<32).map { UInt8($0) }).base64EncodedString()
        let encrypter = try CookieEncrypter(key: appKey)
        let session = try encrypter.headerValue(String(repeating: "s", count: 40), forCookieNamed: "laravel_session")
        let xsrf = try encrypter.headerValue(String(repeating: "x", count: 40), forCookieNamed: "XSRF-TOKEN")
        let header = "_ga=GA1.1.1234567890.1764892800; XSRF-TOKEN=\(xsrf); laravel_session=\(session); theme=dark"

        let with = Router(context: InProcessCookieContext.self)
        with.add(middleware: LaravelCookiesMiddleware(encrypter: encrypter, except: ["_ga", "theme"]))
        with.get("/") { _, context -> String in
            guard context.laravelCookies["laravel_session"] != nil, context.laravelCookies["XSRF-TOKEN"] != nil else {
                throw HTTPError(.unauthorized)
            }
            return "ok"
        }
        let without = Router(context: InProcessCookieContext.self)
        without.get("/") { _, _ -> String in
            _ = try encrypter.decrypt(session, forCookieNamed: "laravel_session")
            _ = try encrypter.decrypt(xsrf, forCookieNamed: "XSRF-TOKEN")
            return "ok"
        }
        let withResponder = with.buildResponder(), withoutResponder = without.buildResponder()
        var head = HTTPRequest(method: .get, scheme: "http", authority: "localhost", path: "/")
        head.headerFields[.cookie] = header
        let source = InProcessSource(logger: Logger(label: "crypto-bench"))
        let request = Request(head: head, body: RequestBody(buffer: ByteBuffer()))
        guard
            try await withResponder.respond(to: request, context: InProcessCookieContext(source: source)).status == .ok
        else { throw BenchFailure("the cookie middleware did not decrypt Laravel's cookies") }
        let stats = try await Self.interleave(
            batches: batches, budget: budget,
            [
                { _ = try await withResponder.respond(to: request, context: InProcessCookieContext(source: source)) },
                {
                    _ = try await withoutResponder.respond(to: request, context: InProcessCookieContext(source: source))
                },
            ])
        return Line(
            name: "Cookie middleware, a Laravel browser's 4 cookies, in process (µs per request)", ours: stats[0],
            reference: stats[1], kind: .cost, target: 10_000,
            detail: "router responder with the middleware vs without it, whose handler decrypts the same two "
                + "cookies; cost = difference (header parsing, the context, the response pass)")
    }
}

/// The context of the cookie middleware's responders called in process.
struct InProcessCookieContext: LaravelCookiesRequestContext {
    typealias Source = InProcessSource
    var coreContext: CoreRequestContextStorage
    var laravelCookies = LaravelRequestCookies()
    init(source: InProcessSource) { coreContext = .init(source: source) }
}
#endif
