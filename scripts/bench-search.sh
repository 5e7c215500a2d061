#!/usr/bin/env bash
# Client search latency with a large practice: seeds a separate database with 100,000 clients (once;
# kept for later runs) and prints median and p99 per kind of search. Usage: scripts/bench-search.sh [N]
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
N="${1:-100000}"
ensure_database
BENCH_URL="${DATABASE_URL%/*}/mentalspace_bench"
say "building (release)"
cargo build --release -p server --bin server --example bench_search
say "seeding $N clients into mentalspace_bench (skipped when already there)"
DATABASE_URL="$BENCH_URL" ./target/release/server seed --demo --clients "$N"
psql_cmd "$BENCH_URL" -qc "VACUUM ANALYZE clients" >/dev/null
DATABASE_URL="$BENCH_URL" ./target/release/examples/bench_search
