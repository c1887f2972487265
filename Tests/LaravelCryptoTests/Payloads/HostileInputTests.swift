import Foundation
import LaravelCryptoTestSupport
import Testing

@testable import LaravelCrypto

/// Inputs built to exhaust a stack, a reservation or the reader's patience, and a differential
/// check of the envelope's JSON reader against PHP's own `json_decode`.
@Suite("Hostile input")
struct HostileInputTests {
    /// Runs `body` on a thread with a 64 KiB stack (the smallest a server might configure) and
    /// waits for it: a recursion driven by the input would crash the test process here.
    func onSmallStack(_ body: @escaping @Sendable () -> Void) {
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            body()
            done.signal()
        }
        thread.stackSize = 64 * 1024
        thread.start()
        done.wait()
    }

    /// A forged Laravel payload (no key needed) whose JSON holds `extra` as an unknown member.
    func forgedPayload(extra: String) -> String {
        let json = #"{"iv":"AAAAAAAAAAAAAAAAAAAAAA==","value":"AAAA","mac":"00","tag":"","x":"# + extra + "}"
        return Data(json.utf8).base64EncodedString()
    }

    /// `nil` when PHP serialize data is valid, else the error's description.
    func validationError(_ bytes: [UInt8]) -> String? {
        do {
            try PHPUnserializer().validate(bytes)
            return nil
        } catch {
            return "\(error)"
        }
    }

    func envelopeAccepts(_ text: String) -> Bool {
        Array(text.utf8).withUnsafeBytes { (try? LaravelEnvelopeJSON.parse($0)) != nil }
    }

    @Test func deepJSONInAForgedPayloadIsRefusedWithoutRecursion() throws {
        let encrypter = try Cipher.laravelAES256CBC.makeEncrypter(
            keyRing: KeyRing(current: try EncryptionKey.generate(byteCount: 32), previous: []))
        let results = Results()
        onSmallStack {
            for depth in [511, 100_000] {
                let payload = forgedPayload(
                    extra: String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
                do {
                    _ = try encrypter.decryptString(payload)
                    results.append("accepted")
                } catch {
                    // Typed: decryptString throws DecryptionError, nothing else.
                    results.append("\(error)")
                }
            }
        }
        #expect(results.values.count == 2)
        #expect(results.values.allSatisfy { $0.contains("nested too deeply") }, "\(results.values)")
        // PHP's limit exactly: the envelope is level 1, so 510 nested arrays are read (level 511).
        #expect(
            envelopeAccepts(#"{"x":"# + String(repeating: "[", count: 510) + String(repeating: "]", count: 510) + "}"))
        #expect(
            !envelopeAccepts(#"{"x":"# + String(repeating: "[", count: 511) + String(repeating: "]", count: 511) + "}"))
        #expect(!envelopeAccepts(#"{"x":"\u+030"}"#), "PHP's json_decode refuses a sign in \\u")
        #expect(envelopeAccepts(#"{"x":"\u00e9\uD83D\uDE00"}"#))
    }

    @Test func deepPHPSerializedArraysStayOffTheStack() throws {
        @Sendable func nested(_ depth: Int) -> [UInt8] {
            Array((String(repeating: "a:1:{i:0;", count: depth) + "N;" + String(repeating: "}", count: depth)).utf8)
        }
        let results = Results()
        onSmallStack {
            // 512 levels are read (and released) on the small stack, 513 and 100 000 refused.
            results.append(validationError(nested(512)) == nil ? "ok" : "refused")
            results.append(validationError(nested(513)) ?? "ok")
            results.append(validationError(nested(100_000)) ?? "ok")
        }
        #expect(
            results.values == [
                "ok", "PHP serialized arrays are nested deeper than 512 levels.",
                "PHP serialized arrays are nested deeper than 512 levels.",
            ])
    }

    @Test func deepJSONForDecryptJSONStaysOffTheStack() throws {
        struct Ignored: Decodable { init(from decoder: any Decoder) throws {} }
        let results = Results()
        onSmallStack {
            for depth in [512, 513, 100_000] {
                let text = Array((String(repeating: "[", count: depth) + String(repeating: "]", count: depth)).utf8)
                results.append((try? PHPJSONDecoder().decode(Ignored.self, from: text)) == nil ? "refused" : "ok")
            }
        }
        #expect(results.values == ["ok", "refused", "refused"])
    }

    @Test func declaredCountsReserveNothing() throws {
        // 500 nested arrays each declaring as many entries as the rest of the data could hold:
        // refused at the end of the data, having reserved nothing from the counts.
        var text = ""
        for level in 0..<500 { text += "a:\(150_000 - level):{i:0;" }
        text += String(repeating: "N;", count: 400_000)
        let started = Date()
        let error = validationError(Array(text.utf8))
        #expect(error != nil)
        #expect(Date().timeIntervalSince(started) < 30, "a linear walk, not a reservation per level")
    }

    @Test func hugeDeclaredLengthsAreTypedErrors() throws {
        // 2^62, Int.max, and a length that overflows 64 bits: refused against the bytes that are
        // there, before any allocation (crypto-bench --suite hostile shows time and memory).
        for length in [
            "4611686018427387904", "9223372036854775807", "18446744073709551617", "99999999999999999999999999",
        ] {
            for text in [
                "s:\(length):\"abc\";", "a:\(length):{}", "S:\(length):\"abc\";", "a:1:{s:\(length):\"k\";i:1;}",
            ] {
                let started = Date()
                #expect(validationError(Array(text.utf8)) != nil, "\(text)")
                #expect(throws: PHPSerializationError.self) {
                    try PHPUnserializer().unserialize([String: Int].self, from: Array(text.utf8))
                }
                #expect(Date().timeIntervalSince(started) < 5)
            }
        }
    }

    @Test func longFloatsAndKeysThatAreNotUTF8() throws {
        // A float of a million digits is one linear pass; PHP reads it as INF too.
        let digits = "d:" + String(repeating: "9", count: 1_000_000) + ";"
        #expect(try PHPUnserializer().unserialize(Double.self, from: Array(digits.utf8)) == .infinity)
        #expect(throws: PHPSerializationError.self) {
            try PHPUnserializer().unserialize(
                Double.self, from: Array(("d:1" + String(repeating: "0", count: 100_000) + "x;").utf8))
        }
        // Two keys that differ only in invalid bytes would both become "\u{FFFD}": refused instead.
        let colliding: [UInt8] =
            Array("a:2:{s:1:\"".utf8) + [0xFF] + Array("\";i:1;s:1:\"".utf8) + [0xFE] + Array("\";i:2;}".utf8)
        #expect(validationError(colliding) == nil, "the data itself is valid PHP")
        #expect(
            throws: PHPSerializationError.typeMismatch(
                path: "", expected: "array keys of valid UTF-8", found: "a key of 1 bytes that is not valid UTF-8")
        ) {
            try PHPUnserializer().unserialize([String: Int].self, from: colliding)
        }
    }

    @Test func envelopeJSONReaderAgreesWithPHP() throws {
        guard peerIsUsable(Peer.php, requirement: "PHP") else { return }
        let seed = Array(
            #"{"iv":"YQ==","value":"\u00e9x\/","mac":"ab","tag":null,"x":[1,{"y":[true,false,null,-1.5e3,""]}],"":0}"#
                .utf8)
        let alphabet =
            Array(#"{}[]":,\/ 0123456789abcdefABCDEF+-.eEnultrsu"#.utf8) + [
                0x09, 0x0A, 0x0D, 0x00, 0x1F, 0x7F, 0xC3, 0xA9, 0xFF,
            ]
        var rng = SplitMix64(seed: 0x1A5_0D1F)
        var texts: [[UInt8]] = [
            seed, Array(#"{"a":"\u+030"}"#.utf8), Array(#"{"a":"\ud800"}"#.utf8), Array(#"{"a":"\udc00\ud800"}"#.utf8),
            Array("{}".utf8), Array(" {\"a\":1}\n".utf8),
        ]
        for depth in 508...512 {
            texts.append(
                Array(
                    (#"{"x":"# + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}").utf8
                ))
            texts.append(
                Array(
                    (#"{"x":"# + String(repeating: #"{"k":"#, count: depth) + "0" + String(repeating: "}", count: depth)
                        + "}").utf8))
        }
        for _ in 0..<3_000 {
            texts.append(rng.mutated(seed, alphabet: alphabet))
        }
        let request = try JSONSerialization.data(withJSONObject: texts.map { Data($0).base64EncodedString() })
        let script = Repository.root.appendingPathComponent("Fixtures/php/json-decode-accepts.php").path
        let answer = try ProcessRunner.run(command: "php", [script], input: request)
        #expect(answer.status == 0, "\(String(decoding: answer.errors, as: UTF8.self))")
        let php = try #require(try JSONSerialization.jsonObject(with: answer.output) as? [Bool])
        #expect(php.count == texts.count)
        var disagreements: [String] = []
        for (text, phpAccepts) in zip(texts, php) {
            let ours = text.withUnsafeBytes { (try? LaravelEnvelopeJSON.parse($0)) != nil }
            if ours != phpAccepts {
                disagreements.append(
                    "\(phpAccepts ? "PHP accepts" : "PHP refuses"): \(String(decoding: text.prefix(120), as: UTF8.self))"
                )
            }
        }
        #expect(
            disagreements.isEmpty, "\(disagreements.count) of \(texts.count) differ; first: \(disagreements.prefix(5))")
        #expect(php.filter { $0 }.count > 100 && php.filter { !$0 }.count > 100, "both outcomes are exercised")
    }
}

/// Strings collected on another thread.
final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []
    func append(_ value: String) { lock.withLock { storage.append(value) } }
    var values: [String] { lock.withLock { storage } }
}
