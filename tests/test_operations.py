"""Operating Rekindle, through the real binary: the health rule and the dashboard's alerts
when deliveries fail, the dead-letter warning, the refusals at start (a store restored
without its unsubscribe key, a store migrated by a newer binary), request logs that name
the client and the API key, X-Forwarded-For from trusted proxies only, and an online
backup under write load that restores whole."""
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import threading
import time
import unittest

from harness import BIN, Server, run_cli, store_query, wait_for
from test_delivery import SmtpServer
from test_http_api import iso_days_ago
from test_pipeline import user_emails

ON_POSTGRES = os.environ.get("RKD_TEST_STORE") == "postgres"


def health(s):
    status, body = s.call("GET", "/health")
    return status, body


def alerts(s, headers=None):
    status, body = s.call("GET", "/api/alerts", headers=headers)
    assert status == 200, body
    return body["data"]


def request_lines(s):
    out = []
    for line in list(s.log):
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if entry.get("msg") == "request":
            out.append(entry)
    return out


def scratch(test):
    d = tempfile.mkdtemp(prefix="rkd-ops-")
    test.addCleanup(shutil.rmtree, d, True)
    return d


class HealthRuleTest(unittest.TestCase):
    def test_a_refusing_mail_server_degrades_health_and_raises_the_alert(self):
        smtp = SmtpServer()
        self.addCleanup(smtp.stop)
        s = Server({"RKD_SMTP_URL": f"smtp://127.0.0.1:{smtp.port}"})
        self.addCleanup(s.stop)
        status, body = health(s)
        self.assertEqual((status, body["data"]["status"], body["data"]["reasons"]), (200, "ok", []))

        _, body = s.call("POST", "/api/users", {"email": "reject-ann@example.com", "name": "Ann Reject",
                                                "lastOrderDate": iso_days_ago(130)})
        user_id = body["data"]["userId"]
        failed = wait_for(lambda: [e for e in user_emails(s, user_id) if e["status"] == "FAILED"], timeout=15)
        self.assertTrue(failed, user_emails(s, user_id))
        # The snapshot is at most 5 s old.
        got = wait_for(lambda: health(s)[1]["data"]["status"] == "degraded", timeout=10)
        self.assertTrue(got, health(s))
        status, body = health(s)
        self.assertEqual(status, 200)  # degraded, not down: the documented rule
        self.assertEqual(body["data"]["reasons"], ["1 delivery failed in the last 60 minutes"])
        self.assertEqual(body["data"]["failedDeliveries"], 1)
        self.assertNotIn("reject-ann", json.dumps(body))  # /health is open: no recipient in it

        a = alerts(s)
        self.assertEqual(a["status"], "degraded")
        self.assertEqual(a["failedDeliveries"], 1)
        self.assertEqual(a["deadLetters"], 0)
        self.assertIn("550", a["lastError"])
        self.assertEqual(a["emailId"], failed[0]["emailId"])
        self.assertEqual(a["userId"], user_id)
        self.assertIsNotNone(a["at"])

    def test_dead_letters_degrade_health_are_logged_once_and_clear_after_redrive(self):
        blocked = scratch(self)
        outbox = os.path.join(blocked, "outbox")
        with open(outbox, "w") as f:  # a file where the outbox folder should be: every send fails
            f.write("not a folder")
        s = Server({"RKD_OUTBOX_DIR": outbox, "RKD_RETRY_BASE_MS": "20"})
        self.addCleanup(s.stop)
        _, body = s.call("POST", "/api/users", {"email": "dee@example.com", "name": "Dee",
                                                "lastOrderDate": iso_days_ago(150)})
        user_id = body["data"]["userId"]
        self.assertTrue(wait_for(lambda: alerts(s)["deadLetters"] == 1, timeout=20), alerts(s))
        status, body = health(s)
        self.assertEqual((status, body["data"]["status"]), (200, "degraded"))
        self.assertIn("1 dead letter waits in email-processor", body["data"]["reasons"])
        a = alerts(s)
        self.assertEqual(a["deadLetterQueues"], [{"name": "email-processor", "deadLetters": 1}])
        self.assertIn("outbox", a["lastError"])

        # Moving the event to the dead-letter queue was logged once, at warning level, with why.
        dead = [json.loads(l) for l in s.log if '"dead-lettered"' in l]
        self.assertEqual(len(dead), 1, dead)
        self.assertEqual(dead[0]["level"], "warning")
        self.assertEqual(dead[0]["queue"], "email-processor")
        self.assertEqual(dead[0]["receives"], 5)
        self.assertIn("outbox", dead[0]["reason"])

        # Fixed and redriven: the email goes out and the alert clears.
        os.remove(outbox)
        status, body = s.call("POST", "/api/queues/email-processor/redrive")
        self.assertEqual(status, 200, body)
        self.assertTrue(wait_for(lambda: user_emails(s, user_id)[0]["status"] == "SENT", timeout=10))
        self.assertTrue(wait_for(lambda: health(s)[1]["data"]["status"] == "ok", timeout=10), health(s))
        self.assertEqual(alerts(s)["deadLetters"], 0)


@unittest.skipIf(ON_POSTGRES, "unsubscribe.key is the SQLite store's; PostgreSQL requires RKD_UNSUBSCRIBE_SECRET")
class UnsubscribeKeyTest(unittest.TestCase):
    def test_a_store_with_emails_and_no_key_refuses_to_start_unless_told_to_rotate(self):
        d = scratch(self)
        env = {"RKD_DATABASE_URL": "sqlite:" + os.path.join(d, "rekindle.db")}
        s = Server(env)
        _, body = s.call("POST", "/api/users", {"email": "kim@example.com", "name": "Kim",
                                                "lastOrderDate": iso_days_ago(130)})
        user_id = body["data"]["userId"]
        self.assertTrue(wait_for(lambda: [e for e in user_emails(s, user_id) if e["status"] == "SENT"]))
        full_env = dict(s.env)
        s.stop()
        key = os.path.join(d, "unsubscribe.key")
        with open(key) as f:
            old_key = f.read()
        os.remove(key)  # restored without its key

        for command in ("serve", "worker"):
            code, out, err = run_cli(command, env=full_env, timeout=30)
            self.assertEqual(code, 1, out + err)
            self.assertIn("unsubscribe.key", err)
            self.assertIn("RKD_ROTATE_UNSUBSCRIBE_KEY", err)
            self.assertFalse(os.path.exists(key))  # nothing made

        # Told to rotate: it starts with a new key, and says what that costs.
        s = Server(dict(env, RKD_ROTATE_UNSUBSCRIBE_KEY="true"))
        self.addCleanup(s.stop)
        with open(key) as f:
            self.assertNotEqual(f.read(), old_key)
        warned = [json.loads(l) for l in s.log if "new unsubscribe key" in l]
        self.assertEqual(len(warned), 1)
        self.assertEqual(warned[0]["level"], "warning")

    def test_a_fresh_store_makes_its_key_without_being_told(self):
        d = scratch(self)
        s = Server({"RKD_DATABASE_URL": "sqlite:" + os.path.join(d, "rekindle.db")})
        self.addCleanup(s.stop)
        self.assertTrue(os.path.exists(os.path.join(d, "unsubscribe.key")))


class NewerSchemaTest(unittest.TestCase):
    def test_a_store_migrated_by_a_newer_binary_is_refused(self):
        d = scratch(self)
        env = {} if ON_POSTGRES else {"RKD_DATABASE_URL": "sqlite:" + os.path.join(d, "rekindle.db")}
        s = Server(env)
        full_env = dict(s.env)
        s.stop()
        version, = store_query(full_env, "SELECT MAX(version) FROM schema_migrations")
        newer = int(version) + 1
        if ON_POSTGRES:
            store_query(full_env, f"INSERT INTO schema_migrations (version, name) VALUES "
                                  f"({newer}, '{newer:04d}_from_the_future.sql') RETURNING version")
        else:
            with sqlite3.connect(full_env["RKD_DATABASE_URL"][len("sqlite:"):]) as db:
                db.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, 0)",
                           (newer, f"{newer:04d}_from_the_future.sql"))
        for command in (["migrate"], ["serve"], ["sweep"]):
            code, out, err = run_cli(*command, env=full_env, timeout=30)
            self.assertEqual(code, 1, out + err)
            self.assertIn("migrated by a newer Rekindle", err)
            self.assertIn(f"version {newer}, this binary knows versions up to {version}", err)


class RequestLogTest(unittest.TestCase):
    KEYS = {"ops-alice": "alice-key-0123456789abcdef", None: "bare-key-fedcba9876543210"}

    def test_request_logs_name_the_client_and_the_key_never_the_key_itself(self):
        s = Server({"RKD_API_KEYS": f"ops-alice:{self.KEYS['ops-alice']}, {self.KEYS[None]}"})
        self.addCleanup(s.stop)
        alice = {"Authorization": "Bearer " + self.KEYS["ops-alice"]}
        bare = {"Authorization": "Bearer " + self.KEYS[None]}
        _, body = s.call("POST", "/api/users", {"email": "gone@example.com", "name": "Gone"}, headers=alice)
        user_id = body["data"]["userId"]
        status, _ = s.call("DELETE", f"/api/users/{user_id}", headers=alice)
        self.assertEqual(status, 200)
        self.assertEqual(s.call("GET", "/api/alerts", headers=bare)[0], 200)
        self.assertEqual(s.call("GET", "/api/users", headers={"Authorization": "Bearer wrong"})[0], 401)

        def line(method, path):
            return wait_for(lambda: next((l for l in request_lines(s)
                                          if l["method"] == method and l["path"] == path), None))
        deleted = line("DELETE", f"/api/users/{user_id}")
        self.assertEqual((deleted["key"], deleted["client"], deleted["status"]), ("ops-alice", "127.0.0.1", 200))
        self.assertEqual(line("GET", "/api/alerts")["key"], "key-2")  # a bare key's derived name
        refused = line("GET", "/api/users")
        self.assertEqual((refused["status"], refused["client"]), (401, "127.0.0.1"))
        self.assertNotIn("key", refused)
        log = "".join(s.log)
        for key in self.KEYS.values():
            self.assertNotIn(key, log)
        code, out, _ = run_cli("config", env=s.env)
        self.assertEqual(json.loads(out)["RKD_API_KEYS"], "set")

    def test_a_key_name_that_could_forge_a_log_field_is_refused_at_start(self):
        for value in ['bad"name:k1', "two words:k1", "a:k1,a:k2", "name:"]:
            with self.subTest(value=value):
                code, _, err = run_cli("config", env={"RKD_API_KEYS": value})
                self.assertEqual(code, 1)
                self.assertIn("RKD_API_KEYS", err)
                self.assertNotIn("k1", err.replace("RKD_API_KEYS", ""))


class ForwardedForTest(unittest.TestCase):
    def client_of(self, s, path, forwarded):
        s.call("GET", path, headers={"X-Forwarded-For": forwarded})
        entry = wait_for(lambda: next((l for l in request_lines(s) if l["path"] == path), None))
        return entry["client"]

    def test_the_forwarded_address_is_believed_only_from_a_trusted_proxy(self):
        trusted = Server({"RKD_TRUSTED_PROXIES": "127.0.0.0/8, 10.0.0.0/8"})
        self.addCleanup(trusted.stop)
        # A proxy on loopback (nginx beside the server) forwards for 203.0.113.9; a hop
        # the client wrote itself (left of it) is not believed.
        self.assertEqual(self.client_of(trusted, "/health", "198.51.100.1, 203.0.113.9"), "203.0.113.9")
        self.assertEqual(self.client_of(trusted, "/api/alerts", "203.0.113.9, 10.1.2.3"), "203.0.113.9")

        untrusted = Server({"RKD_TRUSTED_PROXIES": "10.0.0.0/8"})  # the peer (127.0.0.1) is not a proxy of ours
        self.addCleanup(untrusted.stop)
        self.assertEqual(self.client_of(untrusted, "/health", "203.0.113.9"), "127.0.0.1")

    def test_a_malformed_network_is_refused_at_start(self):
        code, _, err = run_cli("config", env={"RKD_TRUSTED_PROXIES": "10.0.0.0/33"})
        self.assertEqual(code, 1)
        self.assertIn("RKD_TRUSTED_PROXIES", err)


@unittest.skipIf(ON_POSTGRES, "rekindle backup copies a SQLite store; PostgreSQL has its own tools")
class BackupTest(unittest.TestCase):
    def test_a_backup_under_write_load_restores_whole(self):
        d = scratch(self)
        s = Server({"RKD_DATABASE_URL": "sqlite:" + os.path.join(d, "rekindle.db"), "RKD_WORKERS": "1"},
                   seed_users=2000)
        self.addCleanup(s.stop)
        acknowledged = []  # (time the 201 came back, user id)
        stop = threading.Event()

        def write(n):
            i = 0
            while not stop.is_set():
                status, body = s.call("POST", "/api/users", {"email": f"load{n}-{i}@example.com",
                                                             "name": f"Load {n} {i}",
                                                             "lastOrderDate": iso_days_ago(10)})
                if status == 201:
                    acknowledged.append((time.monotonic(), body["data"]["userId"]))
                i += 1

        writers = [threading.Thread(target=write, args=(n,)) for n in range(3)]
        for w in writers:
            w.start()
        try:
            self.assertTrue(wait_for(lambda: len(acknowledged) > 50, timeout=20))
            backup = os.path.join(d, "backups", "rekindle-backup.db")
            os.makedirs(os.path.dirname(backup))
            started = time.monotonic()
            code, out, err = run_cli("backup", backup, env=s.env, timeout=120)
            finished = time.monotonic()
            self.assertEqual(code, 0, err)
            self.assertTrue(wait_for(lambda: any(t > finished for t, _ in acknowledged), timeout=10))
        finally:
            stop.set()
            for w in writers:
                w.join()
        result = json.loads(out.strip().splitlines()[-1])
        self.assertEqual(result["file"], backup)
        self.assertEqual(result["unsubscribeKey"], backup + ".unsubscribe.key")
        before = [u for t, u in acknowledged if t < started]
        after = [u for t, u in acknowledged if t > finished]
        self.assertTrue(before and after)  # the writes went on during the backup

        # Restore into a fresh folder, as the README says: the copy and its key.
        r = os.path.join(scratch(self), "data")
        os.makedirs(r)
        shutil.copy(backup, os.path.join(r, "rekindle.db"))
        shutil.copy(backup + ".unsubscribe.key", os.path.join(r, "unsubscribe.key"))
        with sqlite3.connect(os.path.join(r, "rekindle.db")) as db:
            self.assertEqual(db.execute("PRAGMA integrity_check").fetchone()[0], "ok")
            ids = {row[0] for row in db.execute("SELECT user_id FROM users")}
        self.assertTrue(set(before) <= ids, len(set(before) - ids))
        self.assertFalse(set(after) & ids)  # a snapshot from during the backup, not later
        with open(os.path.join(d, "unsubscribe.key")) as a, open(os.path.join(r, "unsubscribe.key")) as b:
            self.assertEqual(a.read(), b.read())

        restored = Server({"RKD_DATABASE_URL": "sqlite:" + os.path.join(r, "rekindle.db")})
        self.addCleanup(restored.stop)
        self.assertEqual(restored.call("GET", "/health")[0], 200)
        status, body = restored.call("GET", f"/api/users/{before[-1]}")
        self.assertEqual(status, 200, body)
        status, body = restored.call("GET", "/api/metrics")
        self.assertEqual(body["data"]["users"]["total"], len(ids))
        self.assertGreaterEqual(len(ids), 2000 + len(before))

    def test_backup_refuses_a_postgres_store_and_a_missing_database(self):
        code, _, err = run_cli("backup", "/tmp/x.db", env={"RKD_DATABASE_URL": "postgres://nobody@127.0.0.1:1/x"})
        self.assertEqual(code, 1)
        self.assertIn("pg_dump", err)
        d = scratch(self)
        code, _, err = run_cli("backup", os.path.join(d, "b.db"),
                               env={"RKD_DATABASE_URL": "sqlite:" + os.path.join(d, "none.db")})
        self.assertEqual(code, 1)
        self.assertIn("no database", err)
        self.assertFalse(os.path.exists(os.path.join(d, "b.db")))


if __name__ == "__main__":
    unittest.main()
