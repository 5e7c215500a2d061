#!/usr/bin/env bash
# Runs the app for a person: tools, database, migrations, demo practice, hot reload on :3000.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_rust_tools
ensure_database
ensure_dev_secret
say "building"
cargo leptos build
say "migrating and loading the demo practice"
./target/debug/server seed --demo
cat <<'TXT'

  MentalSpace EHR is starting at http://127.0.0.1:3000

  Demo logins (password for all: demo-password-123)
    admin@demo.test        Administrator
    clinician@demo.test    Clinician
    intern@demo.test       Intern
    supervisor@demo.test   Supervisor
    frontdesk@demo.test    Front desk
    biller@demo.test       Biller

TXT
exec cargo leptos watch
