#!/usr/bin/env bash
# Scale-out: the rate-limit stores' tests against Redis, then two example-app nodes on one fresh
# PostgreSQL database behind HAProxy (.ci/cluster.py says what it shows). Installs HAProxy and
# starts Redis if they are missing or down. Runs alone: `bash .ci/cluster.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."
export TEST_POSTGRES_URL="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
export TEST_REDIS_URL="${TEST_REDIS_URL:-redis://127.0.0.1:6379}"

echo "== scale-out: shared rate-limit stores, two nodes behind HAProxy"

missing=()
command -v haproxy >/dev/null || missing+=(haproxy)
command -v redis-server >/dev/null || missing+=(redis-server)
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
haproxy -v | sed -n 1p  # sed reads to the end: `head` may close the pipe early, and pipefail then fails on SIGPIPE (exit 141)
if ! redis-cli -u "$TEST_REDIS_URL" ping >/dev/null 2>&1; then
    redis-server --port 6379 --bind 127.0.0.1 --save '' --appendonly no --daemonize yes >/dev/null
    for _ in $(seq 50); do redis-cli -u "$TEST_REDIS_URL" ping >/dev/null 2>&1 && break; sleep 0.1; done
fi
redis-cli -u "$TEST_REDIS_URL" ping

echo "-- the Redis store (feature redis)"
log=$(mktemp)
cargo test -p actions-runtime --features redis --test integration --locked -- --include-ignored auth::redis:: hooks::redis:: 2>&1 | tee "$log"
if ! grep -q 'test result: ok\. 5 passed' "$log"; then
    echo "error: the Redis store's tests did not all run" >&2
    exit 1
fi

echo "-- two nodes behind HAProxy"
cargo build -p example-app --features redis --locked
python3 .ci/cluster.py target/debug/example-app
