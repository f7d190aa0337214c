#!/usr/bin/env bash
# Better Auth's official client (`better-auth`, pinned by example-app/auth-client's lockfile)
# against the running example-app, as browsers use it: each with its own cookie jar and Origin.
# The app's development mailer writes to a temporary directory, where the suites read the links.
# Needs Node 20+ and npm. Runs alone: `bash .ci/auth-client.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/serve-app.sh
dir=example-app/auth-client

cargo build -p example-app --locked
app=$PWD/target/debug/example-app
(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)

work=$(mktemp -d)
server=""
cleanup() {
    if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# A fresh SQLite database on a free port. The suites sign in and mail more often than a person
# would, from one address: the limits they need are set here, the defaults stay strict.
port=$(free_port)
export DATABASE_URL="sqlite://$work/db.sqlite" BIND=127.0.0.1 PORT="$port" BASE_URL="http://127.0.0.1:$port"
export MAIL_DIR="$work/mail" RUST_LOG=warn
# The admin of admin.test.mjs, made as an operator makes one.
export ADMIN_EMAIL=admin@example.com ADMIN_PASSWORD="auth client admin password"
"$app" create-admin --email "$ADMIN_EMAIL" >/dev/null
export SIGN_IN_RATE_LIMIT=200/min SIGN_UP_RATE_LIMIT=200/min CHANGE_PASSWORD_RATE_LIMIT=200/min
export MAIL_RATE_LIMIT=200/min MAIL_PER_ADDRESS_LIMIT=20/min CHANGE_EMAIL_RATE_LIMIT=200/min
serve_app "$app" "$work"

(cd "$dir" && AUTH_BASE_URL="$BASE_URL" node --test --test-concurrency=1) \
    || { echo "server log:"; tail -50 "$work/server.log"; exit 1; }
