#!/usr/bin/env bash
# Week-view latency and throughput with about a million appointments: seeds a separate database with
# 100,000 clients and the bench clinicians' appointments (once; kept for later runs) and prints the
# figures. Usage: scripts/bench-week.sh
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_database
BENCH_URL="${DATABASE_URL%/*}/mentalspace_bench"
say "building (release)"
cargo build --release -p server --bin server --example bench_week
say "seeding 100000 clients and ~1M appointments into mentalspace_bench (skipped when already there)"
DATABASE_URL="$BENCH_URL" ./target/release/server seed --demo --clients 100000
psql_cmd "$BENCH_URL" -qc "VACUUM ANALYZE appointments" -c "VACUUM ANALYZE appointment_clients" >/dev/null
DATABASE_URL="$BENCH_URL" ./target/release/examples/bench_week
