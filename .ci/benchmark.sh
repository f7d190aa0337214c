#!/usr/bin/env bash
# The benchmark's smoke pass: every scenario once, briefly, framework and hand-written baseline,
# against PostgreSQL — it proves the benchmark works (every answer has the scenario's status)
# and asserts nothing about speed. The full run is `cargo run --release -p benchmark`
# (docs/performance.md). Runs alone (`bash .ci/benchmark.sh`) or from `.ci/run`.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >/dev/null
fi
wrk --version | sed -n 1p || true

DATABASE_URL="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}" \
    cargo run --quiet --locked -p benchmark -- --smoke
