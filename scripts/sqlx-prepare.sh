#!/usr/bin/env bash
# Rewrites .sqlx/ (the offline descriptions of every query macro) after a query or migration
# changed, and lints the server side on the way. Commit .sqlx/ with the change.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_rust_tools
ensure_database
export_build_env
lint_and_prepare_queries write
