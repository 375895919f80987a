#!/usr/bin/env python3
"""Issue 16's client state and lists on a large store: BENCH_USERS clients (default 100,000)
seeded with `rekindle seed`, then `rekindle serve` (sending set up, the outbox mailer, a 10%
holdout) runs until the at-risk clients' first emails are written and sent, 1,000 addresses
are suppressed through the API; then `rekindle api` (nothing changes underneath) answers
BENCH_REQUESTS (default 200) of each request: the per-client timeline of clients with an
email, the email list filtered (status, step, dates, text) with its `total`, the clients
filtered by state with their badges, and the suppression list searched. Prints p50, p99 and
max per request, from this client over loopback with a kept-alive connection.

Usage: bench/client_lists_bench.py   (after a build; env BUILD, BENCH_USERS, BENCH_REQUESTS)."""
import os
import random
import shutil
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
os.environ.setdefault("REKINDLE_BIN", os.path.join(ROOT, os.environ.get("BUILD", "build"), "rekindle"))
from harness import Server, run_cli  # noqa: E402

USERS = int(os.environ.get("BENCH_USERS", "100000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def measure(s, label, paths):
    """`paths`: one path, or a list to cycle through (a different client each time)."""
    paths = paths if isinstance(paths, list) else [paths]
    for p in paths[:3]:
        s.call("GET", p)  # warm
    times, total = [], None
    for i in range(REQUESTS):
        t = time.perf_counter()
        status, body = s.call("GET", paths[i % len(paths)])
        times.append((time.perf_counter() - t) * 1000)
        assert status == 200, (paths[i % len(paths)], body)
        total = body.get("total", total)
    extra = f", total {total:,}" if total is not None else ""
    print(f"{label}: p50 {percentile(times, 50):.2f} ms, p99 {percentile(times, 99):.2f} ms, "
          f"max {max(times):.2f} ms{extra}", flush=True)


def main():
    data = tempfile.mkdtemp(prefix="rkd-lbench-")
    db = os.path.join(data, "rekindle.db")
    env = {"RKD_DATABASE_URL": "sqlite:" + db, "RKD_BUS_URL": "sqlite:" + os.path.join(data, "bus.db"),
           "RKD_OUTBOX_DIR": os.path.join(data, "outbox"), "RKD_HOLDOUT_SHARE": "0.1"}
    try:
        t = time.time()
        code, _, err = run_cli("seed", "--users", str(USERS), env=env, timeout=3600)
        assert code == 0, err
        print(f"seed: {USERS:,} clients in {time.time() - t:.0f} s", flush=True)
        s = Server(env)
        try:
            t = time.time()
            last, stable = -1, 0
            while stable < 5 and time.time() - t < 900:  # until the count of emails stops moving
                time.sleep(2)
                n = s.call("GET", "/api/emails?limit=1")[1]["total"]
                stable = stable + 1 if n == last else 0
                last = n
            print(f"pipeline: {last:,} emails written in {time.time() - t:.0f} s", flush=True)
            _, page = s.call("GET", "/api/users?limit=500&sort=name")
            for u in page["data"][:1000]:
                s.call("POST", "/api/suppressions", {"email": u["email"], "reason": "unsubscribed"})
            for i in range(500):
                s.call("POST", "/api/suppressions", {"email": f"manual{i}@elsewhere.example"})
        finally:
            s.stop()
        s = Server(env, command="api", configure_sending=False)
        try:
            _, emails = s.call("GET", "/api/emails?limit=200")
            with_email = sorted({e["userId"] for e in emails["data"]})
            random.seed(16)
            random.shuffle(with_email)
            sample = emails["data"][0]
            name_part = urllib.parse.quote(sample["userName"].split(" ")[-1])
            day = sample["createdAt"][:10]
            measure(s, "GET /api/users/:id/timeline (a client with an email)",
                    [f"/api/users/{u}/timeline" for u in with_email[:100]])
            measure(s, "GET /api/users/:id (with its state)", [f"/api/users/{u}" for u in with_email[:100]])
            measure(s, "GET /api/emails (first page, total)", "/api/emails")
            measure(s, "GET /api/emails?status=SENT", "/api/emails?status=SENT")
            measure(s, "GET /api/emails?status=FAILED (rare)", "/api/emails?status=FAILED")
            measure(s, "GET /api/emails?step=1", "/api/emails?step=1")
            measure(s, f"GET /api/emails?from={day}&to={day}", f"/api/emails?from={day}&to={day}")
            measure(s, "GET /api/emails?q=<a surname>", f"/api/emails?q={name_part}")
            measure(s, "GET /api/emails?q=<nothing matches>", "/api/emails?q=zzzz-nothing")
            measure(s, "GET /api/users (first page, with states)", "/api/users")
            for state in ("atRisk", "suppressed", "heldOut", "neverOrdered", "lapsed", "inEpisode"):
                measure(s, f"GET /api/users?state={state}", f"/api/users?state={state}")
            measure(s, "GET /api/suppressions (first page, total)", "/api/suppressions")
            measure(s, "GET /api/suppressions?q=elsewhere", "/api/suppressions?q=elsewhere")
        finally:
            s.stop()
    finally:
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
