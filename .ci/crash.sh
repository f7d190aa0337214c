#!/usr/bin/env bash
# SIGKILL and restart: the example app killed at random moments during 200 keyed transfers, on
# PostgreSQL and on SQLite (.ci/crash.py says what it checks). Builds the binary as cluster.sh
# does (same features: nothing new to compile after it). Runs alone: `bash .ci/crash.sh`;
# CRASH_SEED=<seed> replays a run.
set -euo pipefail
cd "$(dirname "$0")/.."
export TEST_POSTGRES_URL="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
command -v psql >/dev/null || { echo "error: crash.sh needs psql (postgresql-client)" >&2; exit 1; }
cargo build -p example-app --features redis --locked
timeout 600 python3 .ci/crash.py target/debug/example-app postgres sqlite
