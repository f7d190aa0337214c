#!/usr/bin/env bash
# Instructions per request, framework against baseline, for the public read (`post.get`): the
# release-built benchmark server under `valgrind --tool=callgrind`, 1,000 keep-alive requests to
# each side after a warm-up, counted between `callgrind_control -z` and `-d`. The counts are
# the same on every run, whatever else the machine does (the kernel's work is not counted).
#   bash benchmark/callgrind/count.sh            # logs at RUST_LOG=info, as served by default
#   RUST_LOG=warn bash benchmark/callgrind/count.sh
# The profiles stay in target/callgrind/ for callgrind_annotate (--inclusive=yes).
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v valgrind >/dev/null || { echo "valgrind is needed (apt-get install valgrind)" >&2; exit 1; }
cargo build --release -p benchmark --locked
out=target/callgrind
rm -rf "$out" && mkdir -p "$out"
pg="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
db="callgrind_$$"
psql "$pg" -qc "CREATE DATABASE $db"
port="${PORT:-39557}"
(cd "$out" && RUST_LOG="${RUST_LOG:-info}" SIGN_UP_RATE_LIMIT=off DATABASE_URL="${pg%/*}/$db" PORT="$port" \
    exec valgrind --tool=callgrind ../release/benchmark serve 2>server.log) &
runner=$!
cleanup() {
    pkill -f "callgrind.*benchmark serve" 2>/dev/null || true
    wait "$runner" 2>/dev/null || true
    psql "$pg" -qc "DROP DATABASE IF EXISTS $db" || true
}
trap cleanup EXIT
for _ in $(seq 120); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 1; done
pid=$(pgrep -f "callgrind.*benchmark serve" | sed -n 1p)
python3 benchmark/callgrind/requests.py "$port" 1000 "$pid" /_actions/post.get /baseline/post.get
for profile in "$out"/callgrind.out.*.[12]; do
    what=$(sed -n 's/^desc: Trigger: dump //p' "$profile")
    total=$(sed -n 's/^summary: //p' "$profile")
    echo "$what: $((total / 1000)) instructions per request"
done
