#!/usr/bin/env python3
"""SIGKILL and restart: one example-app process on a fresh database, killed with SIGKILL at
random moments (a seeded generator) while 8 clients send 200 keyed `account.transfer`s, and
started again each time; every client retries each transfer with its Idempotency-Key and the
same input until it is answered. Then:

- every key settled (200, or 422 for want of funds);
- the ledger holds exactly one row per key answered 200 — no transfer lost, none applied twice;
- one success audit event per committed transfer, and one stored response per committed key,
  under that key;
- the sum of balances is unchanged;
- no transaction or in-flight key is left behind (PostgreSQL: no session idle in transaction,
  no advisory lock);
- retrying a sample of settled keys replays their first answers byte for byte.

Usage: crash.py APP_BINARY [postgres|sqlite ...] (default: postgres sqlite).
Environment: TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test), CRASH_SEED
(to replay a run). Standard library only; helpers shared with cluster.py.
"""

import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cluster import PG_URL, PASSWORD, check, fail, free_port, psql, request  # noqa: E402

CLIENTS = 8
TRANSFERS = 25  # per client: 200 keyed requests
DEPOSIT = 300
SETTLE_WITHIN = 120  # seconds, per transfer
KILLS = 8


class Node:
    """One example-app process on a fresh database, killed and started again at will."""

    def __init__(self, app, backend, work):
        self.app, self.backend, self.work = app, backend, work
        self.port = free_port()
        if backend == "postgres":
            self.db_name = f"crash_{os.getpid()}_{random.randrange(1 << 30)}"
            psql(PG_URL, f"CREATE DATABASE {self.db_name}")
            self.db_url = f"{PG_URL.rpartition('/')[0]}/{self.db_name}"
        else:
            self.db_path = os.path.join(work, "crash.sqlite3")
            self.db_url = f"sqlite://{self.db_path}"
        self.env = dict(os.environ, DATABASE_URL=self.db_url, BIND="127.0.0.1",
                        PORT=str(self.port), BASE_URL=f"http://127.0.0.1:{self.port}",
                        SIGN_UP_RATE_LIMIT="off", RUST_LOG="warn", DATABASE_POOL_SIZE="10")
        subprocess.run([app, "migrate"], env=self.env, check=True, capture_output=True)
        self.process = None
        self.kills = 0

    def start(self):
        log = open(os.path.join(self.work, "server.log"), "a")
        self.process = subprocess.Popen([self.app, "serve"], env=self.env, stdout=log, stderr=log)
        for _ in range(300):
            if self.process.poll() is not None:
                fail(f"the app exited with {self.process.returncode}: see {self.work}")
            try:
                if request(self.port, "GET", "/_actions/schema.json", timeout=2).status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        fail("the app did not answer after a restart")

    def kill(self):
        self.process.kill()  # SIGKILL: no drain, no COMMIT, no cleanup
        self.process.wait(timeout=30)
        self.kills += 1

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)
        if self.backend == "postgres":
            psql(PG_URL, f"DROP DATABASE IF EXISTS {self.db_name} WITH (FORCE)")

    def sql(self, query):
        if self.backend == "postgres":
            return psql(self.db_url, query)
        with sqlite3.connect(self.db_path) as conn:
            row = conn.execute(query).fetchone()
            return "" if row is None or row[0] is None else str(row[0])

    def post(self, path, body, token=None, headers=None):
        return request(self.port, "POST", path, body, token, headers)


def crash_while_transferring(app, backend, seed):
    print(f"== {backend}: SIGKILL at random moments during {CLIENTS * TRANSFERS} keyed "
          f"transfers (seed {seed}; replay with CRASH_SEED={seed})", flush=True)
    work = tempfile.mkdtemp(prefix=f"crash-{backend}-")
    node = Node(app, backend, work)
    try:
        node.start()
        users = []
        for i in range(CLIENTS):
            email = f"client{i}-{uuid.uuid4().hex[:8]}@example.com"
            r = node.post("/api/auth/sign-up/email",
                          {"name": f"client{i}", "email": email, "password": PASSWORD})
            if r.status != 200:
                fail(f"sign-up: {r.status} {r.body!r}")
            token = r.json()["token"]
            r = node.post("/_actions/account.open", {"name": "crash", "initialDeposit": DEPOSIT}, token)
            if r.status != 200:
                fail(f"account.open: {r.status} {r.body!r}")
            users.append((token, r.json()["id"]))
        accounts = [account for _, account in users]
        total_before = int(node.sql("SELECT sum(balance) FROM accounts"))
        settled = {}  # key -> (status, body, token, input)
        lock = threading.Lock()
        errors, retries = [], [0]

        def client(index):
            token, account = users[index]
            rng = random.Random(seed * 1000 + index)
            for n in range(TRANSFERS):
                key = f"crash-{index}-{n}-{uuid.uuid4().hex[:8]}"
                body = {"from": account, "to": rng.choice([a for a in accounts if a != account]),
                        "amount": rng.randrange(1, 120)}
                deadline = time.time() + SETTLE_WITHIN
                while True:
                    try:
                        r = node.post("/_actions/account.transfer", body, token,
                                      headers={"idempotency-key": key})
                        if r.status in (200, 422):
                            with lock:
                                settled[key] = (r.status, r.body, token, body)
                            break
                        if r.status not in (409, 500, 502, 503, 504):
                            with lock:
                                errors.append(f"{key}: unexpected {r.status} {r.body!r}")
                            return
                    except OSError:
                        pass  # the process was killed under this request, or is restarting
                    with lock:
                        retries[0] += 1
                    if time.time() > deadline:
                        with lock:
                            errors.append(f"{key}: did not settle within {SETTLE_WITHIN} s")
                        return
                    time.sleep(0.02)

        threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
        for t in threads:
            t.start()
        # The moments: after a random number of settled keys (so the kills land mid-load on a
        # fast backend as on a slow one), plus a random few milliseconds (mid-request).
        killer_rng = random.Random(seed)
        total = CLIENTS * TRANSFERS
        at_kill = []
        for threshold in sorted(killer_rng.sample(range(5, total - 5), KILLS)):
            while len(settled) < threshold and any(t.is_alive() for t in threads):
                time.sleep(0.002)
            if not any(t.is_alive() for t in threads):
                break
            time.sleep(killer_rng.uniform(0, 0.03))
            at_kill.append(len(settled))
            node.kill()
            node.start()
        for t in threads:
            t.join()
        check(not errors, f"every key settled ({'; '.join(errors[:3]) or 'no errors'})")
        check(node.kills >= KILLS // 2, f"the process was SIGKILLed and restarted {node.kills} "
              f"times, after {at_kill} settled keys ({retries[0]} client retries)")
        ok = sorted(key for key, (status, *_) in settled.items() if status == 200)
        check(len(settled) == total, f"{len(settled)} keys settled: {len(ok)} transfers, "
              f"{total - len(ok)} refused for funds")
        ledger = int(node.sql("SELECT count(*) FROM transfers"))
        check(ledger == len(ok), f"the ledger holds exactly the {len(ok)} committed transfers "
              f"(found {ledger}): none lost, none twice")
        audited = int(node.sql("SELECT count(*) FROM action_audit_events "
                               "WHERE action = 'account.transfer' AND outcome = 'success'"))
        check(audited == len(ok), f"one success audit event per committed transfer ({audited})")
        keys = ",".join(f"'{k}'" for k in ok) or "''"
        stored = int(node.sql(
            "SELECT count(*) FROM action_idempotency_keys WHERE action = 'account.transfer' "
            f"AND status = 200 AND idempotency_key IN ({keys})"))
        stored_all = int(node.sql(
            "SELECT count(*) FROM action_idempotency_keys WHERE action = 'account.transfer' "
            "AND status = 200"))
        check(stored == stored_all == len(ok),
              f"each committed transfer's response is stored under its own key, and no other ({stored})")
        total_after = int(node.sql("SELECT sum(balance) FROM accounts"))
        check(total_after == total_before, f"the sum of balances is unchanged ({total_after})")
        if backend == "postgres":
            left = int(psql(PG_URL, "SELECT count(*) FROM pg_stat_activity WHERE datname = "
                                    f"'{node.db_name}' AND state LIKE 'idle in transaction%'"))
            locks = int(psql(PG_URL, "SELECT count(*) FROM pg_locks l JOIN pg_database d ON "
                                     f"d.oid = l.database WHERE d.datname = '{node.db_name}' "
                                     "AND l.locktype = 'advisory'"))
            check(left == 0 and locks == 0, "no transaction and no in-flight key left behind")
        sample = random.Random(seed).sample(ok, min(10, len(ok)))
        replays = [node.post("/_actions/account.transfer", settled[k][3], settled[k][2],
                             headers={"idempotency-key": k}) for k in sample]
        check(all(r.status == 200 and r.headers.get("idempotent-replayed") == "true"
                  and r.body == settled[k][1] for r, k in zip(replays, sample)),
              f"retrying {len(sample)} settled keys after the last restart replays their first answers")
        shutil.rmtree(work, ignore_errors=True)
    except BaseException:
        print(f"logs: {work}", file=sys.stderr)
        raise
    finally:
        node.stop()


def main():
    args = sys.argv[1:]
    if not args:
        fail(__doc__)
    app = os.path.abspath(args[0])
    backends = args[1:] or ["postgres", "sqlite"]
    seed = int(os.environ.get("CRASH_SEED") or random.randrange(1 << 31))
    for backend in backends:
        started = time.time()
        crash_while_transferring(app, backend, seed)
        print(f"== {backend}: ok in {time.time() - started:.1f} s", flush=True)


if __name__ == "__main__":
    main()
