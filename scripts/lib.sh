# Shared set-up for scripts/dev.sh and scripts/test.sh: pinned tools and a database.
# Every step is idempotent: what is already at the right version is skipped.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CARGO_LEPTOS_VERSION="0.3.10"
# sqlx-cli at the version of the sqlx crate in Cargo.lock (read below)
export PATH="$HOME/.cargo/bin:$PATH"
# Builds read the query descriptions in .sqlx/ and never need a database (DATABASE_URL is set
# below for the app and the tests, which would otherwise switch the query macros online).
export SQLX_OFFLINE=true

say() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi
}

# The version of a crate in Cargo.lock.
locked_version() {
  awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

# The wasm-bindgen CLI must match the wasm-bindgen crate in Cargo.lock exactly.
wasm_bindgen_version() {
  locked_version wasm-bindgen
}

ensure_rust_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "$CARGO_LEPTOS_VERSION" ]; then
    say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 18 minutes on 2 cores, once)"
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
  fi
  local sqlx
  sqlx="$(locked_version sqlx)"
  if [ "$(cargo sqlx --version 2>/dev/null | awk '{print $2}')" != "$sqlx" ]; then
    say "installing sqlx-cli $sqlx (about 4 minutes, once)"
    cargo install sqlx-cli --version "$sqlx" --no-default-features --features postgres,rustls --locked
  fi
  if ! cargo nextest --version >/dev/null 2>&1; then
    say "installing cargo-nextest (once)"
    cargo install cargo-nextest --locked
  fi
  local wbg
  wbg="$(wasm_bindgen_version)"
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wbg" ]; then
    say "installing wasm-bindgen-cli $wbg (about 3 minutes, once)"
    # not --locked: one of its locked dependencies is not served by the registry here
    cargo install wasm-bindgen-cli --version "$wbg"
  fi
}

# wasm-opt shrinks the release WASM (cargo-leptos runs the first one on PATH). It comes from npm's
# binaryen (pinned in tools/package.json): Debian's wasm-opt 108 emits a module that fails to load.
ensure_wasm_opt() {
  if [ ! -x "$ROOT/tools/node_modules/.bin/wasm-opt" ]; then
    command -v npm >/dev/null || die "npm is missing: install Node.js 20 and npm."
    say "installing binaryen's wasm-opt (npm ci in tools/)"
    (cd "$ROOT/tools" && npm ci --no-audit --no-fund)
  fi
  export PATH="$ROOT/tools/node_modules/.bin:$PATH"
}

ensure_browser() {
  if [ ! -x /usr/bin/chromium ]; then
    say "installing Chromium from Debian"
    as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium \
      || die "Chromium is missing: install Debian's chromium package (apt-get install chromium)."
  fi
  if [ ! -d "$ROOT/end2end/node_modules/@playwright/test" ]; then
    command -v npm >/dev/null || die "npm is missing: install Node.js 20 and npm."
    say "installing Playwright (npm ci)"
    (cd "$ROOT/end2end" && npm ci --no-audit --no-fund)
  fi
}

pg_bin_dir() {
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
    dirname "$(command -v initdb)"; return 0
  fi
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  [ -n "$d" ] && [ -x "$d/initdb" ] && echo "$d"
}

# Sets DATABASE_URL: the one given, else the server on 127.0.0.1:5432, else a project-local cluster
# under target/ (created and started here), else explains what to install.
ensure_database() {
  if [ -n "${DATABASE_URL:-}" ]; then
    ensure_database_exists
    return 0
  fi
  if pg_answers 127.0.0.1 5432; then
    export DATABASE_URL="postgres://postgres@127.0.0.1:5432/mentalspace"
    ensure_database_exists
    return 0
  fi
  local bin
  bin="$(pg_bin_dir)" || die "No PostgreSQL answers at 127.0.0.1:5432 and none is installed: install Debian's postgresql package (apt-get install postgresql) or set DATABASE_URL."
  local data="$ROOT/target/pgdata" port=55432
  local run=()
  if [ "$(id -u)" = 0 ]; then run=(runuser -u postgres --); fi
  mkdir -p "$ROOT/target"
  if [ ! -f "$data/PG_VERSION" ]; then
    say "creating a project-local PostgreSQL cluster in target/pgdata"
    mkdir -p "$data"
    [ "$(id -u)" = 0 ] && chown postgres "$data"
    "${run[@]}" "$bin/initdb" -D "$data" -U postgres --auth=trust >/dev/null
  fi
  if ! pg_answers 127.0.0.1 "$port"; then
    say "starting the project-local PostgreSQL on port $port"
    "${run[@]}" "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w \
      -o "-p $port -k /tmp -c listen_addresses=127.0.0.1" start >/dev/null
  fi
  export DATABASE_URL="postgres://postgres@127.0.0.1:$port/mentalspace"
  ensure_database_exists
}

pg_answers() {
  if command -v pg_isready >/dev/null; then
    pg_isready -q -h "$1" -p "$2" -t 2
  else
    (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
  fi
}

# psql from PATH or from the installed PostgreSQL's bin directory.
psql_cmd() {
  if command -v psql >/dev/null; then psql "$@"; else "$(pg_bin_dir)/psql" "$@"; fi
}

# Creates the database DATABASE_URL names, when it is missing (sqlx tests connect to it).
ensure_database_exists() {
  local name="${DATABASE_URL##*/}" admin="${DATABASE_URL%/*}/postgres"
  name="${name%%\?*}"
  if [ -z "$(psql_cmd "$admin" -Atqc "SELECT 1 FROM pg_database WHERE datname = '$name'")" ]; then
    say "creating database $name"
    psql_cmd "$admin" -qc "CREATE DATABASE \"$name\"" >/dev/null
  fi
}

# A stable signing secret for development, kept out of git under target/.
ensure_dev_secret() {
  if [ -z "${JWT_SECRET:-}" ]; then
    local f="$ROOT/target/dev-jwt-secret"
    mkdir -p "$ROOT/target"
    [ -s "$f" ] || head -c 48 /dev/urandom | base64 | tr -d '\n/+=' > "$f"
    JWT_SECRET="$(cat "$f")"
    export JWT_SECRET
  fi
  # the key that encrypts clinical notes at rest (base64 of 32 bytes)
  if [ -z "${DATA_ENCRYPTION_KEY:-}" ]; then
    local k="$ROOT/target/dev-data-key"
    [ -s "$k" ] || head -c 32 /dev/urandom | base64 | tr -d '\n' > "$k"
    DATA_ENCRYPTION_KEY="$(cat "$k")"
    export DATA_ENCRYPTION_KEY
    say "using the DEVELOPMENT data key in target/dev-data-key: notes written now are readable by anyone with this checkout. Set DATA_ENCRYPTION_KEY for real data."
  fi
}

# cargo-leptos builds dev code with this flag; tests use it too so they share the compiled crates.
export_build_env() {
  export RUSTFLAGS="${RUSTFLAGS:-} --cfg erase_components"
  export LEPTOS_OUTPUT_NAME=mentalspace
}

# The build trees (tests, wasm check, release) need several GB; say so early instead of failing late.
report_disk() {
  local free_kb
  free_kb="$(df -Pk "$ROOT" | awk 'NR==2 {print $4}')"
  say "free disk at $ROOT: $((free_kb / 1024 / 1024)) GB"
  if [ "$free_kb" -lt $((6 * 1024 * 1024)) ]; then
    say "warning: less than 6 GB free; the build may run out of space (cargo clean in old checkouts frees it)"
  fi
}

# Lints the server side (app with ssr, server, every target) with `-D warnings` and, in the same
# compile, checks every query macro against a fresh database migrated from migrations/, writing what
# the macros learn to target/sqlx-fresh. `check` then fails when the committed .sqlx/ differs (a query
# changed without `scripts/sqlx-prepare.sh`); `write` replaces .sqlx/ with it.
lint_and_prepare_queries() {
  local mode="$1" name="mentalspace_sqlx_$$"
  local admin="${DATABASE_URL%/*}/postgres" url="${DATABASE_URL%/*}/$name" fresh="$ROOT/target/sqlx-fresh"
  psql_cmd "$admin" -qc "CREATE DATABASE $name" >/dev/null
  local status=0
  cargo sqlx migrate run --source "$ROOT/migrations" --database-url "$url" >/dev/null || status=$?
  rm -rf "$fresh" && mkdir -p "$fresh"
  # the macros only run when their crate is compiled again
  touch "$ROOT/app/src/lib.rs" "$ROOT/server/src/lib.rs" "$ROOT/server/src/main.rs"
  [ "$status" = 0 ] && { SQLX_OFFLINE=false DATABASE_URL="$url" SQLX_OFFLINE_DIR="$fresh" \
    cargo clippy -p app -p server --all-targets --features app/ssr -- -D warnings || status=$?; }
  psql_cmd "$admin" -qc "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1 || true
  [ "$status" = 0 ] || die "the lint or the query check failed (above)"
  if [ "$mode" = write ]; then
    rm -rf "$ROOT/.sqlx" && cp -r "$fresh" "$ROOT/.sqlx"
    say "wrote $(ls "$ROOT/.sqlx" | wc -l) query descriptions to .sqlx/"
  elif ! diff -rq "$ROOT/.sqlx" "$fresh" >/dev/null; then
    diff -rq "$ROOT/.sqlx" "$fresh" | head -20 >&2
    die ".sqlx/ is stale: a query changed without its offline data. Run scripts/sqlx-prepare.sh and commit .sqlx/."
  fi
}

# For the browser benches: every tool they need and a database.
prepare_browser_bench() {
  ensure_rust_tools
  ensure_wasm_opt
  ensure_browser
  ensure_database
  export_build_env
}

# For the browser benches: builds the release site and server, seeds a fresh demo database and
# starts the server on port $1 (log in target/$2). Stops the server and drops the database on exit.
start_release_demo_server() {
  local port="$1" log="$ROOT/target/$2"
  say "building the release site and server"
  env -u RUSTFLAGS cargo leptos build --release --split --precompress
  BENCH_DB="mentalspace_bench_site_$$"
  local url="${DATABASE_URL%/*}/$BENCH_DB"
  BENCH_SERVER_PID=""
  trap stop_release_demo_server EXIT
  DATA_ENCRYPTION_KEY="$(head -c 32 /dev/urandom | base64 | tr -d '\n')"
  export DATA_ENCRYPTION_KEY
  DATABASE_URL="$url" "$ROOT/target/release/server" seed --demo >/dev/null
  DATABASE_URL="$url" JWT_SECRET="bench-$(head -c 24 /dev/urandom | base64)" PUBLIC_URL="http://127.0.0.1:$port" \
    LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT="$ROOT/target/site" LEPTOS_ENV=PROD \
    LOGIN_RATE_LIMIT_PER_MINUTE=1000 API_RATE_PER_SECOND=100000 API_RATE_BURST=100000 \
    API_BULK_RATE_PER_SECOND=100000 API_BULK_RATE_BURST=100000 \
    "$ROOT/target/release/server" serve > "$log" 2>&1 &
  BENCH_SERVER_PID=$!
  for _ in $(seq 1 60); do
    curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && return 0
    kill -0 "$BENCH_SERVER_PID" 2>/dev/null || { cat "$log"; die "the server did not start"; }
    sleep 1
  done
  die "the server did not become ready (log: $log)"
}

stop_release_demo_server() {
  [ -n "${BENCH_SERVER_PID:-}" ] && kill "$BENCH_SERVER_PID" 2>/dev/null && wait "$BENCH_SERVER_PID" 2>/dev/null
  psql_cmd "${DATABASE_URL%/*}/postgres" -qc "DROP DATABASE IF EXISTS ${BENCH_DB:-none} WITH (FORCE)" >/dev/null 2>&1 || true
}
