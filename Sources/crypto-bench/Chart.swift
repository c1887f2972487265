import Foundation

/// An SVG bar chart of a run: ours, the floor, PHP here and the seed's PHP, per row and cell, on a
/// logarithmic time axis (the values span four orders of magnitude).
enum Chart {
    static func svg(_ run: Run, rows: [Row], sizes: [Int]) -> String {
        let columns = sizes.flatMap { size in Operation.byteForms.map { (size, $0) } }
        let series: [(String, String, (Result) -> Double?)] = [
            ("floor", "#9e9e9e", { $0.floorNs }), ("this package", "#1565c0", { $0.nsMedian }),
            ("plain C", "#2e7d32", { $0.cNs }),
            ("PHP here", "#ef6c00", { $0.phpNs }), ("seed PHP (M4 Pro)", "#c62828", { $0.seedNs }),
        ]
        let shown = rows.filter { row in run.results.contains { $0.row == row.name } }
        let panelWidth = 290.0, panelHeight = 26.0 * Double(shown.count) + 40, left = 190.0
        let width = left + panelWidth * Double(columns.count) + 20, height = panelHeight + 70
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
            font-family="sans-serif" font-size="11">
            <rect width="100%" height="100%" fill="white"/>
            <text x="10" y="18" font-size="13">crypto-bench — \(escape(run.machine.cpu)), libsodium \
            \(escape(run.machine.libsodium)); µs per operation, log scale</text>

            """
        for (index, (size, op)) in columns.enumerated() {
            let x0 = left + panelWidth * Double(index)
            let values = shown.flatMap { row in
                run.result(row: row.name, size: size, op: op).map { result in series.compactMap { $0.2(result) } } ?? []
            }
            let low = log10(max(1, (values.min() ?? 1) / 2)), high = log10(max(10, (values.max() ?? 10) * 1.5))
            func barWidth(_ ns: Double) -> Double { (log10(ns) - low) / (high - low) * (panelWidth - 20) }
            svg += "<text x=\"\(x0)\" y=\"44\" font-weight=\"bold\">\(Cell.sizeLabel(size)) \(op.rawValue)</text>\n"
            for (rowIndex, row) in shown.enumerated() {
                let y = 54 + 26 * Double(rowIndex)
                if index == 0 { svg += "<text x=\"10\" y=\"\(y + 14)\">\(escape(row.name))</text>\n" }
                guard let result = run.result(row: row.name, size: size, op: op) else { continue }
                for (seriesIndex, entry) in series.enumerated() {
                    guard let ns = entry.2(result), ns > 0 else { continue }
                    svg +=
                        "<rect x=\"\(x0)\" y=\"\(y + 4 * Double(seriesIndex))\" width=\"\(max(1, barWidth(ns)))\""
                        + " height=\"3.6\" fill=\"\(entry.1)\"><title>\(entry.0): \(Markdown.microseconds(ns)) "
                        + "µs</title></rect>\n"
                }
                let longest = series.compactMap { $0.2(result) }.filter { $0 > 0 }.map(barWidth).max() ?? 0
                svg +=
                    "<text x=\"\(x0 + longest + 4)\" y=\"\(y + 10)\" font-size=\"9\" "
                    + "fill=\"#1565c0\">\(Markdown.microseconds(result.nsMedian))</text>\n"
            }
        }
        for (index, entry) in series.enumerated() {
            let x = left + 130 * Double(index)
            svg +=
                "<rect x=\"\(x)\" y=\"\(height - 22)\" width=\"12\" height=\"10\" fill=\"\(entry.1)\"/>"
                + "<text x=\"\(x + 16)\" y=\"\(height - 13)\">\(entry.0)</text>\n"
        }
        return svg + "</svg>\n"
    }

    static func log10(_ value: Double) -> Double { Foundation.log10(value) }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
    }
}
