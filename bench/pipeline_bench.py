#!/usr/bin/env python3
"""Pipeline benchmark (issue 3): BENCH_USERS users (default 100,000, ~30% at risk), the
change-stream backlog skipped, then one sweep through the real `rekindle serve`; waits
until the queue is drained and prints users scored per second, emails composed and
written per second, and the write-to-email latency (p50, p99) of single writes while
idle (the email's sentAt minus the user's createdAt, both stamped by the server).

Scale-out (issue 6): with BENCH_WORKER_PROCESSES=N the HTTP side runs as `rekindle api`
and the email processor as N separate `rekindle worker` processes (RKD_WORKERS threads
each); with RKD_TEST_POSTGRES_URL the store is a fresh schema on that PostgreSQL, and with
RKD_TEST_NATS_URL the bus is a fresh namespace on that NATS server (bench/scale_out_bench.sh
starts throwaway ones and runs N = 1, 2, 4).

Messages (issue 12): with BENCH_STORED_MESSAGE=1 the first step's message is saved through
/api/messages (the built-in templates as version 1) before the sweep, so that every email
is written from a stored message; with BENCH_BRAND=1 the brand is set (logo, EUR, a
sign-off). With BENCH_EXPERIMENT=fixed (or bandit) an experiment runs on winback-1 with
winback-2 as variant B, so every email is assigned a variant and written from it.

Usage: bench/pipeline_bench.py   (after a build; env BENCH_USERS, BENCH_LATENCY_SAMPLES,
RKD_WORKERS, BENCH_WORKER_PROCESSES, BENCH_STORED_MESSAGE, BENCH_BRAND, BENCH_EXPERIMENT,
RKD_TEST_POSTGRES_URL,
RKD_TEST_NATS_URL, BUILD)."""
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
# Before the harness is imported: it reads the binary's path once.
os.environ.setdefault("REKINDLE_BIN", os.path.join(ROOT, os.environ.get("BUILD", "build"), "rekindle"))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))
from harness import BIN, Server, postgres_schema_url, run_cli  # noqa: E402
USERS = int(os.environ.get("BENCH_USERS", "100000"))
SAMPLES = int(os.environ.get("BENCH_LATENCY_SAMPLES", "200"))
WORKER_PROCESSES = int(os.environ.get("BENCH_WORKER_PROCESSES", "0"))  # 0: all in one `serve`


def parse(ts):
    return datetime.datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc)


def peak_rss_mb(pid):
    """The process's peak resident set (VmHWM), in MB; None when it cannot be read."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    data = tempfile.mkdtemp(prefix="rkd-pbench-")
    env = {"RKD_DATABASE_URL": "sqlite:" + os.path.join(data, "rekindle.db"), "RKD_SWEEP_INTERVAL_S": "31536000",
           # Every client at risk gets an email (the target counts ~30,000); the default
           # 10% holdout would keep 3,000 of them back. Override to measure with it.
           "RKD_HOLDOUT_SHARE": os.environ.get("RKD_HOLDOUT_SHARE", "0"),
           "RKD_OUTBOX_DIR": os.path.join(data, "outbox"), "RKD_UNSUBSCRIBE_SECRET": "bench-secret-0123456789abcdef"}
    name = os.path.basename(data)
    if os.environ.get("RKD_TEST_POSTGRES_URL"):
        env["RKD_DATABASE_URL"] = postgres_schema_url(name)
    if os.environ.get("RKD_TEST_NATS_URL"):
        env["RKD_BUS_URL"] = os.environ["RKD_TEST_NATS_URL"]
        env["RKD_BUS_NAMESPACE"] = "".join(c if c.isalnum() else "_" for c in name)
    else:
        env["RKD_BUS_URL"] = "sqlite:" + os.path.join(data, "rekindle-bus.db")
    print(f"binary: {BIN}")
    print(f"store: {env['RKD_DATABASE_URL'].split(':')[0]}, bus: {env['RKD_BUS_URL'].split(':')[0]}, "
          f"worker processes: {WORKER_PROCESSES or 'none (serve)'}")
    os.environ.update(env)
    t = time.time()
    code, _, err = run_cli("seed", "--users", str(USERS), timeout=900)
    assert code == 0, err
    print(f"seed: {USERS} users in {time.time() - t:.1f} s")
    code, _, err = run_cli("stream", "--skip-to-end")
    assert code == 0, err

    workers = []
    if WORKER_PROCESSES:
        s = Server(env, command="api")
        env["RKD_PUBLIC_URL"] = f"http://127.0.0.1:{s.port}"
        workers = [subprocess.Popen([BIN, "worker"], env=dict(os.environ, **env), stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, cwd=data) for _ in range(WORKER_PROCESSES)]
        workers.append(subprocess.Popen([BIN, "stream"], env=dict(os.environ, **env), stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, cwd=data))
    else:
        s = Server(env)
    try:
        _, m = s.call("GET", "/api/metrics")
        at_risk = m["data"]["users"]["atRisk"]
        print(f"at risk: {at_risk} of {m['data']['users']['total']} ({100 * at_risk / USERS:.1f}%); "
              f"worker threads per process: {os.environ.get('RKD_WORKERS', '4')}")
        if os.environ.get("BENCH_STORED_MESSAGE") == "1":
            _, built_in = s.call("GET", "/api/messages/winback-1")
            m = built_in["data"]
            status, saved = s.call("PUT", "/api/messages/winback-1", {k: m[k] for k in ("subject", "text", "html")})
            assert status == 200, saved
            print(f"stored message: winback-1 version {saved['data']['version']}")
        if os.environ.get("BENCH_BRAND") == "1":
            status, body = s.call("PUT", "/api/settings", {"logoUrl": "https://cdn.bench.example/logo.png",
                                                           "currency": "EUR", "signOff": "The bench team"})
            assert status == 200, body
            print("brand set: a logo, EUR, a sign-off")
        if os.environ.get("BENCH_EXPERIMENT"):
            status, body = s.call("POST", "/api/experiments", {
                "name": "bench", "message": "winback-1", "allocation": os.environ["BENCH_EXPERIMENT"],
                "variants": [{"message": "winback-1"}, {"message": "winback-2"}]})
            assert status == 201, body
            print(f"experiment running: {body['data']['allocation']}, winback-1 against winback-2")
        t0 = time.time()
        status, sweep = s.call("POST", "/api/sweep")
        assert status == 200, sweep
        sweep = sweep["data"]
        t_sweep = time.time() - t0
        while True:
            q = next(q for q in s.call("GET", "/api/queues")[1]["data"] if q["name"] == "email-processor")
            if q["depth"] == 0 and q["inFlight"] == 0:
                break
            time.sleep(0.2)
        t_drain = time.time() - t0
        _, m = s.call("GET", "/api/metrics")
        emails = m["data"]["emails"]["total"]
        print(f"sweep: {sweep['scored']} scored in {sweep['seconds']:.2f} s "
              f"({sweep['scored'] / sweep['seconds']:.0f} users/s), {sweep['published']} queued")
        print(f"drained: {emails} emails composed and written in {t_drain:.1f} s from the sweep's start "
              f"({emails / t_drain:.0f} emails/s; {emails / max(t_drain - t_sweep, 1e-9):.0f} emails/s after the sweep)")

        latencies = []
        for i in range(SAMPLES):
            status, body = s.call("POST", "/api/users", {
                "email": f"latency{i}@bench.test", "name": "Lat Ency",
                "lastOrderDate": (datetime.datetime.now(datetime.timezone.utc)
                                  - datetime.timedelta(days=120)).strftime("%Y-%m-%dT%H:%M:%SZ")})
            user = body["data"]
            while True:
                _, e = s.call("GET", f"/api/users/{user['userId']}/emails")
                if e["data"] and e["data"][0]["sentAt"]:
                    break
                time.sleep(0.005)
            latencies.append((parse(e["data"][0]["sentAt"]) - parse(user["createdAt"])).total_seconds() * 1000)
        print(f"write-to-email latency over {SAMPLES} single writes: p50 {percentile(latencies, 50):.0f} ms, "
              f"p99 {percentile(latencies, 99):.0f} ms, max {max(latencies):.0f} ms")
        peaks = [(name, peak_rss_mb(p.pid)) for name, p in [("server", s.proc)] + [(f"worker/stream {i}", w)
                                                                                    for i, w in enumerate(workers)]]
        print("peak RSS (VmHWM): " + ", ".join(f"{n} {mb:.0f} MB" for n, mb in peaks if mb is not None))
    finally:
        for w in workers:
            w.terminate()
            w.wait()
        s.stop()
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
