#!/usr/bin/env python3
"""What the dashboard polls, on a large store (issue 18): BENCH_USERS clients (default
1,000,000, ~30% at risk) seeded with `rekindle seed`, then `rekindle api` (no pipeline, so
nothing changes underneath) answers BENCH_REQUESTS (default 200) of each request the
overview page makes and the clients page's at-risk filter; prints p50, p99 and max per
request, measured from this client over loopback with a kept-alive connection.

With BENCH_DB=path an already seeded SQLite file is used as it is (seeding a million
clients takes minutes). Usage: bench/dashboard_bench.py   (after a build; env BUILD,
BENCH_USERS, BENCH_REQUESTS, BENCH_DB)."""
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
os.environ.setdefault("REKINDLE_BIN", os.path.join(ROOT, os.environ.get("BUILD", "build"), "rekindle"))
from harness import Server, run_cli  # noqa: E402

USERS = int(os.environ.get("BENCH_USERS", "1000000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
POLLED = [
    ("overview: GET /api/metrics", "/api/metrics"),
    ("overview: the 8 lowest at-risk scores", "/api/users?limit=8&sort=score&order=asc&atRisk=true"),
    ("clients page, at risk, newest first", "/api/users?atRisk=true"),
    ("GET /api/emails (first page)", "/api/emails"),
]


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    data = tempfile.mkdtemp(prefix="rkd-dbench-")
    db = os.environ.get("BENCH_DB") or os.path.join(data, "rekindle.db")
    env = {"RKD_DATABASE_URL": "sqlite:" + db, "RKD_BUS_URL": "sqlite:" + os.path.join(data, "bus.db")}
    try:
        if not os.environ.get("BENCH_DB"):
            t = time.time()
            code, _, err = run_cli("seed", "--users", str(USERS), env=env, timeout=3600)
            assert code == 0, err
            print(f"seed: {USERS} clients in {time.time() - t:.0f} s")
        s = Server(env, command="api")
        try:
            _, m = s.call("GET", "/api/metrics")
            users = m["data"]["users"]
            print(f"clients: {users['total']}, at risk {users['atRisk']}")
            for label, path in POLLED:
                s.call("GET", path)  # warm: the first read pulls pages into the cache
                times = []
                for _ in range(REQUESTS):
                    t = time.perf_counter()
                    status, _ = s.call("GET", path)
                    times.append((time.perf_counter() - t) * 1000)
                    assert status == 200, path
                print(f"{label}: p50 {percentile(times, 50):.2f} ms, p99 {percentile(times, 99):.2f} ms, "
                      f"max {max(times):.2f} ms over {REQUESTS}")
        finally:
            s.stop()
    finally:
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
