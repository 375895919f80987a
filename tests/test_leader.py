"""Leader election among real processes. However many `rekindle stream` processes run on
one store, one leads (a PostgreSQL advisory lock, or an flock beside a SQLite database)
and the others wait on standby; when the leader is SIGKILLed a standby takes over, and
every change written meanwhile is still published. `rekindle sweep` runs one at a time.

The PostgreSQL tests need RKD_TEST_POSTGRES_URL (ctest's leader_postgres runs this file
through tests/with_postgres.sh) and skip without it; the SQLite tests always run."""
import fcntl
import itertools
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import threading
import unittest

from harness import BIN, Process, Server, postgres_schema_url, run_cli, wait_for

TIMEOUT = 30  # seconds: generous bounds for waits, never a measure of speed


def queued_user_ids(bus_path):
    """The users whose events are in the email processor's queue (the embedded bus's file)."""
    if not os.path.exists(bus_path):
        return set()
    db = sqlite3.connect(bus_path, timeout=10)
    try:
        rows = db.execute("SELECT body FROM messages WHERE queue = 'email-processor'").fetchall()
        return {json.loads(body)["userId"] for (body,) in rows}
    except sqlite3.OperationalError:  # not migrated yet
        return set()
    finally:
        db.close()


class Writer:
    """Creates users through the API on a thread of its own, one after another, until
    stopped, so that a leader dies while changes keep coming."""

    def __init__(self, api, prefix):
        self.api, self.prefix, self.ids = api, prefix, []
        self._stop = threading.Event()
        self.error = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        try:
            for i in itertools.count():
                if self._stop.is_set():
                    return
                status, body = self.api.call("POST", "/api/users",
                                             {"email": f"{self.prefix}-{i}@example.com", "name": "Ada Byron"})
                if status != 201:
                    raise AssertionError((status, body))
                self.ids.append(body["data"]["userId"])
        except Exception as e:  # reported by stop()
            self.error = e

    def stop(self):
        self._stop.set()
        self._thread.join(timeout=TIMEOUT)
        if self.error:
            raise self.error
        return set(self.ids)


class LeaderElectionScenarios:
    """What every store must show; a subclass gives the store (env) and its folder (dir)."""

    def start(self, *args):
        p = Process(args, self.env, self.dir)
        self.addCleanup(p.stop, signal.SIGKILL)
        return p

    def api(self):
        # `rekindle api` writes users and runs no stream processor of its own.
        api = Server(self.env, command="api")
        self.addCleanup(api.stop)
        return api

    def elected(self, a, b):
        """Waits until one of a, b leads and the other stands by; returns (leader, standby)."""
        def roles():
            leaders = [p for p in (a, b) if "leader" in p.messages()]
            standbys = [p for p in (a, b) if "standby" in p.messages() and p not in leaders]
            return (leaders[0], standbys[0]) if len(leaders) == 1 and len(standbys) == 1 else None
        pair = wait_for(roles, timeout=TIMEOUT)
        self.assertIsNotNone(pair, f"not one leader and one standby:\n{a}\n{b}")
        return pair

    def assert_all_queued(self, ids):
        bus = self.bus_path
        self.assertTrue(wait_for(lambda: ids <= queued_user_ids(bus), timeout=TIMEOUT, interval=0.2),
                        f"{len(ids - queued_user_ids(bus))} of {len(ids)} users' events not published")

    def test_one_leader_and_a_sigkilled_leader_is_replaced_without_losing_a_change(self):
        api = self.api()
        a, b = self.start("stream"), self.start("stream")  # at once: they race for the lock
        leader, standby = self.elected(a, b)

        before = Writer(api, "before")
        self.assertTrue(wait_for(lambda: len(before.ids) >= 20, timeout=TIMEOUT))
        first = set(before.ids[:20])
        self.assert_all_queued(first)

        # Kill the leader while changes keep coming; the standby takes over from the
        # stream's durable checkpoint.
        leader.stop(signal.SIGKILL)
        self.assertTrue(wait_for(lambda: standby.count("leader") == 1, timeout=TIMEOUT), standby)
        written_at_takeover = len(before.ids)
        self.assertTrue(wait_for(lambda: len(before.ids) >= written_at_takeover + 20, timeout=TIMEOUT))
        written = before.stop()
        self.assert_all_queued(written)

        # Users written after the takeover are published too.
        after = Writer(api, "after")
        self.assertTrue(wait_for(lambda: len(after.ids) >= 10, timeout=TIMEOUT))
        self.assert_all_queued(after.stop())

        # A restarted process finds a leader and stands by.
        again = self.start("stream")
        self.assertTrue(wait_for(lambda: again.count("standby") == 1, timeout=TIMEOUT), again)
        self.assertEqual(again.count("leader"), 0, again)
        self.assertEqual(standby.count("leadership lost"), 0, standby)

    def test_skip_to_end_refuses_while_a_stream_processor_leads(self):
        s = self.start("stream")
        self.assertTrue(wait_for(lambda: s.count("leader") == 1, timeout=TIMEOUT), s)
        code, _, err = run_cli("stream", "--skip-to-end", env=self.env)
        self.assertEqual(code, 1)
        self.assertIn("a stream processor is running", err)
        s.stop()
        code, _, err = run_cli("stream", "--skip-to-end", env=self.env)
        self.assertEqual(code, 0, err)

    def test_sweep_runs_one_at_a_time(self):
        api = self.api()
        with self.sweep_lock_held_elsewhere():
            code, out, err = run_cli("sweep", env=self.env)
            self.assertEqual(code, 0, err)
            self.assertIn('"msg":"sweep skipped: another sweep is running on this database"', out)
            self.assertNotIn('"scored"', out)
            status, body = api.call("POST", "/api/sweep")
            self.assertEqual((status, body["data"]["skipped"]), (200, True))
        code, out, err = run_cli("sweep", env=self.env)
        self.assertEqual(code, 0, err)
        self.assertEqual(json.loads(out.strip().splitlines()[-1])["scored"], 0)
        status, body = api.call("POST", "/api/sweep")
        self.assertEqual((status, body["data"]["skipped"]), (200, False))


class SqliteLeaderTest(LeaderElectionScenarios, unittest.TestCase):
    """Processes on one machine sharing the embedded SQLite store: an flock beside it."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="rkd-leader-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.bus_path = os.path.join(self.dir, "rekindle-bus.db")
        self.env = dict(os.environ, RKD_DATABASE_URL="sqlite:" + os.path.join(self.dir, "rekindle.db"),
                        RKD_BUS_URL="embedded", RKD_HTTP_ADDR="127.0.0.1:0", RKD_WORKERS="0")
        code, _, err = run_cli("migrate", env=self.env)  # before processes race to create it
        self.assertEqual(code, 0, err)

    def sweep_lock_held_elsewhere(self):
        test = self

        class Held:
            def __enter__(self):
                self.f = open(os.path.join(test.dir, "rekindle-sweep.lock"), "a")
                fcntl.flock(self.f, fcntl.LOCK_EX | fcntl.LOCK_NB)

            def __exit__(self, *exc):
                self.f.close()  # frees the flock
        return Held()


@unittest.skipUnless(os.environ.get("RKD_TEST_POSTGRES_URL"),
                     "RKD_TEST_POSTGRES_URL is not set (ctest's leader_postgres starts a server)")
class PostgresLeaderTest(LeaderElectionScenarios, unittest.TestCase):
    """Processes sharing one PostgreSQL database (a fresh schema per test) and one
    embedded bus file: an advisory lock held by a session of each leader's own."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="rkd-leader-pg-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.bus_path = os.path.join(self.dir, "bus.db")
        self.env = dict(os.environ, RKD_DATABASE_URL=postgres_schema_url(os.path.basename(self.dir)),
                        RKD_BUS_URL="sqlite:" + self.bus_path, RKD_OUTBOX_DIR=os.path.join(self.dir, "outbox"),
                        RKD_HTTP_ADDR="127.0.0.1:0", RKD_WORKERS="0",
                        # else each process keeps a key in ./data, wherever the test runs
                        RKD_UNSUBSCRIBE_SECRET="leader-test-secret-0123456789abcdef")
        code, _, err = run_cli("migrate", env=self.env)
        self.assertEqual(code, 0, err)

    def psql(self, sql):
        return subprocess.run(["psql", "-Atq", "-v", "ON_ERROR_STOP=1", self.env["RKD_DATABASE_URL"], "-c", sql],
                              check=True, capture_output=True, text=True).stdout.strip()

    def stream_lock_holders(self):
        """The backends holding this schema's stream lock (pg_locks splits the 64-bit key)."""
        out = self.psql("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1 "
                        "AND ((classid::bigint << 32) | objid::bigint) = "
                        "hashtextextended(current_schema() || '/7265600010', 0)")
        return out.split()

    def sweep_lock_held_elsewhere(self):
        test = self

        class Held:
            """A psql session of this schema holding the sweep's advisory lock."""

            def __enter__(self):
                self.p = subprocess.Popen(["psql", "-Atq", "-v", "ON_ERROR_STOP=1", test.env["RKD_DATABASE_URL"]],
                                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
                self.p.stdin.write("SELECT pg_advisory_lock(hashtextextended(current_schema() || '/7265600011', 0));"
                                   "\nSELECT 'locked';\n")
                self.p.stdin.flush()
                assert self.p.stdout.readline().strip() == ""  # pg_advisory_lock returns void
                assert self.p.stdout.readline().strip() == "locked"

            def __exit__(self, *exc):
                self.p.stdin.close()  # the session ends, the lock with it
                self.p.wait(timeout=TIMEOUT)
                self.p.stdout.close()
        return Held()

    def test_the_pool_holds_at_most_rkd_pg_pool_size_connections(self):
        # Named connections, to count this process's among the server's.
        url = self.env["RKD_DATABASE_URL"] + "&application_name=rkd-pool-test"
        api = Server(dict(self.env, RKD_DATABASE_URL=url, RKD_PG_POOL_SIZE="2", RKD_HTTP_THREADS="8"),
                     command="api")
        self.addCleanup(api.stop)

        def load():
            for _ in range(10):
                status, body = api.call("GET", "/api/users?limit=100")
                assert status == 200, body
        threads = [threading.Thread(target=load) for _ in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=TIMEOUT)
        opened = int(self.psql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'rkd-pool-test'"))
        self.assertIn(opened, (1, 2))  # idle pooled connections stay open

    def test_a_leader_whose_connection_drops_steps_down(self):
        api = self.api()
        a, b = self.start("stream"), self.start("stream")
        leader, standby = self.elected(a, b)
        holders = self.stream_lock_holders()
        self.assertEqual(len(holders), 1, holders)
        self.assertEqual(self.psql(f"SELECT application_name FROM pg_stat_activity WHERE pid = {holders[0]}"),
                         "rekindle stream lock")
        self.psql(f"SELECT pg_terminate_backend({holders[0]})")
        self.assertTrue(wait_for(lambda: leader.count("leadership lost") == 1, timeout=TIMEOUT), leader)
        # Someone leads again (either process may win the race), and only one at a time.
        self.assertTrue(wait_for(lambda: a.count("leader") + b.count("leader") == 2, timeout=TIMEOUT), (a, b))
        writer = Writer(api, "after-drop")
        self.assertTrue(wait_for(lambda: len(writer.ids) >= 10, timeout=TIMEOUT))
        self.assert_all_queued(writer.stop())
        self.assertEqual(len(self.stream_lock_holders()), 1)


if __name__ == "__main__":
    unittest.main()
