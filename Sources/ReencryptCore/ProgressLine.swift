/// How progress is shown: a bar redrawn in place on a terminal, plain lines otherwise.
package enum ProgressLine {
    /// The text for `progress`; `terminal` draws a bar (to be printed after `\r`).
    package static func render(_ progress: ReencryptionProgress, terminal: Bool) -> String {
        let total = max(progress.rowsTotal, progress.rowsDone)
        let fraction = total == 0 ? 1 : Double(progress.rowsDone) / Double(total)
        let rate = progress.elapsed > 0 ? Double(progress.rowsDone) / progress.elapsed : 0
        let remaining = rate > 0 ? Double(total - progress.rowsDone) / rate : 0
        let figures =
            "\(progress.rowsDone)/\(total) rows, \(progress.rowsRewritten) rewritten, \(Int(rate)) rows/s, ETA "
            + "\(duration(remaining))"
        guard terminal else { return "crypto-reencrypt: \(Int(fraction * 100))% — \(figures)" }
        let width = 30
        let filled = min(width, Int(fraction * Double(width)))
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            + "] \(Int(fraction * 100))% " + figures
    }

    /// `42 s`, `3 min 5 s`, `2 h 10 min`.
    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        if whole < 60 { return "\(whole) s" }
        if whole < 3600 { return "\(whole / 60) min \(whole % 60) s" }
        return "\(whole / 3600) h \(whole % 3600 / 60) min"
    }
}
