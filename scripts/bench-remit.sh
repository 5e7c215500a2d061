#!/usr/bin/env bash
# The time to post an 835 of 1,000 claims and the receivables page's aging with 100,000 clients
# owing, through the real services, on a demo database of its own (created once, kept for later
# runs; the first run also makes the 100,000 clients). Usage: scripts/bench-remit.sh
# BENCH_PROFILE=debug uses the unoptimised build the tests leave (an upper bound, no release compile).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_database
BENCH_URL="${DATABASE_URL%/*}/mentalspace_bench_remit"
profile="${BENCH_PROFILE:-release}"
say "building ($profile)"
if [ "$profile" = release ]; then
  cargo build --release -p server --bin server --example bench_remit
  bin=./target/release
else
  export_build_env
  cargo build -p server --features app/ssr --bin server --example bench_remit
  bin=./target/debug
fi
if [ -z "$(psql_cmd "${DATABASE_URL%/*}/postgres" -Atc "SELECT 1 FROM pg_database WHERE datname = 'mentalspace_bench_remit'")" ]; then
  psql_cmd "${DATABASE_URL%/*}/postgres" -qc "CREATE DATABASE mentalspace_bench_remit" >/dev/null
fi
say "seeding the demo practice into mentalspace_bench_remit (skipped when already there)"
DATA_ENCRYPTION_KEY="${DATA_ENCRYPTION_KEY:-$(head -c 32 /dev/urandom | base64 | tr -d '\n')}" \
  DATABASE_URL="$BENCH_URL" "$bin/server" seed --demo >/dev/null
DATABASE_URL="$BENCH_URL" "$bin/examples/bench_remit"
