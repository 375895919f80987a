"""Outgoing webhooks (issue 17), two figures (bench/README.md):

1. What the delivery triggers cost the hot path when no endpoint wants an event, and when
   one does: 100,000 emails marked SENT in batches of 100 (as FinishEmails does) on the
   real SQLite schema (sql/sqlite/migrations), without 0017_webhooks.sql, with it and no
   endpoint, and with one endpoint subscribed to email.sent.
2. Deliveries per second through the real binary: `rekindle serve` and a receiver on
   loopback (a raw asyncio HTTP server answering 204), one endpoint subscribed to
   client.unsubscribed, N addresses suppressed at once straight in the store (each row
   fires the trigger as the API's write would); timed from the first write until the
   receiver has every delivery, with the event-to-receipt latency.

    REKINDLE_BIN=build/rekindle python3 bench/webhook_bench.py [--emails 100000] [--deliveries 5000]
"""
import argparse
import asyncio
import glob
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.abspath(os.environ.get("REKINDLE_BIN", os.path.join(ROOT, "build", "rekindle")))


def schema(db, upto=None):
    for f in sorted(glob.glob(os.path.join(ROOT, "sql", "sqlite", "migrations", "*.sql"))):
        if upto and os.path.basename(f) >= upto:
            break
        db.executescript(open(f).read())


def trigger_cost(n):
    rows = []
    for label, upto, endpoint in [("no 0017 (before)", "0017", False), ("0017, no endpoint", None, False),
                                  ("0017, one endpoint on email.sent", None, True)]:
        with tempfile.TemporaryDirectory() as d:
            db = sqlite3.connect(os.path.join(d, "s.db"), isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA cache_size=-16000")  # the store's (sqlite_conn.cc)
            schema(db, upto)
            if endpoint:
                db.execute("INSERT INTO webhook_endpoints VALUES ('wh_1', 'https://x.example/', 'whsec_x', "
                           "',email.sent,', '', 0, NULL)")
            db.execute("BEGIN")
            db.executemany("INSERT INTO emails (email_id, user_id, subject, content, html, generated_at, "
                           "engagement_score_at_time, status, writer, created_at) "
                           "VALUES (?, ?, 'Subject', 'text', '<p>html</p>', 0, 10, 'GENERATED', 'template', 0)",
                           ((f"e{i:07d}", f"u{i:07d}") for i in range(n)))
            db.execute("COMMIT")
            t = time.perf_counter()
            for start in range(0, n, 100):
                db.execute("BEGIN")
                db.executemany("UPDATE emails SET status = 'SENT', sent_at = ?, error = '' WHERE email_id = ?",
                               ((1_764_000_000_000 + i, f"e{i:07d}") for i in range(start, min(n, start + 100))))
                db.execute("COMMIT")
            secs = time.perf_counter() - t
            written = db.execute("SELECT count(*) FROM webhook_deliveries").fetchone()[0] if not upto else 0
            rows.append((label, secs, n / secs, written))
            db.close()
    return rows


class Receiver:
    """HTTP/1.1 keep-alive on loopback; records (webhook-id, event timestamp, receipt time)."""

    def __init__(self):
        self.got = {}
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        threading.Thread(target=self._run, daemon=True).start()
        self.ready.wait()

    def _run(self):
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(asyncio.start_server(self._serve, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self.ready.set()
        self.loop.run_forever()

    async def _serve(self, reader, writer):
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                headers = {}
                for line in head.decode("latin-1").split("\r\n")[1:]:
                    if ":" in line:
                        k, v = line.split(":", 1)
                        headers[k.strip().lower()] = v.strip()
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                event = json.loads(body)
                self.got.setdefault(headers["webhook-id"], (event["timestamp"], time.time()))
                writer.write(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()


def delivery_rate(n):
    from datetime import datetime
    receiver = Receiver()
    d = tempfile.mkdtemp(prefix="rkd-webhook-bench-")
    env = dict(os.environ, RKD_DATABASE_URL="sqlite:" + os.path.join(d, "rekindle.db"), RKD_HTTP_ADDR="127.0.0.1:0",
               RKD_WEBHOOK_ALLOW_INTERNAL="true")
    proc = subprocess.Popen([BIN, "api"], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            cwd=d)
    try:
        port = None
        for line in proc.stdout:
            entry = json.loads(line)
            if entry.get("msg") == "listening":
                port = entry["port"]
                break
        # The log keeps flowing: drain it so the server never blocks on a full pipe.
        threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
        req = urllib.request.Request(f"http://127.0.0.1:{port}/api/webhooks", method="POST",
                                     data=json.dumps({"url": f"http://127.0.0.1:{receiver.port}/in",
                                                      "events": ["client.unsubscribed"]}).encode(),
                                     headers={"Content-Type": "application/json"})
        assert urllib.request.urlopen(req).status == 201
        db = sqlite3.connect(os.path.join(d, "rekindle.db"), isolation_level=None, timeout=30)
        t0 = time.time()
        now_ms = int(t0 * 1000)
        db.execute("BEGIN IMMEDIATE")
        db.executemany("INSERT INTO suppressions (email, reason, created_at) VALUES (?, 'unsubscribed', ?)",
                       ((f"b{i}@example.com", now_ms) for i in range(n)))
        db.execute("COMMIT")
        while len(receiver.got) < n and time.time() - t0 < 600:
            time.sleep(0.05)
        secs = time.time() - t0
        lat = sorted((got - datetime.fromisoformat(ts.replace("Z", "+00:00")).timestamp()) * 1000
                     for ts, got in receiver.got.values())
        return len(receiver.got), secs, lat
    finally:
        proc.terminate()
        proc.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--emails", type=int, default=100_000)
    ap.add_argument("--deliveries", type=int, default=5_000)
    a = ap.parse_args()
    print(f"{os.cpu_count()} cores; SQLite {sqlite3.sqlite_version}")
    for label, secs, rate, written in trigger_cost(a.emails):
        print(f"{a.emails} emails marked SENT in batches of 100, {label}: {secs:.2f} s ({rate:,.0f}/s), "
              f"{written} deliveries written")
    got, secs, lat = delivery_rate(a.deliveries)
    print(f"{got} of {a.deliveries} deliveries received in {secs:.2f} s ({got / secs:,.0f}/s); event to receipt "
          f"p50 {statistics.median(lat):.0f} ms, p99 {lat[int(len(lat) * 0.99) - 1]:.0f} ms, max {lat[-1]:.0f} ms")


if __name__ == "__main__":
    sys.exit(main())
