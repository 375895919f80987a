#!/usr/bin/env python3
"""Issue 15: what the seed's dashboard asks of Rekindle. BENCH_USERS clients (default 2,000)
seeded with `rekindle seed`, then `rekindle serve` (sending set up, the outbox mailer) with
RKD_DEFAULT_PAGE_LIMIT and RKD_MAX_PAGE_LIMIT at 10,000, as the README runs it for the seed's
dashboard, until the at-risk clients' emails are sent. Then, over BENCH_REQUESTS (default
100) requests each: a page of 50 emails (its bytes, and the bytes it would weigh with each
email's HTML document, as lists carried them before), the whole email list and the whole
client list as the seed's dashboard loads them (bytes, p50, p99), from this client over
loopback with a kept-alive connection.

Usage: bench/seed_dashboard_bench.py   (after a build; env BUILD, BENCH_USERS, BENCH_REQUESTS)."""
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
os.environ.setdefault("REKINDLE_BIN", os.path.join(ROOT, os.environ.get("BUILD", "build"), "rekindle"))
from harness import Server, wait_for  # noqa: E402

USERS = int(os.environ.get("BENCH_USERS", "2000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "100"))


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def measure(s, label, path):
    s.raw("GET", path)  # warm
    times, size = [], 0
    for _ in range(REQUESTS):
        t = time.perf_counter()
        resp, data = s.raw("GET", path)
        times.append((time.perf_counter() - t) * 1000)
        assert resp.status == 200, (path, data[:200])
        size = len(data)
    print(f"{label}: {size:,} B, p50 {percentile(times, 50):.2f} ms, p99 {percentile(times, 99):.2f} ms",
          flush=True)
    return json.loads(data)


def main():
    s = Server({"RKD_DEFAULT_PAGE_LIMIT": "10000", "RKD_MAX_PAGE_LIMIT": "10000", "RKD_HOLDOUT_SHARE": "0"},
               seed_users=USERS)
    try:
        s.call("POST", "/api/sweep")
        at_risk = s.call("GET", "/api/metrics")[1]["data"]["users"]["atRisk"]

        def sent():
            body = s.call("GET", "/api/emails?status=SENT&limit=1")[1]
            return body["total"] >= at_risk and body["total"]
        total = wait_for(sent, timeout=600, interval=1)
        print(f"{USERS:,} clients, {at_risk:,} at risk, {total:,} emails sent", flush=True)

        page = measure(s, "GET /api/emails?limit=50", "/api/emails?limit=50")
        page_bytes = len(json.dumps(page, separators=(",", ":")))
        html_bytes = sum(len(json.dumps(s.call("GET", f"/api/emails/{e['emailId']}")[1]["data"]["html"]))
                         + len(',"html":') for e in page["data"])
        print(f"  the same 50 with each email's HTML document, as lists carried them before: "
              f"{page_bytes + html_bytes:,} B", flush=True)
        measure(s, "GET /api/emails (the whole list)", "/api/emails")
        measure(s, "GET /api/users (the whole list)", "/api/users")
    finally:
        s.stop()


if __name__ == "__main__":
    main()
