#!/usr/bin/env python3
"""Delivery and tracking benchmark (issue 7).

1. Emails per second delivered over SMTP to a local server (tests/smtp_sink.py, Debian's
   aiosmtpd) with 1 and 4 pooled connections: BENCH_USERS users (default 3,000, ~30% at
   risk), backlog skipped, one sweep, timed until the queue is drained.
2. Tracking endpoints with wrk (2 threads, 64 connections, 10 s): the open pixel and the
   click redirect of a real email (each request records an event).

Usage: /usr/bin/python3 bench/delivery_bench.py   (after a build; needs wrk)"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))
from harness import Server, run_cli  # noqa: E402
from test_delivery import SmtpServer  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
os.environ.setdefault("REKINDLE_BIN", os.path.join(ROOT, os.environ.get("BUILD", "build"), "rekindle"))
USERS = int(os.environ.get("BENCH_USERS", "3000"))


def drain(s):
    while True:
        q = next(q for q in s.call("GET", "/api/queues")[1]["data"] if q["name"] == "email-processor")
        if q["depth"] == 0 and q["inFlight"] == 0:
            return
        time.sleep(0.1)


def smtp_run(pool):
    smtp = SmtpServer()
    data = tempfile.mkdtemp(prefix="rkd-dbench-")
    env = {"RKD_DATABASE_URL": "sqlite:" + os.path.join(data, "rekindle.db"), "RKD_SWEEP_INTERVAL_S": "31536000",
           "RKD_HOLDOUT_SHARE": "0", "RKD_SMTP_URL": f"smtp://127.0.0.1:{smtp.port}", "RKD_SMTP_POOL": str(pool)}
    os.environ.update(env)
    try:
        assert run_cli("seed", "--users", str(USERS))[0] == 0
        assert run_cli("stream", "--skip-to-end")[0] == 0
        s = Server(env)
        try:
            t0 = time.time()
            queued = s.call("POST", "/api/sweep")[1]["data"]["published"]
            drain(s)
            elapsed = time.time() - t0
            delivered = len([f for f in os.listdir(smtp.dir) if f.endswith(".eml")])
            print(f"SMTP, {pool} connection(s): {delivered} of {queued} delivered in {elapsed:.1f} s "
                  f"= {delivered / elapsed:.0f} emails/s")
            return s, data
        except Exception:
            s.stop()
            raise
    finally:
        smtp.stop()


def wrk(name, url):
    out = subprocess.run(["wrk", "-t2", "-c64", "-d10s", "--latency", url], capture_output=True, text=True).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)
    p50 = re.search(r"\s50%\s+(\S+)", out).group(1)
    p99 = re.search(r"\s99%\s+(\S+)", out).group(1)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    print(f"{name:<24} {float(rps):>10,.0f} req/s   p50 {p50:<8} p99 {p99:<8}"
          + (f" non-2xx/3xx: {non2xx.group(1)}" if non2xx else ""))


def main():
    s, data = smtp_run(1)
    s.stop()
    shutil.rmtree(data, ignore_errors=True)
    s, data = smtp_run(4)
    try:
        _, page = s.call("GET", "/api/emails?limit=1")
        html = page["data"][0]["html"]
        click = re.search(r'href="(http://[^"]+/t/c/[^"]+)"', html).group(1)
        pixel = re.search(r'src="(http://[^"]+/t/o/[^"]+)"', html).group(1)
        base = f"http://127.0.0.1:{s.port}"
        wrk("GET /t/o/TOKEN.gif", base + urllib.parse.urlparse(pixel).path)
        wrk("GET /t/c/TOKEN (302)", base + urllib.parse.urlparse(click).path)
    finally:
        s.stop()
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
