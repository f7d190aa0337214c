#!/usr/bin/env bash
# OpenAPI: example-app's document checked by an independent validator, then the running app
# fuzzed against it by schemathesis, signed out and signed in: every operation, positive and
# negative cases, every check (`.ci/schemathesis.toml` says which are left out, and why). Fails
# on any 5xx, on any answer the document does not describe, and on any body the schema refuses
# that the server accepts.
# Runs alone (`bash .ci/openapi.sh`) or from `.ci/run`. Both tools, and all they bring, are
# pinned and installed once into a venv under ~/.cache (set OPENAPI_VENV to use another).
set -euo pipefail
cd "$(dirname "$0")/.."

# The tools and every package they need are pinned in .ci/openapi-requirements.txt.
SCHEMATHESIS=$(sed -n 's/^schemathesis==//p' .ci/openapi-requirements.txt)
VALIDATOR=$(sed -n 's/^openapi-spec-validator==//p' .ci/openapi-requirements.txt)
# One worker: schemathesis's workers are threads, and CPython 3.11 keeps the AST converter's
# recursion depth per interpreter, not per thread, so two threads parsing at once (hypothesis
# describing its strategies) can fail with "SystemError: AST constructor recursion depth
# mismatch" (CPython gh-106905). With two workers it failed a CI run in `account.mine`'s
# fuzzing phase; one worker adds about 25 s. 25 cases per operation and run keep the step
# under two minutes.
MAX_EXAMPLES="${OPENAPI_MAX_EXAMPLES:-25}"
python="${OPENAPI_PYTHON:-}"
if [ -z "$python" ]; then
    for candidate in python3.13 python3.12 python3; do
        if "$candidate" -c '' >/dev/null 2>&1; then python=$candidate; break; fi
    done
fi
pyversion=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
venv="${OPENAPI_VENV:-$HOME/.cache/server-actions/openapi-py$pyversion-$(sha256sum .ci/openapi-requirements.txt | cut -c1-12)}"

if ! "$venv/bin/st" --version 2>/dev/null | grep -q "version $SCHEMATHESIS\$"; then
    "$python" -m venv "$venv"
    "$venv/bin/pip" install --quiet --no-deps -r .ci/openapi-requirements.txt
fi

cargo build -p example-app --locked
bin=target/debug/example-app
work=$(mktemp -d)
port="${OPENAPI_PORT:-39170}"
base="http://127.0.0.1:$port"
server=""
cleanup() {
    if [ -n "$server" ]; then
        kill "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

echo "-- openapi-spec-validator $VALIDATOR"
BASE_URL="$base" PORT="$port" "$bin" openapi >"$work/openapi.json"
"$venv/bin/openapi-spec-validator" "$work/openapi.json"

echo "-- example-app on $base"
DATABASE_URL="sqlite://$work/app.sqlite3" BIND=127.0.0.1 PORT="$port" BASE_URL="$base" \
    RUST_LOG="${RUST_LOG:-warn}" "$bin" serve >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 150); do
    curl -sf "$base/_actions/openapi.json" -o /dev/null && break
    sleep 0.2
done
curl -sf "$base/_actions/openapi.json" -o /dev/null || { cat "$work/server.log"; exit 1; }

# A session for the signed-in run, through the account service's own route.
token=$(curl -sf -X POST "$base/api/auth/sign-up/email" -H 'content-type: application/json' \
    -d '{"name":"Fuzz","email":"fuzz@example.test","password":"a long enough password"}' \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')

run() {
    local name=$1 config=$2
    shift 2
    echo "-- schemathesis $SCHEMATHESIS: $name"
    # From the temporary directory: schemathesis keeps its example database and crash files in
    # the working directory, and a run must start from nothing (and leave the repository alone).
    (cd "$work" && "$venv/bin/st" --config-file "$config" run "$base/_actions/openapi.json" --url "$base" \
        --max-examples "$MAX_EXAMPLES" --seed 17 --workers 1 \
        --phases examples,coverage,fuzzing --no-color \
        --report junit --report-junit-path "$work/$name.xml" "$@") \
        || { echo "server log:"; tail -50 "$work/server.log"; return 1; }
    python3 - "$work/$name.xml" <<'EOF'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
tests = sum(int(s.get("tests", 0)) for s in suites)
failures = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
print(f"operations tested: {tests}, failed: {failures}")
EOF
}

# Signed out: every operation; the account service's routes included.
run signed-out "$PWD/.ci/schemathesis.toml"
# Signed in with the bearer token, given as the document's `bearerToken` scheme so the checks
# of authentication know it (a cookie would meet the cross-site guard: schemathesis sends no
# Origin). The routes that end the session are left out, so it lasts the run.
cp .ci/schemathesis.toml "$work/signed-in.toml"
printf '\n[auth.openapi.bearerToken]\nbearer = "${FUZZ_TOKEN}"\n' >>"$work/signed-in.toml"
FUZZ_TOKEN="$token" run signed-in "$work/signed-in.toml" \
    --exclude-path-regex '^/api/auth/(sign-out|revoke-sessions|revoke-session|change-password|change-email|delete-user)$'

if grep -q "request panicked" "$work/server.log"; then
    echo "error: a request panicked" >&2
    grep "request panicked" "$work/server.log" >&2
    exit 1
fi
echo "-- OpenAPI ok"
