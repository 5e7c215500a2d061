#!/usr/bin/env bash
# Time to render the week view in real Chromium against the release build on a fresh demo database:
# full page load to a hydrated grid, and moving between weeks inside the app. Prints the figures.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_rust_tools
ensure_wasm_opt
ensure_browser
ensure_database
export_build_env
export SQLX_OFFLINE=true
say "building the release site"
env -u RUSTFLAGS cargo leptos build --release --split
DB="mentalspace_render_$$"
URL="${DATABASE_URL%/*}/$DB"
PORT=3101
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  psql "${DATABASE_URL%/*}/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT
DATA_ENCRYPTION_KEY="$(head -c 32 /dev/urandom | base64 | tr -d '\n')"
export DATA_ENCRYPTION_KEY
DATABASE_URL="$URL" ./target/release/server seed --demo >/dev/null
DATABASE_URL="$URL" JWT_SECRET="bench-$(head -c 24 /dev/urandom | base64)" PUBLIC_URL="http://127.0.0.1:$PORT" \
  LEPTOS_SITE_ADDR="127.0.0.1:$PORT" LEPTOS_SITE_ROOT=target/site LEPTOS_ENV=PROD LOGIN_RATE_LIMIT_PER_MINUTE=1000 \
  ./target/release/server serve > target/bench-render-server.log 2>&1 &
server_pid=$!
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 1; done
(cd end2end && E2E_BASE_URL="http://127.0.0.1:$PORT" npx playwright test --config bench.config.ts --reporter=line)
