#!/usr/bin/env bash
# OpenTelemetry end to end: the example app built with the `otel` feature, pointed by
# OTEL_EXPORTER_OTLP_ENDPOINT at a stand-in collector (.ci/otel_collector.py, which keeps what
# is POSTed to /v1/traces as protobuf), serves one action and is stopped with SIGTERM; the
# spans it flushed on the way out must name the service, the action span and the action.
# Runs alone: `bash .ci/otel.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/serve-app.sh

cargo build -p example-app --features actions-runtime/otel --locked
app=$PWD/target/debug/example-app

work=$(mktemp -d)
server="" collector=""
cleanup() {
    for pid in $server $collector; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

otlp_port=$(free_port)
python3 .ci/otel_collector.py "$otlp_port" "$work/spans.bin" &
collector=$!
for _ in $(seq 50); do
    curl -s -o /dev/null "http://127.0.0.1:$otlp_port/" && break
    sleep 0.1
done

port=$(free_port)
export DATABASE_URL="sqlite://$work/db.sqlite" BIND=127.0.0.1 PORT="$port" BASE_URL="http://127.0.0.1:$port"
export OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$otlp_port" RUST_LOG=info
serve_app "$app" "$work"
answer=$(curl -sf -X POST "$BASE_URL/_actions/post.list" -H 'content-type: application/json' -d '{}')
case "$answer" in *'"items"'*) ;; *) echo "error: post.list answered $answer" >&2; exit 1 ;; esac
# SIGTERM: the app drains, then drops the exporter's guard, which flushes the batch.
kill -TERM "$server"
wait "$server" || { echo "error: the app did not stop cleanly"; cat "$work/server.log"; exit 1; }
server=""

python3 - "$work/spans.bin" <<'PY'
import sys
spans = open(sys.argv[1], "rb").read() if __import__("os").path.exists(sys.argv[1]) else b""
# Protobuf keeps strings as their bytes: each must appear in what was exported.
wanted = [b"example-app", b"actions-runtime", b"action", b"post.list", b"request", b"/_actions/post.list"]
missing = [w.decode() for w in wanted if w not in spans]
print(f"otel: {len(spans)} bytes of OTLP spans received")
if missing:
    sys.exit(f"error: the exported spans lack {missing}")
PY
