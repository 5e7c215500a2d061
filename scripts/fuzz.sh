#!/usr/bin/env bash
# Every parser of outside input under random input (app/tests/fuzz_parsers.rs): 100,000 cases per
# property unless FUZZ_CASES says otherwise (the test command runs 1,000). Prints each property's
# cases and time; a panic or a broken property fails with the smallest input that shows it.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_rust_tools
ensure_database
export_build_env
export FUZZ_CASES="${FUZZ_CASES:-100000}"
say "fuzzing the parsers: $FUZZ_CASES cases per property"
# the test command's build (same packages and features): nothing is compiled twice
cargo nextest run -p app -p server --features app/ssr -E 'binary(fuzz_parsers)' --no-fail-fast \
  --test-threads 2 --final-status-level pass
