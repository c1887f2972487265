import ArgumentParser
import Foundation
import LaravelCrypto

/// Reproduces the seed article's 1 KiB / 1 MiB table for this package on this machine, with the
/// raw primitive's floor measured in the same run, and PHP 8.2 on the same machine when present.
@main
struct CryptoBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crypto-bench",
        abstract:
            "Time encrypt/decrypt of 1 KiB and 1 MiB payloads for every cipher, beside the raw primitive's floor.",
        discussion: """
            Build in release mode: `swift run -c release crypto-bench`, or `make bench`, which also builds libsodium \
            1.0.20 and the plain-C reference. Each cell is the median of interleaved batches (ours, floor, ours, …) \
            after a warm-up: the full payload in and out through the public Encrypter API, beside the raw \
            libsodium/OpenSSL primitive on preallocated buffers. A row is measured in rounds (5; 3 with --quick), and \
            the plain-C best case (Benchmarks/c-reference, built by `make c-reference`) runs after each round, so \
            "ours / C" is the median of ratios taken moments apart (the worst round is shown too); PHP rows come from \
            Benchmarks/php/bench.php when php-cli and php-illuminate-encryption are installed.

            JSON (--format json, --save): {schema: 1, date, machine: {cpu, cores, os, libsodium, openssl, aes_ni, \
            avx2, sha_ni}, batches, php, nonce_ns: {pool, system}, results: [{row, cipher, size, op (encrypt, \
            decrypt, encrypt-string, decrypt-string), ns_median, ns_p90, floor_ns, ratio, seed_ns, php_ns, c_ns, \
            c_ratio, c_ratio_worst}]}. Times are nanoseconds per operation; ratio is ns_median / floor_ns; absent \
            figures are omitted.

            Examples:
              crypto-bench                      (about two minutes: byte and String forms)
              crypto-bench --quick              (about 20 s)
              crypto-bench --api string --sizes 1024   (only encryptString/decryptString at 1 KiB)
              crypto-bench --filter AEGIS --sizes 1024
              crypto-bench --save run.json      (later: --compare run.json)
              crypto-bench --render run.json --svg chart.svg
              crypto-bench --suite threads --threads 1,2   (1 KiB throughput per thread count: every cipher, the keyring, cookies; about 4 min)
              crypto-bench --suite hostile      (200 MB payloads, 2^62 length prefixes, 100 000-deep nesting: time and memory; about a minute, 2 GB)
              crypto-bench --suite per-user     (about 15 s; Argon2id rows run single calls)
              crypto-bench --suite files        (256 MiB through every driver; --megabytes 2048 for the RSS check)
              crypto-bench --suite server       (needs `--traits Hummingbird,GRDB` at build time, and wrk for the HTTP line)
              crypto-bench --suite reencrypt --rows 1000000   (needs `--traits GRDB,PostgresNIO`; PostgreSQL from PGHOST/PGPORT)
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case markdown, json
    }

    enum API: String, ExpressibleByArgument, CaseIterable {
        case bytes, string, both
    }

    enum Suite: String, ExpressibleByArgument, CaseIterable {
        case ciphers
        case perUser = "per-user"
        case files
        case server
        case reencrypt
        case threads
        case hostile
    }

    @Option(
        help: ArgumentHelp(
            "--suite hostile: run only this case, in this process (what the suite's child processes do).",
            visibility: .hidden))
    var `case`: String?

    @Option(help: "--suite reencrypt: rows in the table (default 1000000; 100000 with --quick).")
    var rows: Int?

    @Option(help: "--suite threads: comma-separated thread counts (default: 1 and the number of cores).")
    var threads: String?

    @Option(help: "--suite files: the file size in MiB (default 256; 32 with --quick).")
    var megabytes: Int?

    @Option(
        help: """
            ciphers (default: the 1 KiB / 1 MiB table), per-user (user keys, tokens, blind indexes, sealed job keys, \
            user values), \
            files (file drivers and hashing beside cat and in-memory floors), server (the Hummingbird middleware and \
            an encrypted \
            SQLite column; build with --traits Hummingbird,GRDB), reencrypt (crypto-reencrypt on SQLite and \
            PostgreSQL beside a \
            no-crypto floor; build with --traits GRDB,PostgresNIO), threads (1 KiB throughput on 1, 2, … threads \
            beside the \
            primitive's own scaling) or hostile (time and memory of hostile inputs, each in a child process).
            """)
    var suite: Suite = .ciphers

    @Option(
        help:
            "The table's entry points: bytes (encryptBytes/decryptBytes), string (encryptString/decryptString) or both (default)."
    )
    var api: API = .both

    @Flag(help: "Shorter batches (about 10 s in all).")
    var quick = false

    @Option(help: "Only rows whose name contains this text (case-insensitive).")
    var filter: String?

    @Option(help: "Comma-separated payload sizes in bytes.")
    var sizes: String = "1024,1048576"

    @Option(
        help:
            "Timed batches per cell; the median is reported. --suite threads: rounds per row (default 15; 5 with --quick)."
    )
    var iterations: Int?

    @Option(help: "markdown (default) or json.")
    var format: Format = .markdown

    @Option(help: "A JSON file from an earlier run to compare against.")
    var compare: String?

    @Option(help: "Also write an SVG chart of this run to this path.")
    var svg: String?

    @Option(help: "Also write this run's JSON to this path (for a later --compare).")
    var save: String?

    @Flag(help: "Skip the PHP 8.2 harness even when PHP is installed.")
    var noPHP = false

    @Option(help: "Print (and chart with --svg) a run saved with --save instead of measuring.")
    var render: String?

    @Flag(help: "Skip the plain-C reference (Benchmarks/c-reference) even when it is built.")
    var noC = false

    func validate() throws {
        guard parsedSizes.count > 0, parsedSizes.allSatisfy({ $0 > 0 && $0 <= 1 << 28 }) else {
            throw ValidationError("--sizes takes comma-separated byte counts between 1 and 268435456.")
        }
        if let iterations, iterations < 1 { throw ValidationError("--iterations must be at least 1.") }
    }

    var parsedSizes: [Int] { sizes.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    func run() async throws {
        if let render {
            let saved = try Run.load(render)
            let rows = Row.all.filter { row in saved.results.contains { $0.row == row.name } }
            let sizes = Array(Set(saved.results.map(\.size))).sorted()
            print(Markdown.render(saved, rows: rows, sizes: sizes, unavailable: []))
            if let svg {
                try Chart.svg(saved, rows: rows, sizes: sizes).write(toFile: svg, atomically: true, encoding: .utf8)
            }
            return
        }
        let batches = iterations ?? (quick ? 7 : 15)
        if suite == .files {
            let suite = FilesSuite(megabytes: megabytes ?? (quick ? 32 : 256), filter: filter)
            print(suite.markdown(try suite.run(), machine: .current()))
            return
        }
        if suite == .server {
            #if Hummingbird && GRDB
            let server = ServerSuite(
                batches: batches, budget: quick ? 0.3 : 1.5, wrkSeconds: quick ? 1 : 2, rows: 10_000)
            print(ServerSuite.markdown(try await server.run(), machine: .current()))
            return
            #else
            throw ValidationError(
                "--suite server needs the server traits: swift run -c release --traits Hummingbird,GRDB crypto-bench "
                    + "--suite server"
            )
            #endif
        }
        if suite == .reencrypt {
            #if GRDB && PostgresNIO
            let count = rows ?? (quick ? 100_000 : 1_000_000)
            print(
                ReencryptSuite.markdown(try await ReencryptSuite(rows: count).run(), rows: count, machine: .current()))
            return
            #else
            throw ValidationError(
                "--suite reencrypt needs the database traits: swift run -c release --traits GRDB,PostgresNIO "
                    + "crypto-bench --suite reencrypt"
            )
            #endif
        }
        if suite == .hostile {
            if let name = `case` {
                try HostileSuite.runChild(named: name)
            } else {
                print(HostileSuite.markdown(try HostileSuite.run(filter: filter), machine: .current()))
            }
            return
        }
        if suite == .threads {
            let counts = try (threads ?? "1,\(ProcessInfo.processInfo.activeProcessorCount)").split(separator: ",").map
            { text in
                guard let count = Int(text.trimmingCharacters(in: .whitespaces)), (1...256).contains(count) else {
                    throw ValidationError("--threads takes counts from 1 to 256, comma-separated, e.g. 1,2")
                }
                return count
            }
            let suite = ThreadsSuite(
                threadCounts: Array(Set(counts + [1])).sorted(), rounds: max(1, iterations ?? (quick ? 5 : 15)),
                seconds: quick ? 0.05 : 0.15,
                filter: filter)
            print(ThreadsSuite.markdown(try suite.run(), threadCounts: suite.threadCounts, machine: .current()))
            return
        }
        if suite == .perUser {
            let lines = try PerUserSuite(sampler: Sampler(batches: batches, budget: quick ? 0.15 : 0.8), filter: filter)
                .run()
            print(
                format == .json
                    ? PerUserSuite.json(lines, machine: .current()) : PerUserSuite.markdown(lines, machine: .current()))
            return
        }
        let rows = Row.all.filter { row in filter.map { row.name.lowercased().contains($0.lowercased()) } ?? true }
        // About 1.2 s per cell (ours and floor together, plus the plain-C rounds) by default, 0.15 s
        // with --quick, spread over the rounds.
        let rounds = quick ? 3 : 5
        let sampler = Sampler(batches: batches, budget: quick ? 0.15 : 1.2)
        let table = CipherTable(
            sampler: Sampler(batches: max(3, batches / rounds), budget: sampler.budget / Double(rounds)),
            rounds: rounds,
            sizes: parsedSizes, api: api, withC: !noC)
        var results: [Result] = []
        var unavailable: [(Row, String)] = []
        for row in rows {
            if let reason = row.cipher.unavailabilityReason {
                unavailable.append((row, reason))
                continue
            }
            results += try table.measure(row)
        }
        if !noC && !ExternalHarness.c.isAvailable {
            FileHandle.standardError.write(
                Data("crypto-bench: no C reference column (run `make c-reference`, or use `make bench`).\n".utf8))
        }
        // The nonce source, the largest fixed cost at 1 KiB (docs/random-numbers.md).
        let nonce = UnsafeMutableRawBufferPointer.allocate(byteCount: 32, alignment: 16)
        defer { nonce.deallocate() }
        let rng = sampler.measure({ NonceSources.drawFromPool(nonce) }, floor: { NonceSources.drawFromSystem(nonce) })
        var phpVersion: String?
        if !noPHP {
            Self.progress("PHP harness (Benchmarks/php/bench.php)")
            let measured = Set(results.map(\.cipher))
            if let php = ExternalHarness.php.run(
                ciphers: rows.map(\.cipher.rawValue).filter(measured.contains), sizes: parsedSizes,
                budget: quick ? 0.04 : 0.3, batches: quick ? 5 : 9)
            {
                phpVersion = php.php
                merge(php.results, into: &results) { $0.phpNs = $1 }
            }
        }
        Self.progress(nil)
        let run = Run(
            date: ISO8601DateFormatter().string(from: Date()), machine: .current(), batches: batches, php: phpVersion,
            nonceNs: NonceCost(pool: rng.ours.median, system: rng.floor.median), results: results)
        switch format {
        case .json: print(run.json())
        case .markdown: print(Markdown.render(run, rows: rows, sizes: parsedSizes, unavailable: unavailable))
        }
        if let compare {
            let old = try Run.load(compare)
            let text = Markdown.compare(run, with: old)
            if format == .json { FileHandle.standardError.write(Data((text + "\n").utf8)) } else { print(text) }
        }
        if let save {
            try (run.json() + "\n").write(toFile: save, atomically: true, encoding: .utf8)
        }
        if let svg {
            try Chart.svg(run, rows: rows, sizes: parsedSizes).write(toFile: svg, atomically: true, encoding: .utf8)
        }
    }

    /// Copies an external harness's figures into the matching results.
    func merge(_ figures: [ExternalHarness.Figure], into results: inout [Result], _ set: (inout Result, Double) -> Void)
    {
        for figure in figures {
            for index in results.indices
            where results[index].cipher == figure.cipher && results[index].size == figure.size
                && results[index].op.byteForm == figure.op
            {
                set(&results[index], figure.ns_median)
            }
        }
    }

    /// Progress on stderr, so stdout stays a clean table or JSON document.
    static func progress(_ step: String?) {
        let text: String
        if isatty(STDERR_FILENO) == 1 {
            text = step.map { "\r\u{1B}[Kcrypto-bench: \($0)…" } ?? "\r\u{1B}[K"
        } else {
            guard let step else { return }
            text = "crypto-bench: \(step)…\n"
        }
        FileHandle.standardError.write(Data(text.utf8))
    }
}
