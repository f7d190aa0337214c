#!/usr/bin/env python3
"""Two example-app nodes on one fresh PostgreSQL database behind HAProxy (round robin, health
checks), and what a cluster must get right:

- sign-out through one node is honoured by the other on the next request;
- the sign-in rate limit is shared: N attempts spread over both nodes are limited as N on one,
  with the PostgreSQL store and with the Redis store; with each node's memory they are not
  (the negative control, showing the check can fail);
- an idempotent `account.transfer` retried through the other node replays the first answer
  and moves the money once;
- one node SIGKILLed while clients transfer through the balancer: every transfer a client saw
  committed is in the database exactly once, the sum of balances is unchanged, and every
  client's retries (same Idempotency-Key, same input) settle.

Usage: cluster.py APP_BINARY [--measure SECONDS]. `--measure` also loads one node alone and
two nodes through HAProxy with wrk, and prints the requests per second (docs/deployment.md).
Environment: TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test),
TEST_REDIS_URL (default redis://127.0.0.1:6379). Standard library only.
"""

import base64
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid

PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379")
SIGN_IN_LIMIT = 6
PASSWORD = "correct horse battery staple"


def fail(message):
    raise AssertionError(message)


def check(condition, message):
    if not condition:
        fail(message)
    print(f"  ok: {message}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def psql(url, sql):
    out = subprocess.run(
        ["psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", url, "-c", sql],
        check=True, capture_output=True, text=True)
    return out.stdout.strip()


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body) if self.body else None

    @property
    def node(self):
        return self.headers.get("x-served-by")


def request(port, method, path, body=None, token=None, headers=None, timeout=30):
    """One request on a connection of its own (so the balancer picks a node for each)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        head = {"origin": f"http://127.0.0.1:{port}", "connection": "close"}
        if body is not None:
            head["content-type"] = "application/json"
        if token:
            head["authorization"] = f"Bearer {token}"
        head.update(headers or {})
        conn.request(method, path, body=None if body is None else json.dumps(body), headers=head)
        r = conn.getresponse()
        data = r.read()
        return Response(r.status, {k.lower(): v for k, v in r.getheaders()}, data)
    finally:
        conn.close()


class Cluster:
    """A fresh database, nodes of the app on it, and HAProxy in front."""

    def __init__(self, app, work):
        self.app = app
        self.work = work
        name = f"cluster_{os.getpid()}_{random.randrange(1 << 30)}"
        base, _, _ = PG_URL.rpartition("/")
        self.admin_url = PG_URL
        self.db_name = name
        self.db_url = f"{base}/{name}"
        psql(self.admin_url, f"CREATE DATABASE {name}")
        self.lb_port = free_port()
        self.ports = {"a": free_port(), "b": free_port()}
        self.nodes = {}
        self.haproxy = None
        self.env = dict(os.environ)
        self.env.update({
            "DATABASE_URL": self.db_url,
            "BIND": "127.0.0.1",
            "BASE_URL": f"http://127.0.0.1:{self.lb_port}",
            "TRUSTED_PROXIES": "127.0.0.1",
            "SIGN_IN_RATE_LIMIT": f"{SIGN_IN_LIMIT}/min",
            "SIGN_UP_RATE_LIMIT": "off",
            # Two nodes × 10 connections, well under PostgreSQL's max_connections.
            "DATABASE_POOL_SIZE": "10",
            "RUST_LOG": "warn",
            # One key for every node's signed and private cookies.
            "COOKIE_KEY": base64.b64encode(os.urandom(64)).decode(),
        })
        # Migrate once, before either node starts (two nodes migrating at once would race).
        subprocess.run([app, "migrate"], env=self.env, check=True)

    def start(self, store, names=("a", "b")):
        for name in names:
            env = dict(self.env, PORT=str(self.ports[name]), RATE_LIMIT_STORE=store)
            log = open(os.path.join(self.work, f"node-{name}.log"), "a")
            self.nodes[name] = subprocess.Popen([self.app, "serve"], env=env, stdout=log, stderr=log)
        for name in names:
            self.wait_ready(self.ports[name], self.nodes[name])
        if self.haproxy is None:
            self.start_haproxy()
        self.wait_balanced(names)

    def wait_ready(self, port, process):
        for _ in range(300):
            if process.poll() is not None:
                fail(f"a node exited with {process.returncode}: see {self.work}")
            try:
                if request(port, "GET", "/_actions/schema.json", timeout=2).status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        fail(f"a node did not answer on port {port}")

    def start_haproxy(self):
        config = os.path.join(self.work, "haproxy.cfg")
        servers = "\n".join(
            f"    server {name} 127.0.0.1:{port} check inter 300ms fall 2 rise 1"
            for name, port in self.ports.items())
        with open(config, "w") as f:
            f.write(f"""global
    maxconn 1024
defaults
    mode http
    timeout connect 1s
    timeout client 30s
    timeout server 30s
    # A connection a stopped node refused is tried again on the other one.
    retries 3
    option redispatch
    option forwardfor
frontend app
    bind 127.0.0.1:{self.lb_port}
    default_backend nodes
backend nodes
    balance roundrobin
    option httpchk GET /_actions/schema.json
    http-check expect status 200
    http-response set-header X-Served-By %s
{servers}
""")
        subprocess.run(["haproxy", "-c", "-q", "-f", config], check=True)
        log = open(os.path.join(self.work, "haproxy.log"), "a")
        self.haproxy = subprocess.Popen(["haproxy", "-db", "-f", config], stdout=log, stderr=log)

    def wait_balanced(self, names):
        """Until the balancer sends requests to every node in `names`."""
        for _ in range(200):
            seen = set()
            for _ in range(2 * len(names)):
                try:
                    r = request(self.lb_port, "GET", "/_actions/schema.json", timeout=2)
                    if r.status == 200:
                        seen.add(r.node)
                except OSError:
                    pass
            if seen >= set(names):
                return
            time.sleep(0.1)
        fail("the balancer did not reach every node")

    def stop_nodes(self):
        for process in self.nodes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for name, process in self.nodes.items():
            try:
                code = process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                fail(f"node {name} did not stop within 10 s of SIGTERM")
            if code not in (0, -signal.SIGKILL):
                fail(f"node {name} exited with {code} on SIGTERM: see {self.work}")
        self.nodes = {}

    def close(self):
        self.stop_nodes()
        if self.haproxy:
            self.haproxy.terminate()
            self.haproxy.wait()
        psql(self.admin_url, f"DROP DATABASE IF EXISTS {self.db_name} WITH (FORCE)")

    def sql(self, query):
        return psql(self.db_url, query)

    def post(self, path, body, token=None, headers=None, port=None):
        return request(port or self.lb_port, "POST", path, body, token, headers)


def sign_up(cluster, name):
    email = f"{name}-{uuid.uuid4().hex[:8]}@example.com"
    r = cluster.post("/api/auth/sign-up/email", {"name": name, "email": email, "password": PASSWORD})
    if r.status != 200:
        fail(f"sign-up: {r.status} {r.body!r}")
    return email, r.json()["token"]


def open_account(cluster, token, deposit):
    r = cluster.post("/_actions/account.open", {"name": "cluster", "initialDeposit": deposit}, token)
    if r.status != 200:
        fail(f"account.open: {r.status} {r.body!r}")
    return r.json()["id"]


def until_other_node(cluster, send, other_than):
    """Sends until a node other than `other_than` answers (round robin: at once)."""
    for _ in range(10):
        r = send()
        if r.node != other_than:
            return r
    fail(f"every answer came from node {other_than}")


def sign_out_everywhere(cluster):
    print("== sign-out through one node, honoured by the other", flush=True)
    _, token = sign_up(cluster, "ada")
    get = lambda: request(cluster.lb_port, "GET", "/api/auth/get-session", token=token)
    served = {get().node, get().node}
    check(served == {"a", "b"}, f"the session is live on both nodes (served by {sorted(served)})")
    out = cluster.post("/api/auth/sign-out", None, token, headers={"content-type": "application/json"})
    check(out.status == 200, f"signed out through node {out.node}")
    after = until_other_node(cluster, get, out.node)
    check(after.status == 200 and after.json() is None,
          f"node {after.node}'s next answer: no session")
    action = until_other_node(
        cluster, lambda: cluster.post("/_actions/account.open", {"name": "x", "initialDeposit": 1}, token),
        out.node)
    check(action.status == 401, f"node {action.node} refuses the token on an action (401)")


def sign_in_limit(cluster, store, shared):
    print(f"== sign-in rate limit with RATE_LIMIT_STORE={store}: "
          f"{'shared' if shared else 'per node (control)'}", flush=True)
    # A client address of this run's own (through the trusted balancer), so reruns and other
    # scenarios never share its budget.
    ip = f"198.18.{random.randrange(256)}.{random.randrange(1, 255)}"
    attempt = lambda i: cluster.post(
        "/api/auth/sign-in/email", {"email": f"nobody{i}@example.com", "password": "wrong horse"},
        headers={"x-forwarded-for": ip})
    answers = [attempt(i) for i in range(SIGN_IN_LIMIT)]
    statuses = [r.status for r in answers]
    nodes = sorted({r.node for r in answers})
    check(statuses == [401] * SIGN_IN_LIMIT and nodes == ["a", "b"],
          f"{SIGN_IN_LIMIT} attempts answered 401, spread over nodes {nodes}")
    extra = [attempt(SIGN_IN_LIMIT + i) for i in range(2)]
    if shared:
        check(all(r.status == 429 and r.headers.get("retry-after") for r in extra),
              f"attempt {SIGN_IN_LIMIT + 1} is refused (429, Retry-After) on both nodes "
              f"({sorted(r.node for r in extra)})")
    else:
        check([r.status for r in extra] == [401, 401],
              f"with each node's memory, attempt {SIGN_IN_LIMIT + 1} gets through (the limit is "
              "counted per node: what the shared stores prevent)")


def transfer(cluster, token, key, body):
    return cluster.post("/_actions/account.transfer", body, token, headers={"idempotency-key": key})


def idempotent_retry_elsewhere(cluster):
    print("== an idempotent transfer retried through the other node", flush=True)
    _, token = sign_up(cluster, "bea")
    source, target = open_account(cluster, token, 1000), open_account(cluster, token, 0)
    key, body = str(uuid.uuid4()), {"from": source, "to": target, "amount": 250}
    first = transfer(cluster, token, key, body)
    check(first.status == 200, f"the transfer through node {first.node}: {first.body.decode()}")
    again = until_other_node(cluster, lambda: transfer(cluster, token, key, body), first.node)
    check(again.status == 200 and again.headers.get("idempotent-replayed") == "true"
          and again.body == first.body,
          f"node {again.node} replays the first answer byte for byte (Idempotent-Replayed)")
    balances = cluster.sql(f"SELECT balance FROM accounts WHERE id IN ({source}, {target}) ORDER BY id")
    check(balances.split() == ["750", "250"], "the money moved once (750 / 250)")
    other = transfer(cluster, token, key, dict(body, amount=1))
    check(other.status == 422, f"the key with another input is refused (422, node {other.node})")


def stop_mid_load(cluster, how, clients=6, transfers=25):
    """Stops node a with SIGKILL (`how == "kill"`) or SIGTERM (`"term"`: it drains) once a third
    of the clients' transfers are done."""
    verb = {"kill": "SIGKILLed", "term": "sent SIGTERM (draining)"}[how]
    print(f"== node a {verb} while {clients} clients transfer through the balancer", flush=True)
    users = []
    for i in range(clients):
        _, token = sign_up(cluster, f"client{i}")
        users.append((token, open_account(cluster, token, 10_000)))
    accounts = [account for _, account in users]
    total_before = int(cluster.sql("SELECT sum(balance) FROM accounts"))
    ledger_before = int(cluster.sql("SELECT count(*) FROM transfers"))
    settled = {}  # key -> (status, body)
    retries = [0]
    replayed = [0]
    done = [0]
    lock = threading.Lock()
    errors = []

    def client(index):
        token, account = users[index]
        rng = random.Random(index)
        for _ in range(transfers):
            key = str(uuid.uuid4())
            body = {"from": account, "to": rng.choice([a for a in accounts if a != account]),
                    "amount": rng.randrange(1, 60)}
            deadline = time.time() + 60
            while True:
                try:
                    r = transfer(cluster, token, key, body)
                    if r.status in (200, 422):
                        with lock:
                            replayed[0] += r.headers.get("idempotent-replayed") == "true"
                            settled[key] = (r.status, r.body, token, body)
                            done[0] += 1
                        break
                    if r.status not in (409, 502, 503, 504):
                        errors.append(f"{key}: unexpected {r.status} {r.body!r}")
                        return
                except OSError:
                    pass
                with lock:
                    retries[0] += 1
                if time.time() > deadline:
                    errors.append(f"{key}: did not settle within 60 s")
                    return
                time.sleep(0.05)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    total = clients * transfers
    while done[0] < total // 3 and any(t.is_alive() for t in threads):
        time.sleep(0.01)
    at_stop = done[0]
    node = cluster.nodes.pop("a")
    if how == "kill":
        node.kill()
    else:
        node.send_signal(signal.SIGTERM)
    code = node.wait(timeout=30)
    for t in threads:
        t.join()
    check(not errors, f"every client's transfers settled ({'; '.join(errors[:3]) or 'no errors'})")
    check(0 < at_stop < total, f"node a stopped mid-load, after {at_stop} of {total} transfers "
          f"({retries[0]} retries, {replayed[0]} answers replayed)")
    if how == "term":
        check(code == 0, "the drained node exited cleanly (0)")
        check(retries[0] == 0, "no client saw an error while it drained: in-flight requests "
              "finished, new ones went to the other node")
    ok = {key for key, (status, *_) in settled.items() if status == 200}
    check(len(settled) == total, f"{len(settled)} keys settled: {len(ok)} transfers, "
          f"{total - len(ok)} refused for funds")
    ledger = int(cluster.sql("SELECT count(*) FROM transfers")) - ledger_before
    check(ledger == len(ok), f"the ledger holds exactly the {len(ok)} transfers clients saw "
          f"committed (found {ledger}): none lost, none twice")
    stored = int(cluster.sql(
        "SELECT count(*) FROM action_idempotency_keys WHERE action = 'account.transfer' AND status = 200 "
        f"AND idempotency_key IN ({','.join(repr(k) for k in ok)})"))
    check(stored == len(ok), f"each committed transfer's response is stored under its key ({stored})")
    total_after = int(cluster.sql("SELECT sum(balance) FROM accounts"))
    check(total_after == total_before, f"the sum of balances is unchanged ({total_after})")
    sample = random.Random(7).sample(sorted(ok), min(5, len(ok)))
    replays = [transfer(cluster, settled[k][2], k, settled[k][3]) for k in sample]
    check(all(r.status == 200 and r.headers.get("idempotent-replayed") == "true"
              and r.body == settled[k][1] for r, k in zip(replays, sample)),
          f"retrying {len(sample)} settled keys on the survivor replays their first answers")


def measure(cluster, seconds):
    """Requests per second of `post.list` (a public read) and `account.get` (a signed-in read)
    on one node alone, and on two nodes through HAProxy."""
    print("== throughput (wrk; both nodes, HAProxy and wrk share this machine's cores)", flush=True)
    _, token = sign_up(cluster, "reader")
    account = open_account(cluster, token, 1)
    for i in range(20):
        cluster.post("/_actions/post.create", {"title": f"Post {i}", "body": "text " * 40}, token)
    lua = os.path.join(cluster.work, "post.lua")
    results = {}
    for name, body, auth in [("post.list", '{"limit": 10}', None),
                             ("account.get", json.dumps({"id": account}), token)]:
        with open(lua, "w") as f:
            f.write('wrk.method = "POST"\n')
            f.write(f"wrk.body = '{body}'\n")
            f.write('wrk.headers["content-type"] = "application/json"\n')
            if auth:
                f.write(f'wrk.headers["authorization"] = "Bearer {auth}"\n')
        for target, port in [("one node", cluster.ports["b"]), ("two nodes + HAProxy", cluster.lb_port)]:
            out = subprocess.run(
                ["wrk", "-t2", "-c32", f"-d{seconds}s", "-s", lua, f"http://127.0.0.1:{port}/_actions/{name}"],
                check=True, capture_output=True, text=True).stdout
            rps = next(float(line.split()[1]) for line in out.splitlines() if line.startswith("Requests/sec"))
            non2xx = [line for line in out.splitlines() if "Non-2xx" in line]
            if non2xx:
                fail(f"{name} via {target}: {non2xx[0]}")
            results[(name, target)] = rps
            print(f"  {name:<12} {target:<20} {rps:>9.0f} requests/s", flush=True)
    return results


def main():
    args = sys.argv[1:]
    if not args:
        fail(__doc__)
    app = os.path.abspath(args[0])
    seconds = int(args[args.index("--measure") + 1]) if "--measure" in args else None
    work = tempfile.mkdtemp(prefix="cluster-")
    cluster = Cluster(app, work)
    try:
        cluster.start("postgres")
        sign_out_everywhere(cluster)
        sign_in_limit(cluster, "postgres", shared=True)
        idempotent_retry_elsewhere(cluster)
        if seconds:
            measure(cluster, seconds)
        stop_mid_load(cluster, "term")
        cluster.start("postgres", names=("a",))
        stop_mid_load(cluster, "kill")
        cluster.stop_nodes()
        cluster.start(REDIS_URL)
        sign_in_limit(cluster, "redis", shared=True)
        cluster.stop_nodes()
        cluster.start("memory")
        sign_in_limit(cluster, "memory", shared=False)
        print("== cluster: ok", flush=True)
    except BaseException:
        print(f"logs: {work}", file=sys.stderr)
        raise
    finally:
        cluster.close()


if __name__ == "__main__":
    main()
