# LaravelCrypto — everything from a fresh clone:
#   make test    build libsodium 1.0.20 if needed, then build and run every test
#   make bench   build libsodium 1.0.20 if needed, then print the benchmark table
#   make env     print the PKG_CONFIG_PATH export for plain `swift build` / `swift run`

DEPS_PREFIX := $(CURDIR)/.deps/libsodium
SODIUM_PC   := $(DEPS_PREFIX)/lib/pkgconfig/libsodium.pc
export PKG_CONFIG_PATH := $(DEPS_PREFIX)/lib/pkgconfig$(if $(PKG_CONFIG_PATH),:$(PKG_CONFIG_PATH))

# Homebrew keeps OpenSSL off the default search paths.
ifeq ($(shell uname -s),Darwin)
OPENSSL_PREFIX := $(shell brew --prefix openssl@3 2>/dev/null)
SWIFT_FLAGS += -Xcc -I$(OPENSSL_PREFIX)/include -Xlinker -L$(OPENSSL_PREFIX)/lib
C_REFERENCE_FLAGS += -I$(OPENSSL_PREFIX)/include -L$(OPENSSL_PREFIX)/lib
endif

.PHONY: lint fuzz fuzz-long deps test bench c-reference benchmarks env check-sanitizers check-layers check-core-graph check-downstream check-bench-traits check-system-libsodium clean-deps

deps: $(SODIUM_PC)

$(SODIUM_PC): scripts/build-libsodium.sh
	@bash scripts/build-libsodium.sh >/dev/null

# The server integrations (Hummingbird, GRDB, PostgresNIO) are package traits, off for users who do
# not ask for them; `make test` turns them all on so the integration tests and examples build too.
INTEGRATION_TRAITS := --traits Hummingbird,GRDB,PostgresNIO

test: deps check-layers lint
	swift build --build-tests $(INTEGRATION_TRAITS) $(SWIFT_FLAGS)
	swift test --skip-build $(INTEGRATION_TRAITS) $(SWIFT_FLAGS)
	@for snippet in Snippets/*.swift; do \
		name=$$(basename $$snippet .swift); output=$$(.build/debug/$$name) || { echo "$$output"; exit 1; }; \
		echo "snippet $$name: $$(echo "$$output" | tr '\n' ' ')"; done
	.build/debug/laravel-crypto-fuzz replay-all Fuzz/regressions
	$(MAKE) fuzz

# swift format lint (.swift-format; Tests/.swift-format relaxes the safety rules for tests).
lint:
	@bash scripts/lint.sh

# libFuzzer (ASan) over every decoder: FUZZ_SECONDS per target, two targets at a time on two
# cores; `make test` runs this short pass, `make fuzz-long` runs each target for hours. Crashes are
# saved to Fuzz/regressions/<target>/, which `make test` replays.
FUZZ_SECONDS ?= 60
fuzz: deps
	SWIFT_FLAGS="$(SWIFT_FLAGS)" bash scripts/fuzz.sh $(FUZZ_SECONDS)

fuzz-long: deps
	SWIFT_FLAGS="$(SWIFT_FLAGS)" bash scripts/fuzz.sh $${FUZZ_LONG_SECONDS:-14400}

bench: deps c-reference
	swift run -c release $(SWIFT_FLAGS) crypto-bench $(BENCH_ARGS)

# The plain-C best case crypto-bench compares against (Benchmarks/c-reference/reference.c).
C_REFERENCE := .build/c-reference/reference
c-reference: $(C_REFERENCE)

$(C_REFERENCE): Benchmarks/c-reference/reference.c $(SODIUM_PC)
	@mkdir -p $(dir $@)
	$(CC) -O2 -Wall -Wno-deprecated-declarations -D_GNU_SOURCE $< -o $@ \
		$$(pkg-config --cflags libsodium) $(C_REFERENCE_FLAGS) $(DEPS_PREFIX)/lib/libsodium.a -lcrypto

# Time and mallocs per operation with ordo-one/benchmark (a separate package in Benchmarks/).
benchmarks: deps
	cd Benchmarks && swift package --disable-sandbox benchmark $(BENCHMARK_ARGS)

env: deps
	@echo "export PKG_CONFIG_PATH=$(PKG_CONFIG_PATH)"

# The whole suite under ThreadSanitizer (the nonce and OpenSSL context pools are shared between
# threads) and AddressSanitizer (the unsafe buffer code and our AVX2 C), each in its own folder.
# Leak reports are off: the toolchain's Foundation leaks in Data(contentsOf:) used by the tests.
check-sanitizers: deps
	swift build --build-tests --sanitize=thread --scratch-path .build-tsan $(SWIFT_FLAGS)
	TSAN_OPTIONS="halt_on_error=1 suppressions=$(CURDIR)/scripts/tsan-suppressions.txt" swift test --skip-build --sanitize=thread --scratch-path .build-tsan $(SWIFT_FLAGS)
	swift build --build-tests --sanitize=address --scratch-path .build-asan $(SWIFT_FLAGS)
	ASAN_OPTIONS=detect_leaks=0 swift test --skip-build --sanitize=address --scratch-path .build-asan $(SWIFT_FLAGS)

# Only Sources/LaravelCrypto/Sodium and .../OpenSSL may touch the C libraries, and only
# .../SIMD our own vector code.
check-layers:
	@bad=$$( (grep -rlE 'import (CSodium|COpenSSL)' Sources | grep -vE '/Primitives/(Sodium|OpenSSL)/'; \
	          grep -rlE 'import CVector' Sources | grep -vE '/Primitives/SIMD/') || true); \
	if [ -n "$$bad" ]; then echo "C imports outside the thin layer: $$bad"; exit 1; fi

# A package that depends only on LaravelCrypto resolves none of the server packages (the traits are off).
check-core-graph:
	@bash scripts/check-core-graph.sh

# A throw-away package that depends on this checkout by path builds and runs on the system libsodium.
check-downstream:
	SWIFT_FLAGS="$(SWIFT_FLAGS)" bash scripts/check-downstream.sh

# crypto-bench builds with the trait sets its documentation gives: none (`make bench`) and
# GRDB,PostgresNIO (`--suite reencrypt`); `make test` builds only the full set.
check-bench-traits: deps
	swift build --product crypto-bench $(SWIFT_FLAGS)
	swift build --product crypto-bench --traits GRDB,PostgresNIO $(SWIFT_FLAGS)

# Debian 12's libsodium 1.0.18 (no AEGIS) must keep building: the downstream check above builds
# the library on it and checks the AEGIS error names it. Kept as a name for that check.
check-system-libsodium: check-downstream

clean-deps:
	rm -rf .deps
