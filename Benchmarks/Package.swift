// swift-tools-version: 6.1
// Time and allocations per encrypt/decrypt for every cipher, tracked with ordo-one/benchmark.
// A package of its own so that users of LaravelCrypto never resolve the benchmark tooling.
// Run from the repository root: `make benchmarks` (or `cd Benchmarks && swift package benchmark`
// with PKG_CONFIG_PATH from `make env`).
import Foundation
import PackageDescription

/// SwiftPM names a path dependency after its folder, which is whatever the clone is called.
let rootPackage = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "LaravelCryptoBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "CipherBenchmarks",
            dependencies: [
                .product(name: "LaravelCrypto", package: rootPackage),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/CipherBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    ]
)
