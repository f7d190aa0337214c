#!/usr/bin/env bash
# The generated TypeScript client (example-app/client/actions.ts), checked by real tools: the
# checked-in file is what the CLI prints; `tsc --strict` accepts the client and its typed uses
# and refuses every `@ts-expect-error` line; `node --test` runs it against the running app.
# Needs Node 20+ and npm (TypeScript comes from the lockfile). Runs alone: `bash .ci/client.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/serve-app.sh
dir=example-app/client

cargo build -p example-app --locked
app=$PWD/target/debug/example-app
if ! diff -u "$dir/actions.ts" <("$app" client --lang ts); then
    echo "error: $dir/actions.ts is stale: regenerate it (EXPECTORATE=overwrite cargo test -p example-app --test e2e client)" >&2
    exit 1
fi

(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
tsc="$PWD/$dir/node_modules/.bin/tsc"
echo "tsc $("$tsc" --version): the client, usage.ts ($(grep -c '^ *// @ts-expect-error' "$dir/usage.ts") @ts-expect-error lines), the tests"
"$tsc" -p "$dir/tsconfig.json"

work=$(mktemp -d)
server=""
cleanup() {
    if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# The example in docs/clients.md compiles against the client as printed (`token` is the reader's).
mkdir -p "$work/docs"
{
    echo "declare const token: string;"
    sed -n '/^```ts$/,/^```$/p' docs/clients.md | sed '/^```/d' | sed "s|from \"./actions\"|from \"$PWD/$dir/actions.js\"|"
} >"$work/docs/example.ts"
printf '{"extends": "%s", "compilerOptions": {"typeRoots": ["%s"]}, "files": ["%s", "%s"]}\n' \
    "$PWD/$dir/tsconfig.json" "$PWD/$dir/node_modules/@types" "$PWD/$dir/actions.ts" \
    "$work/docs/example.ts" >"$work/docs/tsconfig.json"
echo '{"type": "module"}' >"$work/docs/package.json"
echo "tsc: the example of docs/clients.md"
"$tsc" -p "$work/docs/tsconfig.json"

# The clients of the runtime's test registries: every shape the generator meets, compiled.
shapes=actions-runtime/tests/integration/client
# (ES modules, as a bundler reads them: no package.json says so where they are.)
printf '{"extends": "%s", "compilerOptions": {"typeRoots": ["%s"], "module": "ESNext", "moduleResolution": "Bundler"}, "files": ["%s", "%s"]}\n' \
    "$PWD/$dir/tsconfig.json" "$PWD/$dir/node_modules/@types" "$PWD/$shapes/decoding.ts" \
    "$PWD/$shapes/app.ts" >"$work/shapes.json"
echo "tsc: $shapes/*.ts"
"$tsc" -p "$work/shapes.json"

# Node 20 runs JavaScript: compile to a scratch directory, as ES modules.
"$tsc" -p "$dir/tsconfig.json" --noEmit false --outDir "$work/js"
echo '{"type": "module"}' >"$work/js/package.json"

# The app on a fresh SQLite database and a free port, with an admin to read what was sent.
port=$(free_port)
export DATABASE_URL="sqlite://$work/db.sqlite" BIND=127.0.0.1 PORT="$port" BASE_URL="http://127.0.0.1:$port"
export ADMIN_EMAIL=admin@example.com ADMIN_PASSWORD="client check admin password" RUST_LOG=warn
# The suite signs up and in more often than a person would: its limits are set here (the defaults
# allow 3 per 10 s per address).
export SIGN_IN_RATE_LIMIT=100/min SIGN_UP_RATE_LIMIT=100/min
"$app" create-admin --email "$ADMIN_EMAIL" >/dev/null
serve_app "$app" "$work"

ACTIONS_BASE_URL="$BASE_URL" node --test "$work/js/"
