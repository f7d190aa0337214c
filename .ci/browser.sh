#!/usr/bin/env bash
# The demo site in a real browser: Debian's headless Chromium, driven from node by
# playwright-core (from example-app/browser's lockfile; no browser download), against the
# running example app on a fresh SQLite database, every flow with JavaScript off and on. Also
# checks that the checked-in browser script (example-app/static/js, compiled by tsc from
# example-app/client/site.ts and actions.ts) is what tsc makes of them. Screenshots of the main
# pages go to $SCREENSHOTS (a temporary directory unless set). Runs alone: `bash .ci/browser.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/serve-app.sh

if ! [ -x /usr/bin/chromium ] || ! command -v chromedriver >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
fi
/usr/bin/chromium --version 2>/dev/null | sed -n 1p

work=$(mktemp -d)
server=""
cleanup() {
    if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# The browser script is a build output checked in: it must be what tsc makes of its sources.
client=example-app/client
(cd "$client" && npm ci --no-audit --no-fund --loglevel=error)
"$client/node_modules/.bin/tsc" -p "$client/tsconfig.site.json" --outDir "$work/js"
if ! diff -ru example-app/static/js "$work/js"; then
    echo "error: example-app/static/js is stale: rebuild it (cd $client && node_modules/.bin/tsc -p tsconfig.site.json)" >&2
    exit 1
fi

(cd example-app/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)

cargo build -p example-app --locked
app=$PWD/target/debug/example-app
port=$(free_port)
export DATABASE_URL="sqlite://$work/db.sqlite" BIND=127.0.0.1 PORT="$port" BASE_URL="http://127.0.0.1:$port"
export MAIL_DIR="$work/mail" RUST_LOG=warn
export ADMIN_EMAIL=admin@example.com ADMIN_PASSWORD="browser check admin password"
# Each run signs up and in more often than a person would (the defaults allow 3 per 10 s).
export SIGN_IN_RATE_LIMIT=100/min SIGN_UP_RATE_LIMIT=100/min
"$app" create-admin --email "$ADMIN_EMAIL" >/dev/null
serve_app "$app" "$work"

export SCREENSHOTS="${SCREENSHOTS:-$work/screenshots}"
mkdir -p "$SCREENSHOTS"
timeout 300 node --test --test-concurrency=1 "$@" example-app/browser/site.test.mjs
echo "screenshots: $(ls "$SCREENSHOTS" | tr '\n' ' ')"
