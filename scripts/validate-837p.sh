#!/usr/bin/env bash
# Validates every stored 837P batch of a database with pyx12 (an independent implementation of the
# X12 005010X222A1 guide, from PyPI): prints each file's verdict and exits non-zero when any file has
# an error. pyx12's exit code is always the same, so its error lines are read instead.
#   scripts/validate-837p.sh [DATABASE_URL]
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
url="${1:-${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/mentalspace}}"
venv="$ROOT/target/pyx12-venv"
if [ ! -x "$venv/bin/x12valid" ]; then
  say "installing pyx12 4.0.0 (PyPI) in target/pyx12-venv"
  python3 -m venv "$venv" && "$venv/bin/pip" install -q pyx12==4.0.0 || die "could not install pyx12"
fi
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
ids="$(psql_cmd "$url" -Atc "SELECT id FROM claim_batches ORDER BY control_number")"
[ -n "$ids" ] || die "no 837P batches in the database to validate"
failed=0
for id in $ids; do
  file="$dir/$id.x12"
  psql_cmd "$url" -Atc "SELECT encode(file, 'base64') FROM claim_batches WHERE id = '$id'" | base64 -d > "$file"
  claims="$(grep -c '^CLM\*' "$file" || true)"
  # pyx12 ends with "<file>: OK" or "<file>: Failure" and logs each problem as an ERROR line
  out="$("$venv/bin/x12valid" "$file" 2>&1 || true)"
  errors="$(grep -E ' ERROR |: Failure$' <<<"$out" || true)"
  grep -q ': OK$' <<<"$out" || [ -n "$errors" ] || errors="no verdict from pyx12: $out"
  if [ -n "$errors" ]; then
    failed=$((failed + 1))
    printf 'batch %s (%s claims): INVALID\n%s\n' "$id" "$claims" "$errors"
  else
    printf 'batch %s (%s claims): valid\n' "$id" "$claims"
  fi
done
[ "$failed" = 0 ] || die "$failed 837P file(s) failed pyx12's validation"
say "every 837P batch passed pyx12's validation"
