#!/usr/bin/env bash
# Builds the SPA into web/dist without trunk: cargo (Debian's rustc-web toolchain, build-std,
# see .cargo/config.toml) -> wasm-split-cli (one piece per area, src/areas.rs) -> wasm-bindgen
# (the exact version of Cargo.lock) -> wasm-opt -Oz on every piece (release) -> dist/ with index.html, the stylesheet and a small start script (no inline
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
# Cut the app at its split points (src/areas.rs): the main module, one piece per area and the
# pieces areas share, plus the loader that fetches them (__wasm_split.js). This works on the
# linker's output (the reason for --emit-relocs in .cargo/config.toml), before wasm-bindgen.
split="$CARGO_TARGET_DIR/split-$profile"
rm -rf "$split" && mkdir -p "$split"
"$tools/wasm-split-cli" --target web --out-name faro \
  "$CARGO_TARGET_DIR/wasm32-unknown-unknown/$profile/faro-web.wasm" "$split"
rm -rf dist && mkdir -p dist
# The loader reaches the split-off functions through the function table, which wasm-bindgen
# would otherwise drop from the exports.
"$tools/wasm-bindgen" --target web --no-typescript --keep-lld-exports --no-demangle \
  --out-dir dist --out-name faro "$split/faro.wasm"
cp "$split/__wasm_split.js" dist/
for piece in "$split"/*.wasm; do
  [ "$(basename "$piece")" = faro.wasm ] || cp "$piece" dist/
done
if [ "$profile" = release ]; then
  # -Oz for size; the features rustc 1.96 enables (reference types, bulk memory…) stay on.
  for f in dist/*.wasm; do
    "${FARO_TOOLS:-/var/tmp/faro-tools}/node_modules/.bin/wasm-opt" -Oz --enable-reference-types \
      --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
      --enable-multivalue -o "$f" "$f"
  done
fi
# Content hashes in the names, so the server can let browsers keep them for a year; index.html
# (never cached) names them.
hash() { cat "$@" | sha256sum | cut -c1-16; }
# The loader fetches each piece by its name (next to itself).
for piece in dist/*.wasm; do
  name=$(basename "$piece" .wasm)
  [ "$name" = faro_bg ] && continue
  hashed="$name-$(hash "$piece").wasm"
  mv "$piece" "dist/$hashed"
  sed -i "s|\./$name\.wasm|./$hashed|g" dist/__wasm_split.js
done
wasm="faro_bg-$(hash dist/faro_bg.wasm).wasm"
mv dist/faro_bg.wasm "dist/$wasm"
# faro.js and the loader import each other: the app's name hashes both, the loader's name
# hashes the loader once it names the app.
js="faro-$(hash dist/faro.js dist/__wasm_split.js).js"
sed -i "s|from \"\./faro\.js\"|from \"./$js\"|" dist/__wasm_split.js
loader="__wasm_split-$(hash dist/__wasm_split.js).js"
mv dist/__wasm_split.js "dist/$loader"
# Only the imports: the import object's key stays the module name the wasm asks for.
sed -e "s|from \"\./__wasm_split\.js\"|from \"./$loader\"|" dist/faro.js > "dist/$js"
rm dist/faro.js
grep -q "$loader" "dist/$js" || { echo "build.sh: faro.js does not import the loader" >&2; exit 1; }
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
# What the first screen downloads: every file index.html names, the main wasm and the loader it
# imports (the areas' pieces come after sign-in).
printf '\nfirst screen (raw / gzip / brotli bytes):\n'
total=(0 0 0)
for f in "$start" "$js" "$loader" "$wasm" "$css"; do
  sizes=($(stat -c %s "dist/$f" "dist/$f.gz" "dist/$f.br"))
  printf '  %-40s %9s %9s %9s\n' "$f" "${sizes[@]}"
  for i in 0 1 2; do total[$i]=$((total[$i] + sizes[$i])); done
done
printf '  %-40s %9s %9s %9s\n' total "${total[@]}"
# The areas' pieces, fetched once someone is signed in.
printf '\nafter sign-in (raw / gzip / brotli bytes):\n'
for f in dist/split_*.wasm dist/chunk_*.wasm; do
  [ -e "$f" ] || continue
  f=$(basename "$f")
  sizes=($(stat -c %s "dist/$f" "dist/$f.gz" "dist/$f.br"))
  printf '  %-40s %9s %9s %9s\n' "$f" "${sizes[@]}"
done
