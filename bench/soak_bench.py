#!/usr/bin/env python3
"""Store growth under a mixed write load (issue 18): `rekindle serve` (the whole pipeline)
on BENCH_USERS demo clients (default 10,000) takes BENCH_SECONDS (default 60) of wrk's
bench/mixed_writes.lua (7 orders, 2 client changes, 1 new client in every 10 writes; 32
connections); once the pipeline has drained, the store is checkpointed and measured:
its file size, and the change stream's rows and bytes, per million writes.

Run it with the old binary and the new one (BUILD=…) to compare; RKD_CHANGE_RETENTION_HOURS
passes through (0: published records are pruned within the minute).
Usage: bench/soak_bench.py   (after a build; env BUILD, BENCH_USERS, BENCH_SECONDS)."""
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
os.environ.setdefault("REKINDLE_BIN", os.path.join(ROOT, os.environ.get("BUILD", "build"), "rekindle"))
from harness import Server, run_cli  # noqa: E402

USERS = int(os.environ.get("BENCH_USERS", "10000"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "60"))


def store_figures(db):
    """(file bytes after a checkpoint, change rows, change bytes) of the SQLite store."""
    c = sqlite3.connect(db)
    c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    rows, image_bytes = c.execute(
        "SELECT count(*), COALESCE(SUM(length(old_image)) + SUM(length(new_image)), 0) FROM user_changes").fetchone()
    page_size, = c.execute("PRAGMA page_size").fetchone()
    pages, = c.execute("PRAGMA page_count").fetchone()
    free, = c.execute("PRAGMA freelist_count").fetchone()
    c.close()
    return (pages - free) * page_size, rows, image_bytes


def main():
    data = tempfile.mkdtemp(prefix="rkd-soak-")
    db = os.path.join(data, "rekindle.db")
    env = {"RKD_DATABASE_URL": "sqlite:" + db, "RKD_BUS_URL": "sqlite:" + os.path.join(data, "bus.db"),
           "RKD_OUTBOX_DIR": os.path.join(data, "outbox"), "RKD_SWEEP_INTERVAL_S": "31536000",
           "RKD_UNSUBSCRIBE_SECRET": "soak-secret-0123456789abcdef"}
    try:
        code, _, err = run_cli("seed", "--users", str(USERS), env=env, timeout=900)
        assert code == 0, err
        code, _, err = run_cli("stream", "--skip-to-end", env=env)
        assert code == 0, err
        before = store_figures(db)
        s = Server(env)
        try:
            out = subprocess.run(["wrk", "-t2", "-c32", f"-d{SECONDS}s", "-s",
                                  os.path.join(ROOT, "bench", "mixed_writes.lua"), f"http://127.0.0.1:{s.port}"],
                                 capture_output=True, text=True, env=dict(os.environ, BENCH_USERS=str(USERS)),
                                 check=True).stdout
            errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
            requests = int(re.search(r"(\d+) requests in", out).group(1))
            writes = requests - (int(errors.group(1)) if errors else 0)  # only what was written counts
            rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
            deadline = time.time() + 600
            while time.time() < deadline:
                q = next(q for q in s.call("GET", "/api/queues")[1]["data"] if q["name"] == "email-processor")
                if q["depth"] == 0 and q["inFlight"] == 0:
                    break
                time.sleep(0.5)
        finally:
            s.stop()
        after = store_figures(db)
        per_million = 1e6 / writes
        print(f"writes: {writes} in {SECONDS} s ({rate:.0f} requests/s; {requests - writes} refused or failed)")
        print(f"store: {before[0] / 1e6:.1f} MB before, {after[0] / 1e6:.1f} MB after: "
              f"{(after[0] - before[0]) * per_million / 1e6:.0f} MB per million writes")
        print(f"change stream: {after[1] - before[1]} records added ({(after[1] - before[1]) / writes:.2f} per write), "
              f"{(after[2] - before[2]) * per_million / 1e6:.0f} MB of images per million writes; "
              f"{after[1]} records kept")
    finally:
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
