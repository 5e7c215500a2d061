#!/usr/bin/env bash
# Time to render the week view in real Chromium against the release build on a fresh demo database:
# full page load to a hydrated grid, and moving between weeks inside the app. Prints the figures.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
prepare_browser_bench
PORT=3101
start_release_demo_server "$PORT" bench-render-server.log
(cd end2end && E2E_BASE_URL="http://127.0.0.1:$PORT" npx playwright test --config bench.config.ts --reporter=line week-render)
