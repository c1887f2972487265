#!/usr/bin/env bash
# libFuzzer over every decoder (Sources/laravel-crypto-fuzz). Usage:
#   scripts/fuzz.sh SECONDS [TARGET...]      each target for SECONDS (all targets by default)
# Environment: FUZZ_JOBS targets at a time (default: the number of cores), FUZZ_RUNS to stop each
# target after that many executions instead, FUZZ_MAX_LEN the longest input tried (default 65536;
# a long run of php-json keeps its pace with 4096, since its inputs otherwise grow toward 48 KB).
# The corpus grows in .build-fuzz/corpus/<target>;
# a crashing input is saved to Fuzz/regressions/<target>/ (commit it: `make test` replays it).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:?usage: scripts/fuzz.sh SECONDS [TARGET...]}
shift
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(base64 compact-payload laravel-envelope cookie php-unserialize php-json dotenv key-text migration user-key file-stream)
fi
binary=.build-fuzz/release/laravel-crypto-fuzz
# The libsodium `make deps` built (AEGIS), also when this script is run directly.
if [ -f .deps/libsodium/lib/pkgconfig/libsodium.pc ]; then
    export PKG_CONFIG_PATH="$PWD/.deps/libsodium/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
fi
swift build -c release --product laravel-crypto-fuzz --scratch-path .build-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -parse-as-library ${SWIFT_FLAGS:-} >&2

run_one() {
    local target=$1 corpus=.build-fuzz/corpus/$1 seeds=.build-fuzz/seeds/$1 log=.build-fuzz/logs/$1.log
    mkdir -p "$corpus" "Fuzz/regressions/$target" .build-fuzz/logs
    FUZZ_TARGET=$target FUZZ_SEEDS_DIR=$seeds "$binary" >/dev/null 2>&1
    local limit=(-max_total_time="$seconds")
    if [ -n "${FUZZ_RUNS:-}" ]; then limit=(-runs="$FUZZ_RUNS"); fi
    if FUZZ_TARGET=$target ASAN_OPTIONS=detect_leaks=0 "$binary" "$corpus" "$seeds" "${limit[@]}" \
        -max_len="${FUZZ_MAX_LEN:-65536}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="Fuzz/regressions/$target/" >"$log" 2>&1; then
        local runs rate corpus_size
        runs=$(grep -a -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
        rate=$(grep -a -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
        corpus_size=$(find "$corpus" -type f | wc -l)
        printf '%-18s %12s executions  %7s/s  %6s corpus inputs  ok\n' "$target" "$runs" "$rate" "$corpus_size"
    else
        printf '%-18s FAILED — see %s and Fuzz/regressions/%s/\n' "$target" "$log" "$target"
        tail -40 "$log" >&2
        return 1
    fi
}
export -f run_one
export seconds binary
printf '%s\n' "${targets[@]}" | xargs -P "${FUZZ_JOBS:-$(nproc)}" -I{} bash -c 'run_one {}'
