#!/usr/bin/env bash
# Fuzzing (docs/fuzzing.md): builds the libFuzzer targets in fuzz/ with cargo-fuzz (pinned,
# installed when missing) and runs each for FUZZ_SECONDS (45 by default) from its committed
# corpus, printing the executions per target. A crash, a failed property or a timeout fails
# the step; the input that did it is left in fuzz/artifacts/<target>/. cargo-fuzz passes
# nightly-only flags (-Z sanitizer, -C passes); RUSTC_BOOTSTRAP=1 lets this stable compiler take
# them. New inputs the run finds go to a scratch directory, never into the committed corpus.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

CARGO_FUZZ_VERSION=0.13.2
seconds="${FUZZ_SECONDS:-45}"
export RUSTC_BOOTSTRAP=1 CARGO_TERM_COLOR=never

if ! cargo fuzz --version 2>/dev/null | grep -qx "cargo-fuzz $CARGO_FUZZ_VERSION"; then
    cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi

# cargo-fuzz has no `--locked`: check the committed lockfile first, so the build below cannot
# quietly resolve other versions than the ones committed.
cargo metadata --locked --format-version 1 >/dev/null

started=$SECONDS
# Optimised, with AddressSanitizer (cargo-fuzz's default). `--debug-assertions` adds overflow
# checks, at the cost of a second full build: use it for longer runs by hand (docs/fuzzing.md).
cargo fuzz build -O
echo "fuzz targets built in $((SECONDS - started)) s"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failed=0
for target in $(cargo fuzz list); do
    mkdir -p "$scratch/$target" "corpus/$target"
    log="$scratch/$target.log"
    if cargo fuzz run -O "$target" "$scratch/$target" "corpus/$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        >"$log" 2>&1; then
        status=ok
    else
        status=FAILED
        failed=1
        tail -n 60 "$log"
    fi
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    per_second=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    echo "fuzz $target: ${execs:-?} executions in ${seconds} s (${per_second:-?}/s): $status"
done
echo "fuzzing took $((SECONDS - started)) s"
exit "$failed"
