# Sourced by the CI scripts that drive the running example app (client.sh, auth-client.sh):
# `serve_app APP WORK` starts `APP serve` in the background with the environment already
# exported (DATABASE_URL, PORT, BASE_URL, …), logs to WORK/server.log, sets `server` to its pid
# and waits until it answers; it stops the script with the log if the app exits first.
# `free_port` prints a free TCP port on loopback.
free_port() {
    node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'
}

serve_app() {
    local app=$1 work=$2
    "$app" serve >"$work/server.log" 2>&1 &
    server=$!
    for _ in $(seq 100); do
        curl -sf "$BASE_URL/_actions/schema.json" >/dev/null && break
        kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
        sleep 0.1
    done
    curl -sf "$BASE_URL/_actions/schema.json" >/dev/null
}
