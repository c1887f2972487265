import Foundation
import LaravelCrypto

/// `crypto-bench --suite files`: a large file through each file driver beside, in the same run, `cat`
/// of the same file (the I/O floor) and libsodium's own secretstream and BLAKE2b over in-memory buffers.
struct FilesSuite {
    let megabytes: Int
    let filter: String?

    struct Line {
        let name: String
        let seconds: Double
        let floorName: String
        let floorSeconds: Double
        let target: String
    }

    func run() throws -> (lines: [Line], peakRSS: Int) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "crypto-bench-files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let plain = folder.appendingPathComponent("plain").path, encrypted = plain + ".enc", out = plain + ".out"
        let total = megabytes << 20
        CryptoBench.progress("files: writing a \(megabytes) MiB file")
        let block = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 7) }
        guard FileManager.default.createFile(atPath: plain, contents: nil) else {
            throw BenchFailure("cannot create \(plain)")
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: plain))
        for _ in 0..<megabytes { handle.write(Data(block)) }
        try handle.close()

        func time(_ body: () throws -> Void) rethrows -> Double {
            let start = Sampler.now()
            try body()
            return (Sampler.now() - start) / 1e9
        }
        func cat() throws -> Double {
            try time {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/bin/cat")
                process.arguments = [plain]
                process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
                try process.run()
                process.waitUntilExit()
            }
        }
        guard FileManager.default.createFile(atPath: out, contents: nil) else {
            throw BenchFailure("cannot create \(out)")
        }
        let key = "base64:" + Data((0..<32).map { UInt8($0) }).base64EncodedString()
        var lines: [Line] = []
        var drivers: [(String, FileEncrypter.Driver)] = [
            ("SecretStream", .secretStream), ("XSalsa20 + HMAC", .xsalsaHMAC),
            ("Native XChaCha20-Poly1305", .native(.xChaCha20Poly1305)),
            ("Native aes-256-gcm", .native(.laravelAES256GCM)),
        ]
        if Cipher.aegis256.unavailabilityReason == nil { drivers.append(("Native AEGIS-256", .native(.aegis256))) }
        for (name, driver) in drivers where filter.map({ name.lowercased().contains($0.lowercased()) }) ?? true {
            CryptoBench.progress("files: \(name)")
            let files = try FileEncrypter(driver: driver, key: key)
            let catEncrypt = try cat()
            let encrypt = try time { try files.encryptFile(atPath: plain, toPath: encrypted) }
            let catDecrypt = try cat()
            let decrypt = try time { try files.decryptFile(atPath: encrypted, toPath: out) }
            lines.append(
                Line(
                    name: "\(name): encrypt", seconds: encrypt, floorName: "cat", floorSeconds: catEncrypt, target: "—")
            )
            lines.append(
                Line(
                    name: "\(name): decrypt", seconds: decrypt, floorName: "cat", floorSeconds: catDecrypt, target: "—")
            )
        }
        let hashFile = try time { _ = try BLAKE2bHasher(key: nil).hashFile(atPath: plain) }
        // Peak RSS so far: the file paths only (the floors below hold a 16 MiB buffer).
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let peak = Int(usage.ru_maxrss) * 1024
        CryptoBench.progress("files: in-memory floors")
        let buffer = [UInt8](repeating: 0x61, count: 16 << 20)
        let rawStream = try time { _ = try FileFloor.secretStream(totalBytes: total, buffer: buffer) }
        let ours = try FileEncrypter(key: key).makeEncryptionStream()
        let piece = Array(buffer[..<(1 << 20)])
        let streamInMemory = try time {
            for _ in 0..<megabytes { _ = try ours.update(piece) }; _ = try ours.finish()
        }
        lines.append(
            Line(
                name: "SecretStream stream API, in memory", seconds: streamInMemory, floorName: "raw secretstream",
                floorSeconds: rawStream,
                target: "≥ 90%"))
        let rawHash = time { _ = FileFloor.blake2b(totalBytes: total, buffer: buffer) }
        lines.append(
            Line(
                name: "BLAKE2b of the file", seconds: hashFile, floorName: "crypto_generichash in memory",
                floorSeconds: rawHash, target: "≥ 95%"))
        CryptoBench.progress(nil)
        return (lines, peak)
    }

    func markdown(_ result: (lines: [Line], peakRSS: Int), machine: Machine) -> String {
        var out = "# crypto-bench --suite files (\(megabytes) MiB)\n\n"
        out += "Machine: \(machine.summary).\n\n"
        out +=
            "| Operation | ours | MiB/s | floor | floor MiB/s | ours / floor throughput | target "
            + "|\n|---|---:|---:|---|---:|---:|---:|\n"
        for line in result.lines {
            let mib = Double(megabytes)
            out += String(
                format: "| %@ | %.2f s | %.0f | %@ %.2f s | %.0f | %.0f%% | %@ |\n", line.name, line.seconds,
                mib / line.seconds,
                line.floorName, line.floorSeconds, mib / line.floorSeconds, 100 * line.floorSeconds / line.seconds,
                line.target)
        }
        out += String(
            format: "\nPeak RSS of the process through every file operation: %.1f MiB (constant in the file size).\n",
            Double(result.peakRSS) / 1_048_576)
        return out
    }
}
