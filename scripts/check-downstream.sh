#!/usr/bin/env bash
# Builds and runs a throw-away package that depends on this checkout by `.package(path:)`, as a
# user's own package would, against the system libsodium (PKG_CONFIG_PATH unset: Debian 12 has
# 1.0.18, no AEGIS): every other cipher must work, and AEGIS must fail with the message that
# tells that user what to do, naming the libsodium it found. This is also the check that the
# package keeps building on Debian's libsodium (it compiles only the library, as a user does).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
name=$(basename "$root")   # SwiftPM names a path dependency after its folder
system_sodium=$(env -u PKG_CONFIG_PATH pkg-config --modversion libsodium)
scratch=$(mktemp -d /tmp/laravel-crypto-downstream.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/Sources/Downstream"
cat >"$scratch/Package.swift" <<SWIFT
// swift-tools-version: 6.0
import PackageDescription
let package = Package(
    name: "Downstream",
    dependencies: [.package(path: "$root")],
    targets: [.executableTarget(name: "Downstream", dependencies: [.product(name: "LaravelCrypto", package: "$name")])]
)
SWIFT
cat >"$scratch/Sources/Downstream/main.swift" <<'SWIFT'
import Foundation
import LaravelCrypto

let systemSodium = ProcessInfo.processInfo.environment["SYSTEM_SODIUM"] ?? "unknown"
let systemHasAEGIS = systemSodium.split(separator: ".").compactMap { Int($0) }.lexicographicallyPrecedes([1, 0, 19]) == false

for cipher in [Cipher.laravelAES256CBC, .laravelAES128GCM, .xChaCha20Poly1305, .secretBox] {
    let encrypter = try cipher.makeEncrypter(keyRing: KeyRing(current: try EncryptionKey.generate(for: cipher)))
    guard try encrypter.decryptString(try encrypter.encryptString("from a downstream package")) == "from a downstream package" else {
        fatalError("\(cipher.rawValue) did not round-trip")
    }
    print("\(cipher.rawValue): ok")
}
do {
    let aegis = try Cipher.aegis256.makeEncrypter(keyRing: KeyRing(current: try EncryptionKey.generate(for: .aegis256)))
    guard systemHasAEGIS else { fatalError("libsodium \(systemSodium) has no AEGIS, yet Sodium_AEGIS256GCM was accepted") }
    guard try aegis.decryptString(try aegis.encryptString("aegis")) == "aegis" else {
        fatalError("Sodium_AEGIS256GCM did not round-trip")
    }
    print("Sodium_AEGIS256GCM: ok (libsodium \(systemSodium) has AEGIS)")
} catch {
    let message = "\(error)"
    guard !systemHasAEGIS, message.contains("\(systemSodium) is linked"), message.contains("scripts/build-libsodium.sh"),
          message.contains("PKG_CONFIG_PATH"), message.contains("every other cipher works"), !message.contains("make deps") else {
        fatalError("the AEGIS error does not tell a downstream user what to do: \(message)")
    }
    print("Sodium_AEGIS256GCM: refused as expected: \(message)")
}
SWIFT
env -u PKG_CONFIG_PATH swift build --package-path "$scratch" ${SWIFT_FLAGS:-} >&2
SYSTEM_SODIUM="$system_sodium" env -u PKG_CONFIG_PATH swift run --skip-build --package-path "$scratch" Downstream
echo "check-downstream: a package depending on LaravelCrypto by path builds and runs on the system libsodium $system_sodium"
