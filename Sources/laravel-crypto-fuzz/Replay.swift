#if !FUZZING
import Foundation

/// Without `-D FUZZING` (a normal build): writes seed corpora and replays saved inputs, so every
/// crash libFuzzer ever found runs again in `make test` (`Fuzz/regressions/<target>/`).
@main
struct FuzzReplay {
    static func main() throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.count == 2, arguments[0] == "replay-all" {
            // FOLDER/<target>/<input>: every target's saved inputs, plus its seeds.
            for target in FuzzTarget.allCases {
                let inputs = files(at: "\(arguments[1])/\(target.rawValue)")
                for file in inputs { target.run(Array(try Data(contentsOf: file))) }
                let seeds = FuzzFixtures.shared.seeds(for: target)
                for seed in seeds { target.run(seed) }
                print("\(target.rawValue): \(inputs.count) saved inputs and \(seeds.count) seeds replayed, no crash")
            }
            return
        }
        guard arguments.count >= 2, let target = FuzzTarget(rawValue: arguments[1]) else { usage() }
        switch arguments[0] {
        case "seeds":
            guard arguments.count == 3 else { usage() }
            let count = try FuzzFixtures.shared.writeSeeds(for: target, into: arguments[2])
            print("\(target.rawValue): \(count) seeds in \(arguments[2])")
        case "replay":
            var count = 0
            for path in arguments.dropFirst(2) {
                for file in files(at: path) {
                    target.run(Array(try Data(contentsOf: file)))
                    count += 1
                }
            }
            print("\(target.rawValue): \(count) inputs replayed, no crash")
        default:
            usage()
        }
    }

    static func files(at path: String) -> [URL] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return [] }
        guard isFolder.boolValue else { return [URL(fileURLWithPath: path)] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.sorted().filter { !$0.hasPrefix(".") }.map {
            URL(fileURLWithPath: path).appendingPathComponent($0)
        }
    }

    static func usage() -> Never {
        let targets = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
        FileHandle.standardError.write(
            Data(
                """
                usage: laravel-crypto-fuzz seeds TARGET FOLDER     write valid inputs for TARGET
                       laravel-crypto-fuzz replay TARGET PATH...   run TARGET over files or folders
                       laravel-crypto-fuzz replay-all FOLDER       every FOLDER/<target>/ input, and the seeds
                targets: \(targets)
                The fuzzing build (`make fuzz`) is the same target compiled with -D FUZZING and
                -sanitize=fuzzer,address; it reads FUZZ_TARGET.

                """.utf8))
        exit(64)
    }
}
#endif
