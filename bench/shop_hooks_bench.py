#!/usr/bin/env python3
"""Issue 17's shop webhooks on `rekindle serve` (SQLite, BENCH_USERS clients seeded, default
100,000; the pipeline's workers idle):

1. accepted: wrk (2 threads, 32 connections, 15 s) POSTs signed Shopify customers/create
   deliveries to /hooks/shopify, each under a fresh event id: verified, parsed, recorded and
   answered (requests/s, p50, p99); then how long the applier takes to apply the backlog;
2. end to end: BENCH_ORDERS (default 200) orders/create deliveries, one at a time, each for a
   seeded client: from the request to the client's updated order count and score read back
   through GET /api/users?externalId=… (p50, p99, max).

Usage: bench/shop_hooks_bench.py   (after a build, with wrk; env BUILD, BENCH_USERS, BENCH_ORDERS)."""
import base64
import hashlib
import hmac
import json
import os
import subprocess
import sys
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
os.environ.setdefault("REKINDLE_BIN", os.path.join(ROOT, os.environ.get("BUILD", "build"), "rekindle"))
from harness import Server, store_query, wait_for  # noqa: E402

USERS = int(os.environ.get("BENCH_USERS", "100000"))
ORDERS = int(os.environ.get("BENCH_ORDERS", "200"))
SECRET = "bench-shopify-secret"


def sign(body):
    return base64.b64encode(hmac.new(SECRET.encode(), body, hashlib.sha256).digest()).decode()


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def pending(s):
    return int(store_query(s.env, "SELECT COUNT(*) FROM hook_deliveries WHERE status = 'pending'")[0])


def main():
    s = Server({"RKD_SHOPIFY_WEBHOOK_SECRETS": SECRET, "RKD_WORKERS": "1", "RKD_HTTP_THREADS": "8"},
               seed_users=USERS)
    try:
        body = json.dumps({"id": 777, "email": "bench.hook@example.com", "first_name": "Bench",
                           "last_name": "Hook", "created_at": "2026-01-01T00:00:00Z"})
        env = dict(os.environ, BENCH_HOOK_BODY=body, BENCH_HOOK_SIG=sign(body.encode()))
        out = subprocess.run(["wrk", "-t2", "-c32", "-d15s", "--latency", "-s",
                              os.path.join(ROOT, "bench", "shopify_hook.lua"), f"http://127.0.0.1:{s.port}"],
                             env=env, capture_output=True, text=True, check=True).stdout
        rps = next(line.split()[1] for line in out.splitlines() if line.startswith("Requests/sec"))
        lat = {line.split()[0]: line.split()[1] for line in out.splitlines() if line.strip().startswith(("50%", "99%"))}
        non2xx = [line for line in out.splitlines() if "Non-2xx" in line]
        print(f"accepted: {float(rps):,.0f} deliveries/s, p50 {lat.get('50%')}, p99 {lat.get('99%')}"
              f"{'; ' + non2xx[0].strip() if non2xx else ''}", flush=True)
        backlog = pending(s)
        t = time.time()
        wait_for(lambda: pending(s) == 0, timeout=3600, interval=0.5)
        took = time.time() - t
        print(f"applied: a backlog of {backlog:,} in {took:.1f} s ({backlog / max(took, 1e-9):,.0f}/s)", flush=True)

        # End to end: an order for a seeded client, named by its address (a guest checkout).
        times = []
        users = s.call("GET", f"/api/users?limit={min(ORDERS, 500)}")[1]["data"]
        for i, u in enumerate(users[:ORDERS]):
            customer = 900000 + i
            order = {"id": 5000000 + i, "email": u["email"], "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                     "total_price": "25.00", "financial_status": "paid",
                     "customer": {"id": customer, "email": u["email"], "first_name": "B", "last_name": "H"},
                     "line_items": []}
            raw = json.dumps(order).encode()
            before = u["orderCount"]
            t = time.perf_counter()
            resp, data = s.raw("POST", "/hooks/shopify", raw, {
                "Content-Type": "application/json", "X-Shopify-Topic": "orders/create",
                "X-Shopify-Hmac-Sha256": sign(raw), "X-Shopify-Event-Id": str(uuid.uuid4())})
            assert resp.status == 200, data
            got = wait_for(lambda: (c := s.call("GET", f"/api/users/{u['userId']}")[1]["data"])["orderCount"] > before,
                           timeout=30, interval=0.002)
            assert got, u
            times.append((time.perf_counter() - t) * 1000)
        print(f"end to end (orders/create to the client's new figures and score, {len(times)} orders): "
              f"p50 {percentile(times, 50):.1f} ms, p99 {percentile(times, 99):.1f} ms, max {max(times):.1f} ms",
              flush=True)
    finally:
        s.stop()


if __name__ == "__main__":
    main()
