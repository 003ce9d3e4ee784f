#!/usr/bin/env bash
# Builds the SPA into web/dist without trunk: cargo (Debian's rustc-web toolchain, build-std,
# see .cargo/config.toml) -> wasm-bindgen (the exact version of Cargo.lock) -> wasm-opt -Oz
# (release) -> dist/ with
# index.html and a small start script (no inline script, so the CSP can stay 'self').
# Usage: web/build.sh [--dev]
set -euo pipefail
cd "$(dirname "$0")"
profile=release
flag=--release
if [ "${1:-}" = "--dev" ]; then profile=debug; flag=; fi
tools="${FARO_TOOLS:-/var/tmp/faro-tools}/bin"
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="${FARO_WEB_TARGET:-/var/tmp/faro-web-target}"
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
cp index.html start.js dist/
ls -l dist
