"""Starts the real `rekindle` binary on a free loopback port and speaks HTTP to it.

Tests read like HTTP transcripts: `status, body = server.call("POST", "/api/users", {...})`.
REKINDLE_BIN points at the binary (CTest sets it).
"""
import http.client
import json
import os
import queue
import shutil
import signal
import subprocess
import tempfile
import threading
import time

BIN = os.path.abspath(os.environ.get("REKINDLE_BIN", os.path.join(os.path.dirname(__file__), "..", "build", "rekindle")))


def run_cli(*args, env=None, timeout=60):
    """Runs `rekindle ARGS` to completion and returns (exit code, stdout, stderr). It runs
    in a scratch folder, so that relative defaults (./data) never land in the source tree."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    with tempfile.TemporaryDirectory(prefix="rkd-cli-") as cwd:
        p = subprocess.run([BIN, *args], env=full_env, capture_output=True, text=True, timeout=timeout, cwd=cwd)
    return p.returncode, p.stdout, p.stderr


def postgres_schema_url(name):
    """RKD_TEST_STORE=postgres (with RKD_TEST_POSTGRES_URL, as tests/with_postgres.sh sets
    it) runs the same tests on PostgreSQL: each server gets a fresh schema of its own."""
    base = os.environ["RKD_TEST_POSTGRES_URL"]
    schema = "rkd_" + "".join(c if c.isalnum() else "_" for c in name.lower())
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", base, "-c", "CREATE SCHEMA " + schema],
                   check=True, capture_output=True)
    return base + ("&" if "?" in base else "?") + "options=-csearch_path%3D" + schema


def wait_for(predicate, timeout=10.0, interval=0.05):
    """Polls `predicate` until it returns something true (returned) or `timeout` passes."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


def store_query(env, sql):
    """The first row of `sql` on the store that `env` names (SQLite file or PostgreSQL),
    as a tuple of strings: tests that look past the API work on both stores."""
    url = env["RKD_DATABASE_URL"]
    if url.startswith("sqlite:"):
        import sqlite3
        with sqlite3.connect(url[len("sqlite:"):]) as db:
            return tuple(str(v) for v in db.execute(sql).fetchone())
    out = subprocess.run(["psql", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", url, "-c", sql],
                         capture_output=True, text=True, check=True).stdout
    return tuple(out.splitlines()[0].split("\t"))


class Process:
    """A `rekindle SUBCOMMAND` process; its JSON log lines are collected as they come."""

    def __init__(self, args, env, cwd):
        self.args = args
        self.proc = subprocess.Popen([BIN, *args], env=env, cwd=cwd, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)
        self.lines = []
        self._pump_thread = threading.Thread(target=self._pump, daemon=True)
        self._pump_thread.start()

    def _pump(self):
        with self.proc.stdout:
            for line in self.proc.stdout:
                self.lines.append(line)

    def entries(self, msg=None):
        out = []
        for line in list(self.lines):
            try:
                entry = json.loads(line)
            except ValueError:
                continue  # "rekindle: …" from a fatal error
            if isinstance(entry, dict) and (msg is None or entry.get("msg") == msg):
                out.append(entry)
        return out

    def count(self, msg):
        return len(self.entries(msg))

    def messages(self):
        return [e.get("msg") for e in self.entries()]

    def alive(self):
        return self.proc.poll() is None

    def stop(self, sig=signal.SIGTERM):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._pump_thread.join(timeout=60)
        return self.proc.returncode

    def __repr__(self):
        state = "running" if self.alive() else f"exited {self.proc.returncode}"
        return f"rekindle {' '.join(self.args)} (pid {self.proc.pid}, {state}), last lines:\n" + \
            "".join(self.lines[-12:])


class Server:
    """One `rekindle serve` process (or `rekindle api`: command="api") with its own
    temporary data folder."""

    def __init__(self, env=None, seed_users=0, command="serve", configure_sending=True):
        self.dir = tempfile.mkdtemp(prefix="rkd-test-")
        self.env = dict(os.environ)
        self.env.update({
            "RKD_DATABASE_URL": "sqlite:" + os.path.join(self.dir, "rekindle.db"),
            "RKD_HTTP_ADDR": "127.0.0.1:0",
            # Tests that expect an email for every client at risk must not lose 10% of
            # them to the holdout; test_effectiveness turns it on.
            "RKD_HOLDOUT_SHARE": "0",
            # A model fit at start-up would race the tests' own fits; test_models turns it on.
            "RKD_MODEL_REFIT_HOURS": "0",
        })
        if os.environ.get("RKD_TEST_STORE") == "postgres":
            # The store in PostgreSQL; the bus and the outbox where a SQLite run keeps them.
            self.env["RKD_DATABASE_URL"] = postgres_schema_url(os.path.basename(self.dir))
            self.env["RKD_BUS_URL"] = "sqlite:" + os.path.join(self.dir, "rekindle-bus.db")
            self.env["RKD_OUTBOX_DIR"] = os.path.join(self.dir, "outbox")
            self.env["RKD_UNSUBSCRIBE_SECRET"] = "test-secret-" + os.path.basename(self.dir)
        if os.environ.get("RKD_TEST_BUS") == "nats":
            # The bus on NATS JetStream (RKD_TEST_NATS_URL, as tests/with_nats.sh sets it),
            # in a namespace of this server's own.
            self.env["RKD_BUS_URL"] = os.environ["RKD_TEST_NATS_URL"]
            self.env["RKD_BUS_NAMESPACE"] = "".join(c if c.isalnum() else "_" for c in os.path.basename(self.dir))
        self.env.update(env or {})
        if seed_users:
            code, out, err = run_cli("seed", "--users", str(seed_users), env=self.env)
            assert code == 0, err
        self.proc = subprocess.Popen([BIN, command], env=self.env, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, cwd=self.dir)
        self.lines = queue.Queue()
        self.log = []
        threading.Thread(target=self._pump, daemon=True).start()
        self.port = None
        deadline = time.time() + 20
        while self.port is None:
            try:
                line = self.lines.get(timeout=max(0.1, deadline - time.time()))
            except queue.Empty:
                self.stop()
                raise RuntimeError(f"rekindle {command} did not start: " + self.proc.stderr.read())
            entry = json.loads(line)
            if entry.get("msg") == "listening":
                self.port = entry["port"]
        self._local = threading.local()
        self._conns = []  # every thread's connection, closed by stop()
        if configure_sending:
            self.configure_sending()

    def api_headers(self):
        """The Authorization header of the first key in RKD_API_KEYS (`name:key` or a bare key), if any."""
        keys = self.env.get("RKD_API_KEYS", "")
        if not keys:
            return {}
        first = keys.split(",")[0].strip()
        return {"Authorization": "Bearer " + (first.split(":", 1)[1] if ":" in first else first)}

    def configure_sending(self):
        """What a configured install has: the settings sending needs (a fresh store starts
        paused until they are set, README "Sending controls"), where the environment did
        not give them, with links to this server's port; then sending resumed."""
        h = self.api_headers()
        status, body = self.call("GET", "/api/settings", headers=h)
        assert status == 200, (status, body)
        values = {"senderName": "Rekindle Tests", "senderEmail": "tests@rekindle.example",
                  "postalAddress": "1 Test Street, 12345 Testville", "publicUrl": f"http://127.0.0.1:{self.port}"}
        missing = {k: values[k] for k in body["data"]["missing"]}
        if missing:
            status, body = self.call("PUT", "/api/settings", missing, headers=h)
            assert status == 200, (status, body)
        status, body = self.call("POST", "/api/sending/resume", headers=h)
        assert status == 200, (status, body)

    def _pump(self):
        with self.proc.stdout:
            for line in self.proc.stdout:
                self.log.append(line)
                self.lines.put(line)

    def conn(self):
        c = getattr(self._local, "conn", None)
        if c is None:
            c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self._local.conn = c
            self._conns.append(c)
        return c

    def raw(self, method, path, body=None, headers=None):
        """Sends one request on this thread's keep-alive connection; returns the response
        object (already read) and its body bytes."""
        for attempt in range(2):
            c = self.conn()
            try:
                c.request(method, path, body=body, headers=headers or {})
                resp = c.getresponse()
                data = resp.read()
                if resp.getheader("Connection", "").lower() == "close":
                    c.close()
                    self._local.conn = None
                return resp, data
            except (http.client.HTTPException, ConnectionError):
                c.close()
                self._local.conn = None
                if attempt and self.proc.poll() is not None:
                    # The server is gone: say how it ended, so a failure names its cause.
                    raise RuntimeError(f"rekindle exited {self.proc.returncode} during {method} {path}; "
                                       "last log lines:\n" + "".join(self.log[-30:]) +
                                       "stderr:\n" + self.proc.stderr.read()[-4000:]) from None
                if attempt:
                    raise

    def call(self, method, path, payload=None, headers=None):
        """JSON in, (status, decoded JSON body) out."""
        h = {"Content-Type": "application/json"}
        h.update(headers or {})
        body = None if payload is None else (payload if isinstance(payload, (bytes, str)) else json.dumps(payload))
        resp, data = self.raw(method, path, body, h)
        return resp.status, (json.loads(data) if data else None)

    def stop(self, sig=signal.SIGTERM):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for c in getattr(self, "_conns", []):
            c.close()
        if self.proc.stderr:
            self.proc.stderr.close()
        shutil.rmtree(self.dir, ignore_errors=True)
        return self.proc.returncode
