// swift-tools-version: 6.0
import PackageDescription

/// One set of settings for every target, as in hummingbird.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "LaravelCrypto",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "LaravelCrypto", targets: ["LaravelCrypto"]),
        .executable(name: "crypto-keys", targets: ["crypto-keys"]),
        .executable(name: "crypto-bench", targets: ["crypto-bench"]),
        .executable(name: "crypto-files", targets: ["crypto-files"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
    ],
    targets: [
        // libsodium ≥ 1.0.19 for AEGIS; `make deps` builds one into .deps/libsodium.
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium"),
        // OpenSSL's libcrypto for Laravel's AES-CBC and AES-128-GCM (apt: libssl-dev). Found on the
        // default search paths, not through pkg-config: Debian's libcrypto.pc adds
        // -L/usr/lib/x86_64-linux-gnu ahead of our own libsodium, which would then link the old
        // system libsodium. On macOS, `make` passes Homebrew's openssl@3 paths.
        .systemLibrary(name: "COpenSSL"),
        // Our own vector code (AVX2, chosen at run time): base64 blocks and JSON/UTF-8 scans.
        .target(name: "CVector"),
        .target(
            name: "LaravelCrypto",
            dependencies: ["CSodium", "COpenSSL", "CVector"],
            swiftSettings: swiftSettings
        ),
        // What `crypto-keys` does, as a library the executable and the tests share.
        .target(
            name: "CryptoKeysCore",
            dependencies: ["LaravelCrypto"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "crypto-keys",
            dependencies: [
                "LaravelCrypto",
                "CryptoKeysCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "crypto-files",
            dependencies: [
                "LaravelCrypto",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "crypto-bench",
            dependencies: [
                "LaravelCrypto",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LaravelCryptoTests",
            dependencies: ["LaravelCrypto"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CryptoKeysTests",
            dependencies: ["LaravelCrypto", "CryptoKeysCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PHPInteropTests",
            dependencies: ["LaravelCrypto"],
            swiftSettings: swiftSettings
        ),
    ]
)
