#!/usr/bin/env bash
# Soak: the README's test command, N times in a row (SOAK_RUNS, default 20), while another
# build keeps both cores busy, to show that no test in the default suite passes or fails by
# luck. Not part of `.ci/run` (it takes well over an hour on 2 cores); run it by hand:
#
#     bash .ci/soak.sh            # 20 runs; SOAK_RUNS=5 for fewer
#
# The competing build is the example app in release mode in a target directory of its own
# (`target/soak-load`), cleaned and rebuilt for as long as the runs last, so it never shares a
# lock with the runs. Each run's output is kept in `target/soak/run-K.log`; the summary, one
# line per run (result, seconds, tests passed, builds finished by the load so far), is printed
# and kept in `target/soak/summary.txt`. Exits 1 if any run failed, naming its failed tests.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never CARGO_INCREMENTAL=0

runs="${SOAK_RUNS:-20}"
logs=target/soak
load_target=target/soak-load
mkdir -p "$logs"
rm -f "$logs"/run-*.log; : >"$logs/load-builds"
summary="$logs/summary.txt"

echo "== building the tests once, before the load starts"
cargo test --workspace --locked --no-run 2>&1 | tail -n 1

echo "== the competing build: example-app --release in $load_target, rebuilt from clean"
setsid bash -c '
    while :; do
        cargo clean --target-dir "$1" --release >/dev/null 2>&1 || true
        if cargo build --release --locked -p example-app --target-dir "$1" >/dev/null 2>&1; then
            echo built >>"$2"
        fi
    done' soak-load "$load_target" "$logs/load-builds" &
load=$!
trap 'kill -- -"$load" 2>/dev/null || true' EXIT
sleep 20 # let the load reach its parallel dependency builds before the first run

{
    echo "soak: $runs runs of 'cargo test --workspace --locked' at $(git rev-parse --short HEAD)"
    echo "machine: $(nproc) cores; load: cargo build --release -p example-app, from clean, looped"
} | tee "$summary"
failed=0
for k in $(seq "$runs"); do
    log="$logs/run-$k.log"
    start=$(date +%s)
    if cargo test --workspace --locked >"$log" 2>&1; then result=pass; else result=FAIL; failed=$((failed + 1)); fi
    secs=$(($(date +%s) - start))
    passed=$(grep -o 'test result: ok\. [0-9]* passed' "$log" | awk '{s += $4} END {print s + 0}')
    builds=$(wc -l <"$logs/load-builds")
    line="run $k/$runs: $result in ${secs}s, $passed tests passed; load builds finished: $builds"
    echo "$line" | tee -a "$summary"
    if [ "$result" = FAIL ]; then
        grep -E '^(test .* FAILED|failures:$|    [a-z_:]+$|error(\[|:))' "$log" | sed -n '1,20s/^/    /p' | tee -a "$summary"
    fi
done
echo "soak: $((runs - failed)) of $runs runs passed" | tee -a "$summary"
[ "$failed" -eq 0 ]
