# Faro's tasks. Each recipe is a thin wrapper over the cargo command it names; `just --list`
# shows them. (No `just` yet? `cargo install just --locked`.)

# The portal on http://127.0.0.1:8080: the SPA, the API at /api/v1, docs at /api/docs (SQLite, files, mail outbox and search index in ./faro-data)
run *ARGS: web
    cargo run --release -p faro-api --features embed-web -- {{ARGS}}

# The same, with the Spanish demo loaded (its passwords are public: never on a real database)
demo: web
    cargo run --release -p faro-api --features embed-web -- serve --demo

# Build the single-page app into web/dist (installs the WASM toolchain and wasm-bindgen when missing)
web:
    bash .ci/web-tools
    web/build.sh

# The end-to-end tests: the SPA in Debian's Chromium (installed when missing) at desktop and phone size, against the release binary (the SPA built in)
e2e: web
    bash .ci/browser
    cargo build --release -p faro-api --features embed-web --bin faro
    cd e2e && FARO_BIN="${CARGO_TARGET_DIR:-{{justfile_directory()}}/target}/release/faro" npm test

# Every test: SQLite always; PostgreSQL with FARO_TEST_DATABASE_URL; Chromium at /usr/bin/chromium; then the API fuzz run
test *ARGS:
    cargo test --workspace {{ARGS}}
    @if [ -z "{{ARGS}}" ]; then bash .ci/fuzz-api && just e2e; fi

# Schema-driven fuzzing of the API against its OpenAPI document (schemathesis; installs it when missing)
fuzz EXAMPLES="100":
    bash .ci/fuzz-api {{EXAMPLES}}

# Regenerate openapi/openapi.json from the code (a test fails while it differs)
openapi:
    cargo run -q -p faro-api -- openapi > openapi/openapi.json

# What CI runs (formatting, lints, every test on both databases and in Chromium)
ci:
    bash .ci/run

# Format the code
fmt:
    cargo fmt --all

# The lints CI runs (the SPA's with the wasm toolchain's own clippy)
lint:
    cargo fmt --all -- --check
    cd web && cargo fmt -- --check
    cargo clippy --workspace --all-targets -- -D warnings
    bash .ci/web-tools
    cd web && PATH="/usr/bin:$PATH" CARGO_TARGET_DIR="${FARO_WEB_TARGET:-/var/tmp/faro-web-target}" /usr/bin/cargo clippy --locked -- -D warnings

# Benchmarks (docs/benchmarks.md), e.g. `just bench api` or `just bench incidents`
bench *ARGS:
    cargo run --release -p faro-bench -- {{ARGS}}

# Bring the database schema up to date (FARO_DATABASE_URL, default ./faro-data/faro.db) and exit
migrate:
    cargo run --release -p faro-api -- migrate
