import Foundation
import LaravelCrypto

/// `--suite hostile`: what hostile input costs. Each case runs in a child process of its own
/// (`crypto-bench --suite hostile --case NAME`), so its peak memory is its own: the child builds
/// the input, resets the kernel's peak-RSS mark (`/proc/self/clear_refs`), runs the one call
/// under test and reports the time, the outcome and the memory figures from `/proc/self/status`.
struct HostileSuite {
    /// One hostile input and the public call it goes through.
    struct Case: Sendable {
        let name: String
        let what: String
        /// Builds the input and returns the call to time, which returns its outcome.
        let prepare: @Sendable () throws -> @Sendable () -> String
    }

    /// What a child reports.
    struct Line: Codable, Sendable {
        let name: String
        let what: String
        let seconds: Double
        /// Resident memory before the call, and its peak during the call (MiB).
        let rssBeforeMiB: Double
        let rssPeakMiB: Double
        /// Peak virtual size of the whole process (MiB), input building included.
        let virtualPeakMiB: Double
        let outcome: String
    }

    static let megabytes200 = 200_000_000

    static let cases: [Case] = [
        Case(name: "compact-200MB", what: "decryptBytes of a 200 MB XChaCha20-Poly1305 payload (267 MB of text)") {
            let (_, encrypter, payload) = try large(.xChaCha20Poly1305)
            return { outcome { try encrypter.decryptBytes(payload).count } }
        },
        Case(name: "compact-200MB-tampered", what: "the same payload with its last character changed") {
            let (_, encrypter, original) = try large(.xChaCha20Poly1305)
            var payload = original
            let last = payload.removeLast()
            payload.append(last == "A" ? "B" : "A")
            let tampered = payload
            return { outcome { try encrypter.decryptBytes(tampered).count } }
        },
        Case(name: "compact-200MB-limited", what: "the same payload under maximumPayloadByteCount = 1 MiB") {
            let (key, _, payload) = try large(.xChaCha20Poly1305)
            let limited = try Cipher.xChaCha20Poly1305.makeEncrypter(
                keyRing: KeyRing(current: key), options: EncrypterOptions(maximumPayloadByteCount: 1 << 20))
            return { outcome { try limited.decryptBytes(payload).count } }
        },
        Case(name: "envelope-200MB", what: "decryptBytes of a 200 MB Laravel aes-256-gcm payload") {
            let (_, encrypter, payload) = try large(.laravelAES256GCM)
            return { outcome { try encrypter.decryptBytes(payload).count } }
        },
        Case(
            name: "json-nesting-100000",
            what: "a forged Laravel payload whose JSON nests 100 000 arrays (no key needed)"
        ) {
            let encrypter = try Cipher.laravelAES256CBC.makeEncrypter(
                keyRing: KeyRing(current: try .generate(for: .laravelAES256CBC)))
            let json = "{\"x\":" + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
            let payload = Data(json.utf8).base64EncodedString()
            return { outcome { try encrypter.decryptBytes(payload).count } }
        },
        Case(name: "php-nesting-100000", what: "decrypt of PHP serialize data nesting 100 000 arrays") {
            let (encrypter, payload) = try sealed(
                String(repeating: "a:1:{i:0;", count: 100_000) + "i:1;" + String(repeating: "}", count: 100_000))
            return { outcome { try encrypter.decrypt(payload, as: [Int].self).count } }
        },
        Case(name: "php-string-length-2^62", what: "decrypt of s:4611686018427387904:\"abc\";") {
            let (encrypter, payload) = try sealed("s:4611686018427387904:\"abc\";")
            return { outcome { try encrypter.decrypt(payload, as: String.self).count } }
        },
        Case(name: "php-array-count-2^62", what: "decrypt of a:4611686018427387904:{}") {
            let (encrypter, payload) = try sealed("a:4611686018427387904:{}")
            return { outcome { try encrypter.decrypt(payload, as: [Int].self).count } }
        },
        Case(name: "php-reservation-bomb", what: "500 nested arrays, each declaring 150 000 entries") {
            let (encrypter, payload) = try sealed(String(repeating: "a:150000:{i:0;", count: 500) + "i:1;")
            return { outcome { try encrypter.decrypt(payload, as: [Int].self).count } }
        },
        Case(name: "php-float-100MB", what: "decrypt of a PHP float written with 100 MB of digits") {
            let (encrypter, payload) = try sealed("d:1." + String(repeating: "3", count: 100_000_000) + ";")
            return { outcome { try encrypter.decrypt(payload, as: Double.self) } }
        },
        Case(name: "php-string-100MB", what: "decrypt of a 100 MB PHP string") {
            let (encrypter, payload) = try sealed("s:100000000:\"" + String(repeating: "z", count: 100_000_000) + "\";")
            return { outcome { try encrypter.decrypt(payload, as: String.self).utf8.count } }
        },
        Case(name: "dotenv-10MB-line", what: "DotEnv.parse of a 10 MB line of combining marks") {
            let text = "APP_KEY=\"" + String(repeating: "e\u{301}", count: 3_333_333) + "\"\nAPP_CIPHER=aes-256-cbc\n"
            return { outcome { DotEnv.parse(text).count } }
        },
        Case(name: "keyring-20000", what: "a key ring of 20 000 previous keys, from APP_PREVIOUS_KEYS text") {
            let keys = (0..<20_000).map { _ in
                "base64:" + Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
            }
            return {
                outcome {
                    try KeyRing(currentKey: keys[0], previousKeys: Array(keys.dropFirst()), format: .laravel).previous
                        .count
                }
            }
        },
    ]

    /// A fresh key for `cipher`, its encrypter, and 200 MB encrypted with it.
    static func large(_ cipher: Cipher) throws -> (EncryptionKey, any Encrypter, String) {
        let key = try EncryptionKey.generate(for: cipher)
        let encrypter = try cipher.makeEncrypter(keyRing: KeyRing(current: key))
        return (key, encrypter, try encrypter.encryptBytes([UInt8](repeating: 0x61, count: megabytes200)))
    }

    /// An aes-256-gcm encrypter and `plaintext` encrypted with it.
    static func sealed(_ plaintext: String) throws -> (any Encrypter, String) {
        let encrypter = try Cipher.laravelAES256GCM.makeEncrypter(
            keyRing: KeyRing(current: try .generate(for: .laravelAES256GCM)))
        return (encrypter, try encrypter.encryptString(plaintext))
    }

    /// "ok: …" with the result, or "error: …" with the thrown error's description.
    static func outcome(_ body: () throws -> some CustomStringConvertible) -> String {
        do {
            return "ok (\(try body()))"
        } catch {
            return "error: \(error)"
        }
    }

    // MARK: In the child

    /// Runs one case and prints its ``Line`` as JSON.
    static func runChild(named name: String) throws {
        guard let hostile = cases.first(where: { $0.name == name }) else {
            throw CocoaError(
                .featureUnsupported, userInfo: [NSLocalizedDescriptionKey: "no hostile case named \(name)"])
        }
        let call = try hostile.prepare()
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
        let before = Self.status("VmRSS") ?? 0
        let start = Sampler.now()
        let result = call()
        let seconds = (Sampler.now() - start) / 1e9
        let line = Line(
            name: name, what: hostile.what, seconds: seconds, rssBeforeMiB: before / 1024,
            rssPeakMiB: (Self.status("VmHWM") ?? 0) / 1024, virtualPeakMiB: (Self.status("VmPeak") ?? 0) / 1024,
            outcome: String(result.prefix(160)))
        let encoder = JSONEncoder()
        print(String(decoding: try encoder.encode(line), as: UTF8.self))
    }

    /// A `/proc/self/status` figure in KiB.
    static func status(_ field: String) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            return Double(line.split(separator: " ").dropFirst().first ?? "")
        }
        return nil
    }

    // MARK: In the parent

    /// Runs every case (or those matching `filter`) in its own child process.
    static func run(filter: String?) throws -> [Line] {
        var lines: [Line] = []
        for hostile in cases where filter.map({ hostile.name.lowercased().contains($0.lowercased()) }) ?? true {
            CryptoBench.progress("hostile input: \(hostile.name)")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            process.arguments = ["--suite", "hostile", "--case", hostile.name]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            if process.terminationStatus == 0, let line = try? JSONDecoder().decode(Line.self, from: data) {
                lines.append(line)
            } else {
                lines.append(
                    Line(
                        name: hostile.name, what: hostile.what, seconds: .nan, rssBeforeMiB: .nan, rssPeakMiB: .nan,
                        virtualPeakMiB: .nan, outcome: "CHILD FAILED (status \(process.terminationStatus))"))
            }
        }
        CryptoBench.progress(nil)
        return lines
    }

    static func markdown(_ lines: [Line], machine: Machine) -> String {
        var out = "# crypto-bench --suite hostile\n\nMachine: \(machine.summary).\n"
        out +=
            "Each case in a child process of its own. RSS: resident memory before the call and its peak during it "
            + "(the kernel's mark reset after the input was built); virtual: the process's peak virtual size, input "
            + "included.\n\n"
        out +=
            "| Case | Input | Time | RSS before | RSS peak | Virtual peak | Outcome "
            + "|\n|---|---|---:|---:|---:|---:|---|\n"
        for line in lines {
            out +=
                "| \(line.name) | \(line.what) | \(seconds(line.seconds)) | \(mib(line.rssBeforeMiB)) | "
                + "\(mib(line.rssPeakMiB)) | "
                + "\(mib(line.virtualPeakMiB)) | \(line.outcome.replacingOccurrences(of: "|", with: "\\|")) |\n"
        }
        return out
    }

    static func seconds(_ value: Double) -> String {
        guard value.isFinite else { return "—" }
        return value >= 1
            ? "\(Markdown.format2(value)) s"
            : value >= 1e-3 ? "\(Markdown.format2(value * 1e3)) ms" : "\(Markdown.format2(value * 1e6)) µs"
    }

    static func mib(_ value: Double) -> String {
        value.isFinite ? "\(Int(value.rounded())) MiB" : "—"
    }
}
