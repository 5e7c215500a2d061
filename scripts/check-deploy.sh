#!/usr/bin/env bash
# Checks the deployment files offline with their own tools: Prometheus's scrape configuration and
# alert rules with promtool (from Debian's prometheus package, unpacked under target/ without
# installing the server). Run by scripts/test.sh.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

tools="$ROOT/target/deploy-tools"
promtool="$tools/usr/bin/promtool"
if [ ! -x "$promtool" ]; then
  say "fetching promtool (Debian's prometheus package, unpacked under target/)"
  mkdir -p "$tools/deb"
  (cd "$tools/deb" && apt-get download prometheus >/dev/null 2>&1) \
    || { as_root apt-get update -qq && (cd "$tools/deb" && apt-get download prometheus >/dev/null 2>&1); } \
    || die "could not download Debian's prometheus package (for promtool)"
  dpkg -x "$tools"/deb/prometheus_*.deb "$tools"
fi

# the scrape configuration reads its bearer token from a file beside it: check a copy with a
# stand-in token, never a real one
check="$(mktemp -d)"
trap 'rm -rf "$check"' EXIT
cp deploy/prometheus/*.yml "$check/"
sed -i "s|credentials_file: /etc/prometheus/metrics-token|credentials_file: $check/metrics-token|" "$check/prometheus.yml"
head -c 32 /dev/urandom | base64 > "$check/metrics-token"
"$promtool" check config "$check/prometheus.yml"
"$promtool" check rules deploy/prometheus/alerts.yml
say "Prometheus configuration and rules are valid"
