#!/usr/bin/env python3
"""What operating a large store costs (issue 16): BENCH_USERS clients (default 1,000,000)
seeded with `rekindle seed`, BENCH_FAILED of them (default 10,000) given a FAILED email
in the last hour (so /health is degraded and the alerts have a window to count), then
`rekindle api` answers

  - GET /health and GET /api/alerts with wrk (2 threads, 16 connections, 10 s each):
    requests/s, p50 and p99, as a balancer and many open dashboards would poll them;
  - the snapshot's own read (one indexed count and the newest failure, plus the queues),
    timed as the first request after the 5-second snapshot expired (BENCH_REFRESHES
    samples, default 5);

and `rekindle backup` copies the store, idle and then under a steady write load (3
threads posting clients), timed; the copy is checked and restored into a fresh folder
that `rekindle api` serves.

Usage: bench/ops_bench.py (after a build; env BUILD, BENCH_USERS, BENCH_FAILED,
BENCH_DB = an already seeded SQLite file, used as it is)."""
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
os.environ.setdefault("REKINDLE_BIN", os.path.join(ROOT, os.environ.get("BUILD", "build"), "rekindle"))
from harness import Server, run_cli  # noqa: E402

USERS = int(os.environ.get("BENCH_USERS", "1000000"))
FAILED = int(os.environ.get("BENCH_FAILED", "10000"))
REFRESHES = int(os.environ.get("BENCH_REFRESHES", "5"))


def wrk(url, path):
    out = subprocess.run(["wrk", "-t2", "-c16", "-d10s", "--latency", url + path],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.M))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    assert not non2xx, out
    return f"{rps:,.0f} requests/s, p50 {lat['50']}, p99 {lat['99']}"


def add_failures(db, n):
    now = int(time.time() * 1000)
    with sqlite3.connect(db) as c:
        c.execute(
            "INSERT INTO emails (email_id, user_id, subject, content, html, generated_at, engagement_score_at_time, "
            "status, writer, sent_at, error, created_at, trigger_id) "
            "SELECT 'bench-failed-' || user_id, user_id, 's', 'c', 'h', ?1, 50, 'FAILED', 'template', NULL, "
            "'550 5.1.1 user unknown', ?1 - (abs(random()) % 3000000), 'bench-' || user_id "
            "FROM users WHERE user_id NOT IN (SELECT user_id FROM emails) LIMIT ?2", (now, n))


def main():
    data = tempfile.mkdtemp(prefix="rkd-obench-")
    db = os.environ.get("BENCH_DB") or os.path.join(data, "rekindle.db")
    env = {"RKD_DATABASE_URL": "sqlite:" + db, "RKD_BUS_URL": "sqlite:" + os.path.join(data, "bus.db"),
           "RKD_UNSUBSCRIBE_SECRET": "bench"}  # the seeded failures are emails: no key file to make
    try:
        if not os.environ.get("BENCH_DB"):
            t = time.time()
            code, _, err = run_cli("seed", "--users", str(USERS), env=env, timeout=3600)
            assert code == 0, err
            print(f"seed: {USERS:,} clients in {time.time() - t:.0f} s")
            add_failures(db, FAILED)
        print(f"store: {os.path.getsize(db) / 1e6:,.0f} MB")

        s = Server(env, command="api")
        try:
            url = f"http://127.0.0.1:{s.port}"
            _, h = s.call("GET", "/health")
            _, a = s.call("GET", "/api/alerts")
            print(f"/health: {h['data']['status']}, failedDeliveries {a['data']['failedDeliveries']:,}")
            print(f"GET /health (wrk): {wrk(url, '/health')}")
            print(f"GET /api/alerts (wrk): {wrk(url, '/api/alerts')}")
            refresh = []
            for _ in range(REFRESHES):
                time.sleep(5.1)  # the snapshot has expired: this request reads
                t = time.perf_counter()
                s.call("GET", "/api/alerts")
                refresh.append((time.perf_counter() - t) * 1000)
            print(f"the snapshot's read (first request after 5 s): {', '.join(f'{x:.1f}' for x in refresh)} ms")

            backup = os.path.join(data, "backup.db")
            t = time.perf_counter()
            code, out, err = run_cli("backup", backup, env=s.env, timeout=3600)
            assert code == 0, err
            idle = json.loads(out.strip().splitlines()[-1])
            print(f"backup, idle: {time.perf_counter() - t:.1f} s ({idle['seconds']:.1f} s copying "
                  f"{idle['bytes'] / 1e6:,.0f} MB)")

            stop = threading.Event()
            written = [0]

            def load(n):
                i = 0
                while not stop.is_set():
                    status, _ = s.call("POST", "/api/users", {"email": f"bench{n}-{i}@example.com", "name": "B"})
                    written[0] += status == 201
                    i += 1

            threads = [threading.Thread(target=load, args=(n,)) for n in range(3)]
            for th in threads:
                th.start()
            time.sleep(2)
            before = written[0]
            print(f"writes before the backup: {before / 2:,.0f}/s")
            t = time.perf_counter()
            code, out, err = run_cli("backup", backup, env=s.env, timeout=3600)
            took = time.perf_counter() - t
            during = written[0] - before
            stop.set()
            for th in threads:
                th.join()
            assert code == 0, err
            print(f"backup under load: {took:.1f} s, while {during:,} clients were written "
                  f"({during / took:,.0f}/s)")
        finally:
            s.stop()

        restored = os.path.join(data, "restored")
        os.makedirs(restored)
        shutil.copy(backup, os.path.join(restored, "rekindle.db"))
        with sqlite3.connect(os.path.join(restored, "rekindle.db")) as c:
            users = c.execute("SELECT count(*) FROM users").fetchone()[0]
        r = Server({"RKD_DATABASE_URL": "sqlite:" + os.path.join(restored, "rekindle.db"),
                    "RKD_UNSUBSCRIBE_SECRET": "bench"}, command="api")
        try:
            _, m = r.call("GET", "/api/metrics")
            assert m["data"]["users"]["total"] == users
            print(f"restored: {users:,} clients, served")
        finally:
            r.stop()
    finally:
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
