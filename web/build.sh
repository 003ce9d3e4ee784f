#!/usr/bin/env bash
# Builds the SPA into web/dist without trunk: cargo (Debian's rustc-web toolchain, build-std,
# see .cargo/config.toml) -> wasm-bindgen (the exact version of Cargo.lock) -> wasm-opt -Oz
# (release) -> dist/ with index.html, the stylesheet and a small start script (no inline
# script, so the CSP can stay 'self'); every file but index.html gets a content hash in its
# name and precompressed .gz / .br twins.
# Usage: web/build.sh [--dev]
set -euo pipefail
cd "$(dirname "$0")"
profile=release
flag=--release
if [ "${1:-}" = "--dev" ]; then profile=debug; flag=; fi
tools="${FARO_TOOLS:-/var/tmp/faro-tools}/bin"
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="${FARO_WEB_TARGET:-/var/tmp/faro-web-target}"
# A panic in the release app stops it where it is (an `unreachable` trap in the console),
# without the code that formats and prints panic messages.
if [ "$profile" = release ]; then export CARGO_PROFILE_RELEASE_PANIC=immediate-abort; fi
/usr/bin/cargo build $flag --locked
rm -rf dist && mkdir -p dist
"$tools/wasm-bindgen" --target web --no-typescript --out-dir dist --out-name faro \
  "$CARGO_TARGET_DIR/wasm32-unknown-unknown/$profile/faro-web.wasm"
if [ "$profile" = release ]; then
  # -Oz for size; the features rustc 1.96 enables (reference types, bulk memory…) stay on.
  "${FARO_TOOLS:-/var/tmp/faro-tools}/node_modules/.bin/wasm-opt" -Oz --enable-reference-types \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
    --enable-multivalue -o dist/faro_bg.wasm dist/faro_bg.wasm
fi
# Content hashes in the names, so the server can let browsers keep them for a year; index.html
# (never cached) names them.
hash() { sha256sum "$1" | cut -c1-16; }
wasm="faro_bg-$(hash dist/faro_bg.wasm).wasm"
mv dist/faro_bg.wasm "dist/$wasm"
js="faro-$(hash dist/faro.js).js"
mv dist/faro.js "dist/$js"
sed -e "s|\./faro\.js|./$js|" -e "s|init()|init({ module_or_path: \"/$wasm\" })|" start.js > dist/start.js
start="start-$(hash dist/start.js).js"
mv dist/start.js "dist/$start"
css="style-$(hash style.css).css"
cp style.css "dist/$css"
sed -e "s|/start\.js|/$start|" -e "s|/style\.css|/$css|" index.html > dist/index.html
# Precompressed twins, sent to browsers that accept them.
for f in dist/*.js dist/*.wasm dist/*.css; do
  gzip -9 -k -n "$f"
  brotli -q 11 -k "$f"
done
# What the first screen downloads: every file index.html names plus the wasm.
printf '\nfirst screen (raw / gzip / brotli bytes):\n'
total=(0 0 0)
for f in "$start" "$js" "$wasm" "$css"; do
  sizes=($(stat -c %s "dist/$f" "dist/$f.gz" "dist/$f.br"))
  printf '  %-40s %9s %9s %9s\n' "$f" "${sizes[@]}"
  for i in 0 1 2; do total[$i]=$((total[$i] + sizes[$i])); done
done
printf '  %-40s %9s %9s %9s\n' total "${total[@]}"
