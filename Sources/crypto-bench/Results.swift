import Foundation

/// One measured cell: a row, a size, an operation.
struct Result: Sendable, Codable, Equatable {
    let row: String
    let cipher: String
    let size: Int
    let op: Operation
    /// Ours through the public API, per operation.
    let nsMedian: Double
    let nsP90: Double
    /// The raw primitive on preallocated buffers, same run.
    let floorNs: Double
    /// `nsMedian / floorNs`.
    let ratio: Double
    /// The seed article's PHP 8.5.1 / M4 Pro figure, if it has the row.
    let seedNs: Double?
    /// PHP 8.2 on this machine (`Benchmarks/php/bench.php`), when it ran.
    var phpNs: Double?
    /// The plain-C best case (`Benchmarks/c-reference`), measured right after this row, when built.
    var cNs: Double?
    /// Ours / plain C: the median over rounds of each round's ratio (the two measured moments
    /// apart). Absent in runs saved before rounds existed; ``oursOverC`` then divides the medians.
    var cRatio: Double?
    /// The largest of those per-round ratios.
    var cRatioWorst: Double?

    /// Ours / plain C, paired by round when the run has it.
    var oursOverC: Double? {
        cRatio ?? cNs.map { nsMedian / $0 }
    }

    enum CodingKeys: String, CodingKey {
        case row, cipher, size, op, ratio
        case nsMedian = "ns_median"
        case nsP90 = "ns_p90"
        case floorNs = "floor_ns"
        case seedNs = "seed_ns"
        case phpNs = "php_ns"
        case cNs = "c_ns"
        case cRatio = "c_ratio"
        case cRatioWorst = "c_ratio_worst"
    }
}

/// Nanoseconds for 32 nonce bytes.
struct NonceCost: Sendable, Codable, Equatable {
    let pool: Double
    let system: Double
}

/// A whole run: what `--format json` prints and `--compare` reads.
struct Run: Sendable, Codable {
    var schema = 1
    let date: String
    let machine: Machine
    let batches: Int
    let php: String?
    /// 32 nonce bytes from the pool the encrypters use and straight from `randombytes_buf`.
    let nonceNs: NonceCost?
    var results: [Result]

    enum CodingKeys: String, CodingKey {
        case schema, date, machine, batches, php, results
        case nonceNs = "nonce_ns"
    }

    func result(row: String, size: Int, op: Operation) -> Result? {
        results.first { $0.row == row && $0.size == size && $0.op == op }
    }

    func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    static func load(_ path: String) throws -> Run {
        try JSONDecoder().decode(Run.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
