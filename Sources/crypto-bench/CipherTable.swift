import ArgumentParser
import LaravelCrypto

/// The default suite's measurements for one row: every (size, operation) cell through the public
/// API beside the raw primitive, and the plain-C best case, in rounds.
///
/// Each round times every cell (ours and the floor in interleaved batches) and then runs the C
/// harness once for the row, so every "ours / C" ratio pairs figures taken moments apart. The
/// cell's ratio to C is the median of the per-round ratios: a slow stretch of this shared machine
/// moves both sides of one pair, not one side of the table.
struct CipherTable {
    /// Timer for one round of one cell.
    let sampler: Sampler
    let rounds: Int
    let sizes: [Int]
    let api: CryptoBench.API
    /// Run the plain-C harness between rounds (when it is built).
    let withC: Bool

    /// What one cell collects, round by round.
    private struct Cell {
        var ours: [Double] = []
        var p90: [Double] = []
        var floor: [Double] = []
        var c: [Double] = []
    }

    func measure(_ row: Row) throws -> [Result] {
        let encrypter = try row.cipher.makeEncrypter(
            keyRing: KeyRing(current: try EncryptionKey.generate(for: row.cipher)))
        var workloads: [(size: Int, op: Operation, ours: () throws -> Void, floor: () throws -> Void)] = []
        for size in sizes {
            let floor = try PrimitiveFloor(cipher: row.cipher, plaintextCount: size)
            if api != .string {
                let plaintext = [UInt8](repeating: 0x61, count: size)
                let payload = try encrypter.encryptBytes(plaintext)
                guard try encrypter.decryptBytes(payload) == plaintext else {
                    throw ValidationError("\(row.name) round trip failed")
                }
                workloads.append((size, .encrypt, { _ = try encrypter.encryptBytes(plaintext) }, floor.seal))
                workloads.append((size, .decrypt, { _ = try encrypter.decryptBytes(payload) }, floor.open))
            }
            if api != .bytes {
                let text = String(repeating: "a", count: size)
                let payload = try encrypter.encryptString(text)
                guard try encrypter.decryptString(payload) == text else {
                    throw ValidationError("\(row.name) String round trip failed")
                }
                workloads.append((size, .encryptString, { _ = try encrypter.encryptString(text) }, floor.seal))
                workloads.append((size, .decryptString, { _ = try encrypter.decryptString(payload) }, floor.open))
            }
        }
        var cells = [Cell](repeating: Cell(), count: workloads.count)
        for round in 0..<rounds {
            CryptoBench.progress("\(row.name), round \(round + 1) of \(rounds)")
            for (index, workload) in workloads.enumerated() {
                let stats = try sampler.measure(workload.ours, floor: workload.floor)
                cells[index].ours.append(stats.ours.median)
                cells[index].p90.append(stats.ours.p90)
                cells[index].floor.append(stats.floor.median)
            }
            guard withC,
                let c = ExternalHarness.c.run(
                    ciphers: [row.cipher.rawValue], sizes: sizes, budget: sampler.budget / 2, batches: sampler.batches)
            else { continue }
            for (index, workload) in workloads.enumerated() {
                if let figure = c.results.first(where: { $0.size == workload.size && $0.op == workload.op.byteForm }) {
                    cells[index].c.append(figure.ns_median)
                }
            }
        }
        return zip(workloads, cells).map { workload, cell in
            let ours = Self.median(cell.ours), floor = Self.median(cell.floor)
            // Pair each round's C figure with that round's own figure.
            let pairedRatios = cell.c.count == cell.ours.count ? zip(cell.ours, cell.c).map { $0 / $1 } : []
            return Result(
                row: row.name, cipher: row.cipher.rawValue, size: workload.size, op: workload.op, nsMedian: ours,
                nsP90: Self.median(cell.p90), floorNs: floor, ratio: ours / floor,
                seedNs: row.seedNanoseconds(size: workload.size, operation: workload.op), phpNs: nil,
                cNs: cell.c.isEmpty ? nil : Self.median(cell.c),
                cRatio: pairedRatios.isEmpty ? nil : Self.median(pairedRatios),
                cRatioWorst: pairedRatios.max())
        }
    }

    static func median(_ values: [Double]) -> Double {
        Stats(samples: values).median
    }
}
