import Foundation
import LaravelCrypto

/// The machine a run was made on, for the header and the JSON.
struct Machine: Sendable, Codable, Equatable {
    let cpu: String
    let cores: Int
    let libsodium: String
    let openssl: String
    let aesNI: Bool
    let avx2: Bool
    let shaNI: Bool
    let os: String

    enum CodingKeys: String, CodingKey {
        case cpu, cores, libsodium, openssl, os
        case aesNI = "aes_ni"
        case avx2
        case shaNI = "sha_ni"
    }

    static func current() -> Machine {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        func field(_ name: String) -> String? {
            cpuinfo.split(separator: "\n").first { $0.hasPrefix(name) }
                .flatMap { $0.split(separator: ":", maxSplits: 1).last }
                .map { $0.trimmingCharacters(in: .whitespaces) }
        }
        let flags = Set((field("flags") ?? "").split(separator: " ").map(String.init))
        let release = (try? String(contentsOfFile: "/etc/os-release", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("PRETTY_NAME=") }
            .map { $0.dropFirst("PRETTY_NAME=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        return Machine(
            cpu: field("model name") ?? "unknown CPU", cores: ProcessInfo.processInfo.activeProcessorCount,
            libsodium: LinkedLibraries.sodiumVersion, openssl: LinkedLibraries.openSSLVersion,
            aesNI: flags.contains("aes") || LinkedLibraries.hasHardwareAES, avx2: flags.contains("avx2"),
            shaNI: flags.contains("sha_ni"),
            os: release ?? ProcessInfo.processInfo.operatingSystemVersionString)
    }

    /// One line for every report's header: CPU, cores, OS, libsodium, OpenSSL and the CPU features
    /// the fast paths use.
    var summary: String {
        "\(cpu), \(cores) cores, \(os); libsodium \(libsodium), \(openssl); "
            + "AES-NI \(aesNI ? "yes" : "no"), AVX2 \(avx2 ? "yes" : "no"), SHA-NI \(shaNI ? "yes" : "no")"
    }
}
