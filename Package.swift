// swift-tools-version: 6.1
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
        // Needs the GRDB and PostgresNIO traits for its drivers (README, "Rotating a live database").
        .executable(name: "crypto-reencrypt", targets: ["crypto-reencrypt"]),
        // Server integrations. Each is empty unless its trait is enabled, and a trait that is off
        // keeps its packages out of resolution and out of the build (README, "Packaging").
        .library(name: "LaravelCryptoHummingbird", targets: ["LaravelCryptoHummingbird"]),
        .library(name: "LaravelCryptoGRDB", targets: ["LaravelCryptoGRDB"]),
        .library(name: "LaravelCryptoPostgres", targets: ["LaravelCryptoPostgres"]),
    ],
    traits: [
        .trait(name: "Hummingbird", description: "Hummingbird 2 middleware: Laravel cookies and per-user keys."),
        .trait(name: "GRDB", description: "Encrypted columns and the user-key store over GRDB (SQLite)."),
        .trait(name: "PostgresNIO", description: "Encrypted columns and the user-key store over PostgresNIO."),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
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
        // libFuzzer targets for every decoder (`make fuzz`); a normal build writes seeds and
        // replays saved inputs. Not a product: nothing a user of the package builds.
        .executableTarget(
            name: "laravel-crypto-fuzz",
            dependencies: ["LaravelCrypto", "CryptoKeysCore"],
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
        // What `crypto-reencrypt` does, as a library the executable and the tests share.
        .target(
            name: "ReencryptCore",
            dependencies: [
                "LaravelCrypto",
                .product(name: "GRDB", package: "GRDB.swift", condition: .when(traits: ["GRDB"])),
                .product(name: "PostgresNIO", package: "postgres-nio", condition: .when(traits: ["PostgresNIO"])),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "crypto-reencrypt",
            dependencies: [
                "LaravelCrypto",
                "ReencryptCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "crypto-bench",
            dependencies: [
                "LaravelCrypto",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // `--suite server` and `--suite reencrypt` only, with the traits on.
                "LaravelCryptoHummingbird",
                "LaravelCryptoGRDB",
                "ReencryptCore",
                .product(name: "Hummingbird", package: "hummingbird", condition: .when(traits: ["Hummingbird"])),
                .product(name: "GRDB", package: "GRDB.swift", condition: .when(traits: ["GRDB"])),
                .product(name: "PostgresNIO", package: "postgres-nio", condition: .when(traits: ["PostgresNIO"])),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LaravelCryptoTests",
            dependencies: ["LaravelCrypto", "LaravelCryptoTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CryptoKeysTests",
            dependencies: ["LaravelCrypto", "CryptoKeysCore", "LaravelCryptoTestSupport"],
            swiftSettings: swiftSettings
        ),
        // What every test target shares: the repository's paths, the one process runner (PHP and
        // Python peers, the built CLIs), hex, the `REQUIRE_*` checks and the Wycheproof loader.
        .target(name: "LaravelCryptoTestSupport", path: "Tests/LaravelCryptoTestSupport", swiftSettings: swiftSettings),
        .testTarget(
            name: "PHPInteropTests",
            dependencies: ["LaravelCrypto", "LaravelCryptoTestSupport"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LaravelCryptoHummingbird",
            dependencies: [
                "LaravelCrypto",
                .product(name: "Hummingbird", package: "hummingbird", condition: .when(traits: ["Hummingbird"])),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LaravelCryptoGRDB",
            dependencies: [
                "LaravelCrypto",
                .product(name: "GRDB", package: "GRDB.swift", condition: .when(traits: ["GRDB"])),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LaravelCryptoPostgres",
            dependencies: [
                "LaravelCrypto",
                .product(name: "PostgresNIO", package: "postgres-nio", condition: .when(traits: ["PostgresNIO"])),
            ],
            swiftSettings: swiftSettings
        ),
        // The integrations against live servers and real Eloquent; built by `make test` with every
        // trait on, and empty (so the sanitizer runs stay on the core) when the traits are off.
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "LaravelCrypto",
                "LaravelCryptoHummingbird",
                "LaravelCryptoGRDB",
                "LaravelCryptoPostgres",
                "ReencryptCore",
                "LaravelCryptoTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird", condition: .when(traits: ["Hummingbird"])),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
