#!/usr/bin/env python3
"""LLM pipeline benchmark (issue 4): throughput independent of the model's latency.
BENCH_USERS users (default 2,000, ~30% at risk), the backlog skipped, one sweep through
`rekindle serve` with the openai writer against tests/fake_openai.py answering after
BENCH_LATENCY_MS (default 500 ms); prints emails/s, the writer of each email and the
most requests the fake server saw in flight at once.

Usage: python3 bench/llm_pipeline_bench.py   (after a build)"""
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))
from fake_openai import FakeOpenAI  # noqa: E402
from harness import Server, run_cli  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
os.environ.setdefault("REKINDLE_BIN", os.path.join(ROOT, os.environ.get("BUILD", "build"), "rekindle"))
USERS = int(os.environ.get("BENCH_USERS", "2000"))
LATENCY = int(os.environ.get("BENCH_LATENCY_MS", "500"))


def main():
    fake = FakeOpenAI()
    fake.configure(default={"kind": "ok", "latency_ms": LATENCY})
    data = tempfile.mkdtemp(prefix="rkd-llmbench-")
    env = {"RKD_DATABASE_URL": "sqlite:" + os.path.join(data, "rekindle.db"), "RKD_SWEEP_INTERVAL_S": "31536000",
           "RKD_HOLDOUT_SHARE": "0", "OPENAI_API_KEY": "bench-key", "OPENAI_BASE_URL": fake.url,
           "RKD_OPENAI_RPM": "0", "RKD_OPENAI_TPM": "0"}
    os.environ.update(env)
    code, _, err = run_cli("seed", "--users", str(USERS))
    assert code == 0, err
    code, _, err = run_cli("stream", "--skip-to-end")
    assert code == 0, err
    s = Server(env)
    try:
        t0 = time.time()
        status, sweep = s.call("POST", "/api/sweep")
        assert status == 200, sweep
        queued = sweep["data"]["published"]
        while True:
            q = next(q for q in s.call("GET", "/api/queues")[1]["data"] if q["name"] == "email-processor")
            if q["depth"] == 0 and q["inFlight"] == 0:
                break
            time.sleep(0.2)
        elapsed = time.time() - t0
        writers = {}
        cursor = None
        while True:
            _, page = s.call("GET", "/api/emails?limit=500" + (f"&cursor={cursor}" if cursor else ""))
            for e in page["data"]:
                writers[e["writer"]] = writers.get(e["writer"], 0) + 1
            cursor = page["nextCursor"]
            if not cursor:
                break
        total = sum(writers.values())
        with fake.state.lock:
            peak = fake.state.max_concurrent
        print(f"{queued} queued; {total} emails in {elapsed:.1f} s ({total / elapsed:.1f} emails/s) at "
              f"{LATENCY} ms per completion; writers: {writers}; workers: {os.environ.get('RKD_WORKERS', '4')}, "
              f"RKD_OPENAI_CONCURRENCY: {os.environ.get('RKD_OPENAI_CONCURRENCY', '32')}; "
              f"most requests in flight at the server: {peak}")
        print(f"one at a time this would take {total * LATENCY / 1000:.0f} s")
    finally:
        s.stop()
        fake.stop()
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
