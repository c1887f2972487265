#!/usr/bin/env bash
# A package that depends only on the LaravelCrypto product must not resolve any server package:
# the Hummingbird, GRDB and PostgresNIO traits are off unless asked for. Resolves (does not build)
# a scratch consumer of this checkout and fails if a server dependency appears in its graph.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
name=$(basename "$root")   # SwiftPM names a path dependency after its folder
scratch=$(mktemp -d /tmp/laravel-crypto-consumer.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/Sources/Consumer"
cat >"$scratch/Package.swift" <<SWIFT
// swift-tools-version: 6.1
import PackageDescription
let package = Package(
    name: "Consumer",
    dependencies: [.package(path: "$root")],
    targets: [.target(name: "Consumer", dependencies: [.product(name: "LaravelCrypto", package: "$name")])]
)
SWIFT
echo 'import LaravelCrypto' >"$scratch/Sources/Consumer/Consumer.swift"
graph=$(swift package --package-path "$scratch" show-dependencies --format flatlist 2>/dev/null)
servers=$(echo "$graph" | grep -iE 'hummingbird|grdb|postgres|swift-nio|async-http' || true)
if [ -n "$servers" ]; then
    echo "check-core-graph: a LaravelCrypto-only consumer resolves server packages:" >&2
    echo "$servers" | sort -u | tr "\n" " " >&2; echo >&2
    exit 1
fi
echo "check-core-graph: a LaravelCrypto-only consumer resolves: $(echo "$graph" | tr '\n' ' ')"
