/// The tables `crypto-bench` prints by default.
enum Markdown {
    static func microseconds(_ ns: Double?) -> String {
        guard let ns, ns.isFinite else { return "—" }
        let us = ns / 1000
        if us >= 100 { return String(Int(us.rounded())) }
        if us >= 10 { return String(format1(us)) }
        return format2(us)
    }

    static func format1(_ value: Double) -> String { String(Double(Int((value * 10).rounded())) / 10) }

    static func format2(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
    }

    static func ratio(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "—" }
        return (value >= 10 ? format1(value) : format2(value)) + "×"
    }

    /// The article's layout (µs per operation) plus the floor, ratio, seed and PHP tables; a table
    /// this run has no figure for is omitted.
    static func render(_ run: Run, rows: [Row], sizes: [Int], unavailable: [(Row, String)]) -> String {
        func table(_ title: String, operations: [Operation] = Operation.byteForms, _ cell: (Result?) -> String)
            -> [String]
        {
            let columns = sizes.flatMap { size in operations.map { (size, $0) } }
            let headers = columns.map { "\(Cell.sizeLabel($0.0)) \($0.1.shortLabel)" }
            var lines = [
                "", title, "", "| Algorithm | " + headers.joined(separator: " | ") + " |",
                "|---|" + String(repeating: "---|", count: headers.count),
            ]
            var measured = false
            for row in rows where run.results.contains(where: { $0.row == row.name }) {
                let cells = columns.map { cell(run.result(row: row.name, size: $0.0, op: $0.1)) }
                measured = measured || cells.contains { $0 != "—" }
                lines.append("| \(row.name) | " + cells.joined(separator: " | ") + " |")
            }
            // A table with no figure at all (byte forms under `--api string`, PHP rows for string
            // forms) is left out rather than printed as a page of dashes.
            return measured ? lines : []
        }
        var lines = [
            "# crypto-bench", "", "Machine: \(run.machine.summary).",
            "Median of \(run.batches) interleaved batches after a warm-up; µs per operation, full payload in and out.",
        ]
        if let nonce = run.nonceNs {
            lines.append(
                "Nonce source: 32 bytes from the pool in \(Int(nonce.pool.rounded())) ns, from `randombytes_buf` "
                    + "(getrandom) in "
                    + "\(Int(nonce.system.rounded())) ns (docs/random-numbers.md).")
        }
        lines += table("## This package (µs)", { microseconds($0?.nsMedian) })
        lines += table(
            "## Floor: the raw primitive on preallocated buffers, same run (µs)", { microseconds($0?.floorNs) })
        lines += table("## Ours / floor", { ratio($0?.ratio) })
        if run.results.contains(where: { $0.cNs != nil }) {
            lines += table("## Plain-C best case, same run (Benchmarks/c-reference, µs)", { microseconds($0?.cNs) })
            lines += table(
                "## Ours / plain C (below 1 is faster than C; median of per-round ratios, worst round in brackets)",
                { result in
                    cRatioCell(result)
                })
        }
        if run.results.contains(where: { Operation.stringForms.contains($0.op) }) {
            let strings = Operation.stringForms
            lines += table(
                "## Through `encryptString` / `decryptString` (µs)", operations: strings, { microseconds($0?.nsMedian) }
            )
            lines += table(
                "## `encryptString` / `decryptString` over the floor", operations: strings, { ratio($0?.ratio) })
            if run.results.contains(where: { $0.cNs != nil }) {
                let title =
                    "## `encryptString` / `decryptString` over plain C (below 1 is faster than C; worst round in "
                    + "brackets)"
                lines += table(title, operations: strings, { result in cRatioCell(result) })
            }
        }
        lines += table("## Seed article: PHP 8.5.1 on an Apple M4 Pro (µs)", { microseconds($0?.seedNs) })
        if let php = run.php, run.results.contains(where: { $0.phpNs != nil }) {
            lines += table("## PHP \(php) on this machine (µs)", { microseconds($0?.phpNs) })
            lines += table(
                "## Times faster than PHP \(php) here",
                { result in
                    guard let result, let php = result.phpNs else { return "—" }
                    return ratio(php / result.nsMedian)
                })
        }
        for (row, reason) in unavailable { lines.append("\n\(row.name): not measured (\(reason)).") }
        return lines.joined(separator: "\n")
    }

    /// "0.82× (0.90×)": the paired ratio to plain C and its worst round.
    static func cRatioCell(_ result: Result?) -> String {
        guard let result, let value = result.oursOverC else { return "—" }
        return ratio(value) + (result.cRatioWorst.map { " (\(ratio($0)))" } ?? "")
    }

    /// This run against an earlier JSON run.
    static func compare(_ run: Run, with old: Run) -> String {
        var lines = [
            "", "## Change against \(old.date) (\(old.machine.cpu))", "",
            "| Algorithm | size | op | before µs | now µs | change | ratio before | ratio now |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for result in run.results {
            guard let before = old.result(row: result.row, size: result.size, op: result.op) else { continue }
            let change = (result.nsMedian / before.nsMedian - 1) * 100
            let sign = change >= 0 ? "+" : ""
            lines.append(
                "| \(result.row) | \(Cell.sizeLabel(result.size)) | \(result.op.rawValue) | "
                    + "\(microseconds(before.nsMedian)) | "
                    + "\(microseconds(result.nsMedian)) | \(sign)\(format1(change)) % | \(ratio(before.ratio)) | "
                    + "\(ratio(result.ratio)) |"
            )
        }
        return lines.joined(separator: "\n")
    }
}
