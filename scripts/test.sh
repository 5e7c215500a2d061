#!/usr/bin/env bash
# Runs every test: unit, integration on PostgreSQL, HTTP against the real router, and the browser
# tests in Debian Chromium against the real server on a fresh seeded database. Exits non-zero on any failure.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
started=$(date +%s)
ensure_rust_tools
ensure_wasm_opt
ensure_browser
ensure_database
export_build_env
# a one-off build needs no incremental caches (they double the size of target/)
export CARGO_INCREMENTAL=0
report_disk

phase() { say "$1 ($(( $(date +%s) - started )) s in)"; }

phase "lint the server side and check every query against the migrations (.sqlx/ must be current)"
lint_and_prepare_queries check
phase "lint the browser crate (wasm32)"
cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

phase "check the deployment files (promtool)"
./scripts/check-deploy.sh

# one build of app (ssr) and server for both suites; nextest runs the test binaries side by side
phase "unit, PostgreSQL and HTTP tests (app, server)"
cargo nextest run -p app -p server --features app/ssr --test-threads 4 --no-fail-fast

# The browser tests run the production site (size-optimised WASM split per group of pages,
# wasm-opt, minified CSS, hashed names, brotli and gzip beside each file) against the server binary
# the tests above built (components are type-erased in both, so the release WASM hydrates what the
# test build renders): no second server build.
phase "building the release site (WASM, CSS, assets)"
server_bin=./target/debug/server
[ -x "$server_bin" ] || die "$server_bin was not built by the test run"
# (cargo-leptos adds the erased-components flag itself; a RUSTFLAGS of the host must not reach wasm32)
env -u RUSTFLAGS cargo leptos build --release --split --precompress --frontend-only
python3 scripts/check-asset-names.py target/site/pkg mentalspace
# the hashed asset names, which the server reads from beside its binary (removed again on exit)
cp target/release/hash.txt "$(dirname "$server_bin")/hash.txt"

# a fresh database for the browser tests, dropped afterwards
E2E_DB="mentalspace_e2e_$$"
E2E_URL="${DATABASE_URL%/*}/$E2E_DB"
PORT=3100
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -f "$(dirname "$server_bin")/hash.txt"
  psql_cmd "${DATABASE_URL%/*}/postgres" -qc "DROP DATABASE IF EXISTS $E2E_DB WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT

phase "starting the server on a fresh demo database"
# a server left over on the port would answer the readiness check and the tests in place of this one
curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && die "port $PORT is already in use: stop what listens there"
# a throwaway data key: the seed encrypts the demo notes the server then reads
DATA_ENCRYPTION_KEY="$(head -c 32 /dev/urandom | base64 | tr -d '\n')"
export DATA_ENCRYPTION_KEY
DATABASE_URL="$E2E_URL" "$server_bin" seed --demo

phase "validating the demo practice's 837P batches with pyx12 (an independent X12 validator)"
./scripts/validate-837p.sh "$E2E_URL"
DATABASE_URL="$E2E_URL" JWT_SECRET="e2e-secret-$(head -c 24 /dev/urandom | base64)" \
  PUBLIC_URL="http://127.0.0.1:$PORT" LEPTOS_SITE_ADDR="127.0.0.1:$PORT" LEPTOS_SITE_ROOT=target/site \
  LEPTOS_ENV=PROD LOGIN_RATE_LIMIT_PER_MINUTE=1000 "$server_bin" serve > target/e2e-server.log 2>&1 &
server_pid=$!
for _ in $(seq 1 60); do
  curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat target/e2e-server.log; die "the server did not start"; }
  sleep 1
done

phase "browser tests (Playwright, Debian Chromium)"
(cd end2end && E2E_BASE_URL="http://127.0.0.1:$PORT" E2E_DATABASE_URL="$E2E_URL" npx playwright test)

# what the server counted over the browser tests (loopback may read /metrics)
curl -sf "http://127.0.0.1:$PORT/metrics" > target/e2e-metrics.txt \
  || die "the server did not answer /metrics from loopback"
say "/metrics after the browser tests: $(grep -c '^http_requests_total{' target/e2e-metrics.txt) request series; a few lines:"
grep -E '^(mentalspace_build_info|auth_sign_in_failures_total|auth_lockouts_total|audit_events_written_total|db_pool_connections|outbox_due_messages)' target/e2e-metrics.txt >&2 || true

say "all tests passed in $(( $(date +%s) - started )) s"
