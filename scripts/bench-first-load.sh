#!/usr/bin/env bash
# Bytes on the wire (compressed, as Chromium received them) for a first visit to the release build
# on a fresh demo database: the sign-in page, signing in and the home page, each other page's first
# visit, and a repeat visit. Prints the figures and the goals (issue: first load ≤ 150 kB).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
prepare_browser_bench
PORT=3102
start_release_demo_server "$PORT" bench-first-load-server.log
say "the built WASM (raw / brotli):"
for f in target/site/pkg/*.wasm; do
  printf '  %-60s %8d / %8d bytes\n' "${f##*/}" "$(stat -c %s "$f")" "$(stat -c %s "$f.br" 2>/dev/null || echo 0)"
done | sort -k4 -n -r | head -8
(cd end2end && E2E_BASE_URL="http://127.0.0.1:$PORT" npx playwright test --config bench.config.ts --reporter=line first-load)
