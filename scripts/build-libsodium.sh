#!/usr/bin/env bash
# Builds libsodium 1.0.20 as a static, position-independent library into .deps/libsodium, or
# into LIBSODIUM_PREFIX when set (for a package that depends on LaravelCrypto:
#   LIBSODIUM_PREFIX=$PWD/.libsodium bash .build/checkouts/<LaravelCrypto>/scripts/build-libsodium.sh
# then build with PKG_CONFIG_PATH=$PWD/.libsodium/lib/pkgconfig).
#
# The source comes from PyPI: the pynacl sdist (pinned version and sha256 below) ships the
# libsodium source tree in src/libsodium. Idempotent: a second run finds the stamp and exits.
# Prints the PKG_CONFIG_PATH to use.
set -euo pipefail

PYNACL_VERSION=1.6.2
PYNACL_SHA256=018494d6d696ae03c7e656e5e74cdfd8ea1326962cc401bcf018f1ed8436811c
LIBSODIUM_VERSION=1.0.20

root=$(cd "$(dirname "$0")/.." && pwd)
prefix="${LIBSODIUM_PREFIX:-$root/.deps/libsodium}"
stamp="$prefix/.built-$LIBSODIUM_VERSION-pynacl-$PYNACL_VERSION"

fail() { echo "build-libsodium: $*" >&2; exit 1; }

if [ -f "$stamp" ] && [ -f "$prefix/lib/pkgconfig/libsodium.pc" ]; then
    echo "PKG_CONFIG_PATH=$prefix/lib/pkgconfig"
    exit 0
fi

for tool in python3 cc make pkg-config; do
    command -v "$tool" >/dev/null || fail "needs $tool (Debian: apt-get install build-essential pkg-config python3-pip)"
done

work="$prefix.build"
rm -rf "$work" "$prefix"
mkdir -p "$work"
echo "build-libsodium: downloading pynacl $PYNACL_VERSION (libsodium $LIBSODIUM_VERSION source) from PyPI" >&2
printf 'pynacl==%s --hash=sha256:%s\n' "$PYNACL_VERSION" "$PYNACL_SHA256" > "$work/requirements.txt"
python3 -m pip download --quiet --no-deps --no-binary :all: --require-hashes \
    -r "$work/requirements.txt" -d "$work" >&2 \
    || fail "pip could not download pynacl==$PYNACL_VERSION (is PyPI reachable?)"
archive="$work/pynacl-$PYNACL_VERSION.tar.gz"
[ -f "$archive" ] || fail "pip did not leave $archive"
echo "$PYNACL_SHA256  $archive" | sha256sum --check --quiet - || fail "sha256 mismatch for $archive"

tar -xzf "$archive" -C "$work"
src="$work/pynacl-$PYNACL_VERSION/src/libsodium"
[ -x "$src/configure" ] || fail "no libsodium source tree in the pynacl sdist"
grep -q "AC_INIT(\[libsodium\],\[$LIBSODIUM_VERSION\]" "$src/configure.ac" \
    || fail "the pynacl sdist does not carry libsodium $LIBSODIUM_VERSION"

echo "build-libsodium: building libsodium $LIBSODIUM_VERSION (static, PIC) into $prefix" >&2
(
    cd "$src"
    ./configure --quiet --prefix="$prefix" --disable-shared --enable-static --with-pic \
        --disable-dependency-tracking
    make -j"$(nproc 2>/dev/null || echo 2)" --quiet
    make install --quiet
) >"$work/build.log" 2>&1 || { tail -n 30 "$work/build.log" >&2; fail "libsodium build failed (log: $work/build.log)"; }

PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --atleast-version=1.0.19 libsodium \
    || fail "the installed libsodium is older than 1.0.19"
touch "$stamp"
rm -rf "$work"
echo "build-libsodium: done" >&2
echo "PKG_CONFIG_PATH=$prefix/lib/pkgconfig"
