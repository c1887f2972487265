import Foundation
import LaravelCrypto

/// `crypto-bench --suite per-user`: each per-user operation through the public API beside a floor of
/// the same libsodium (or OpenSSL) calls on preallocated buffers, measured in the same run.
struct PerUserSuite {
    struct Line {
        let name: String
        /// The ratio the issue sets as a target, or `nil` for an informational line.
        let target: Double?
        let ours: Stats
        let floor: Stats
        /// The plain-C best case for the same payload (user values only), when `make c-reference` built it.
        var cNs: Double?
        var ratio: Double { ours.median / floor.median }
    }

    let sampler: Sampler
    let filter: String?

    func run() throws -> [Line] {
        let appKey = "base64:" + Data((0..<32).map { UInt8($0) }).base64EncodedString()
        let key = try UserKey.generate()
        let floor = try PerUserFloor(userID: "12345", indexValue: "alice@example.com", column: "email")
        let vault = try UserKeyVault(appKey: appKey)
        let serverBlob = try vault.wrap(key, userID: "12345")
        let token = key.token
        let index = BlindIndex(userKey: key)
        let sealed = try SealedJobKey.seal(key, appKey: appKey)
        let crypt = try key.makeEncrypter()
        let text = String(repeating: "a", count: 1024)
        let payload = try crypt.encryptString(text)
        let cbc = try PrimitiveFloor(cipher: .laravelAES256CBC, plaintextCount: 1024)
        let rawKey = key.withUnsafeBytes { Array($0) }

        var lines: [Line] = []
        func line(
            _ name: String, target: Double?, sampler: Sampler? = nil, _ ours: () throws -> Void,
            floor: () throws -> Void
        ) rethrows {
            guard filter.map({ name.lowercased().contains($0.lowercased()) }) ?? true else { return }
            CryptoBench.progress("per-user: \(name)")
            let stats = try (sampler ?? self.sampler).measure(ours, floor: floor)
            lines.append(Line(name: name, target: target, ours: stats.ours, floor: stats.floor))
        }
        try line(
            "Server-wrapped key: unwrap (mode 2)", target: 1.3, { _ = try vault.unwrap(serverBlob, userID: "12345") },
            floor: floor.serverUnwrap)
        try line(
            "Server-wrapped key: wrap (mode 2)", target: 1.3, { _ = try vault.wrap(key, userID: "12345") },
            floor: floor.serverWrap)
        try line("Token decode", target: 1.3, { _ = try UserKey(token: token) }, floor: floor.tokenDecode)
        try line(
            "Blind index, not normalised", target: 1.3,
            { _ = try index.compute("alice@example.com", column: "email", normalise: false) },
            floor: floor.blindIndex)
        try line(
            "Blind index, normalised", target: nil, { _ = try index.compute("Alice@Example.com ", column: "email") },
            floor: floor.blindIndex)
        let sealer = try SealedJobKey.Sealer(appKey: appKey)
        try line("Sealed job key: seal (Sealer)", target: 1.3, { _ = try sealer.seal(key) }, floor: floor.sealBox)
        try line(
            "Sealed job key: unseal (Sealer)", target: 1.3, { _ = try sealer.unseal(sealed) }, floor: floor.openBox)
        try line(
            "Sealed job key: seal (APP_KEY text each call)", target: nil,
            { _ = try SealedJobKey.seal(key, appKey: appKey) }, floor: floor.sealBox)
        try line(
            "Sealed job key: unseal (APP_KEY text each call)", target: nil,
            { _ = try SealedJobKey.unseal(sealed, appKey: appKey) },
            floor: floor.openBox)
        try line(
            "User value 1 KiB: encrypt", target: 1.3, { _ = try crypt.encryptString(text) }, floor: { try cbc.seal() })
        try line(
            "User value 1 KiB: decrypt", target: 1.3, { _ = try crypt.decryptString(payload) },
            floor: { try cbc.open() })
        try line(
            "User value 1 KiB: makeEncrypter + encrypt", target: nil,
            { _ = try key.makeEncrypter().encryptString(text) },
            floor: { try cbc.seal() })
        try line(
            "UserKey (heap, wiped) vs EncryptionKey (sodium_malloc)", target: nil, { _ = try UserKey(bytes: rawKey) },
            floor: { _ = try EncryptionKey(bytes: rawKey) })
        // Argon2id takes tens of milliseconds by design: fewer, single-call batches.
        let slow = Sampler(batches: min(sampler.batches, 7), budget: 0)
        let passwordBlob = try vault.wrap(key, password: "correct horse")
        try line(
            "Password-wrapped key: wrap (Argon2id 64 MiB)", target: 1.05, sampler: slow,
            { _ = try vault.wrap(key, password: "correct horse") },
            floor: { try floor.passwordHash("correct horse", opsLimit: 2, memLimit: 67_108_864) })
        try line(
            "Password-wrapped key: unwrap (Argon2id 64 MiB)", target: 1.05, sampler: slow,
            { _ = try vault.unwrap(passwordBlob, password: "correct horse") },
            floor: { try floor.passwordHash("correct horse", opsLimit: 2, memLimit: 67_108_864) })
        // The plain-C best case of the whole Laravel payload (base64, JSON, HMAC over the text) for
        // the user-value rows: the primitive floor above leaves the format's own work out.
        CryptoBench.progress("per-user: plain-C reference for the user-value rows")
        if let c = ExternalHarness.c.run(
            ciphers: [Cipher.laravelAES256CBC.rawValue], sizes: [1024], budget: sampler.budget / 2,
            batches: sampler.batches)
        {
            for index in lines.indices where lines[index].name.hasPrefix("User value 1 KiB: ") {
                let op: Operation = lines[index].name.hasSuffix("decrypt") ? .decrypt : .encrypt
                lines[index].cNs = c.results.first { $0.op == op }?.ns_median
            }
        }
        CryptoBench.progress(nil)
        return lines
    }

    static func markdown(_ lines: [Line], machine: Machine) -> String {
        var out = "# crypto-bench --suite per-user\n\n"
        out += "Machine: \(machine.summary).\n\n"
        out +=
            "| Operation | ours | floor | ours / floor | plain C | ours / C | target "
            + "|\n|---|---:|---:|---:|---:|---:|---:|\n"
        for line in lines {
            // User values are held to the plain-C payload when it ran, other rows to their floor.
            let measured = line.cNs.map { line.ours.median / $0 } ?? line.ratio
            let verdict = line.target.map { measured <= $0 ? "≤ \($0) ✓" : "≤ \($0) ✗" } ?? "—"
            let c = line.cNs.map { (format($0), String(format: "%.2f×", line.ours.median / $0)) } ?? ("", "")
            let ratio = String(format: line.ratio < 0.1 ? "%.4f" : "%.2f", line.ratio)
            out += "| \(line.name) | \(format(line.ours.median)) | \(format(line.floor.median)) | \(ratio)× "
            out += "| \(c.0) | \(c.1) | \(verdict) |\n"
        }
        out +=
            "\nMedians of interleaved batches. Floors: the same libsodium calls on preallocated buffers with fixed "
            + "nonces "
        out +=
            "(mode 2: keyed BLAKE2b + XChaCha20-Poly1305; token: sodium_base642bin; blind index: BLAKE2b-128, "
            + "crypto_kdf, "
        out +=
            "BLAKE2b-256; sealed key: secretbox; user value: AES-256-CBC + HMAC-SHA256 via OpenSSL; mode 1: "
            + "crypto_pwhash). "
        out +=
            "Wrapping and sealing floors draw their nonce from the same pool as the package. The user-value rows are "
            + "held to the "
        out +=
            "plain-C best case of the same Laravel payload (Benchmarks/c-reference, `make c-reference`) when it is "
            + "built. "
        out += "The storage line compares a user key's heap buffer with a guarded sodium_malloc key.\n"
        return out
    }

    static func json(_ lines: [Line], machine: Machine) -> String {
        let rows = lines.map { line in
            "{\"operation\": \"\(line.name)\", \"ns_median\": \(Int(line.ours.median)), \"floor_ns\": "
                + "\(Int(line.floor.median)), "
                + "\"ratio\": \(String(format: "%.3f", line.ratio))" + (line.cNs.map { ", \"c_ns\": \(Int($0))" } ?? "")
                + (line.target.map { ", \"target\": \($0)" } ?? "") + "}"
        }
        return "{\"schema\": 1, \"suite\": \"per-user\", \"cpu\": \"\(machine.cpu)\", \"results\": [\n  "
            + rows.joined(separator: ",\n  ") + "\n]}"
    }

    static func format(_ ns: Double) -> String {
        ns >= 1e6 ? String(format: "%.1f ms", ns / 1e6) : String(format: "%.2f µs", ns / 1e3)
    }
}
