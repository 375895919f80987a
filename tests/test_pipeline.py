"""The event pipeline through the real binary: change stream → topic → queue → email
processor → outbox, with crashes, retries, the dead-letter queue and sweeps."""
import email
import email.policy
import glob
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

from harness import BIN, Server, run_cli, store_query, wait_for
from test_http_api import iso_days_ago



def user_emails(s, user_id):
    status, body = s.call("GET", f"/api/users/{user_id}/emails")
    assert status == 200, body
    return body["data"]


def sent_emails(s, user_id):
    """The client's emails once their sending is over: an email is stored GENERATED
    (reserved) before it is sent, and a batch records its outcomes together after."""
    return [e for e in user_emails(s, user_id) if e["status"] != "GENERATED"]


def outbox_files(s):
    return sorted(glob.glob(os.path.join(s.dir, "outbox", "new", "*.eml")))


def queue(s, name="email-processor", headers=None):
    status, body = s.call("GET", "/api/queues", headers=headers)
    assert status == 200, body
    return next(q for q in body["data"] if q["name"] == name)


def processed(s, user_id, headers=None):
    """True once every change of the client has been read by the stream processor (its
    checkpoint is past them: published, or skipped as the pipeline's own writes) and the
    email processor's queue is empty (each event handled and acked, none retrying or
    dead-lettered): state, not log lines, says the pipeline is done with the client."""
    last, = store_query(s.env, f"SELECT coalesce(max(seq), 0) FROM user_changes WHERE user_id = '{user_id}'")
    checkpoint, = store_query(s.env, "SELECT coalesce(max(seq), 0) FROM checkpoints WHERE name = 'stream-processor'")
    q = queue(s, headers=headers)
    return int(checkpoint) >= int(last) > 0 and q["depth"] == 0 and q["inFlight"] == 0 and q["dlqDepth"] == 0


def start_worker(s):
    return subprocess.Popen([BIN, "worker"], env=dict(s.env, RKD_WORKERS="1"), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, cwd=s.dir)


class PipelineTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Server({"RKD_SHOP_URL": "https://shop.test"})

    @classmethod
    def tearDownClass(cls):
        cls.s.stop()

    def create(self, email_addr, **fields):
        status, body = self.s.call("POST", "/api/users", dict(email=email_addr, name="Lena Lindqvist", **fields))
        self.assertEqual(status, 201, body)
        return body["data"]

    def test_lapsed_user_is_emailed_once_with_a_well_formed_message(self):
        u = self.create("lena@example.com", lastOrderDate=iso_days_ago(120), orderCount=1, averageOrderValue=80,
                        preferredCategories=["Knitwear", "Shoes"])
        self.assertLess(u["engagementScore"], 75)
        emails = wait_for(lambda: sent_emails(self.s, u["userId"]), timeout=20)
        self.assertTrue(emails, "no email sent")  # how fast: bench/pipeline_bench.py, not a timed test
        e = emails[0]
        self.assertEqual(e["status"], "SENT")
        self.assertEqual(e["writer"], "template")
        self.assertEqual(e["engagementScoreAtTime"], u["engagementScore"])
        for key in ("emailId", "userId", "subject", "content", "generatedAt", "engagementScoreAtTime", "status",
                    "createdAt"):
            self.assertIn(key, e)
        self.assertIn("Lena", e["subject"])
        self.assertIn("https://shop.test", e["content"])
        self.assertIn("Knitwear", e["content"])

        # The message in the outbox parses as multipart/alternative: text, then HTML.
        path = wait_for(lambda: [p for p in outbox_files(self.s) if e["emailId"] in p])
        self.assertTrue(path)
        with open(path[0], "rb") as f:
            msg = email.message_from_binary_file(f, policy=email.policy.default)
        self.assertEqual(msg.get_content_type(), "multipart/alternative")
        self.assertEqual(msg["To"].addresses[0].addr_spec, "lena@example.com")
        self.assertEqual(str(msg["Subject"]), e["subject"])
        for header in ("Message-ID", "Date", "From", "List-Unsubscribe"):
            self.assertTrue(msg[header], header)
        parts = [p.get_content_type() for p in msg.iter_parts()]
        self.assertEqual(parts, ["text/plain", "text/html"])
        text = msg.get_body(preferencelist=("plain",)).get_content()
        html = msg.get_body(preferencelist=("html",)).get_content()
        self.assertIn("Lena", text)
        self.assertIn("/t/c/", html)  # the shop links, tracked (test_effectiveness follows them)

        status, body = self.s.call("GET", f"/api/users/{u['userId']}")
        self.assertIsNotNone(body["data"]["lastEmailDate"])
        status, body = self.s.call("GET", f"/api/emails/{e['emailId']}")
        self.assertEqual((status, body["data"]["userId"]), (200, u["userId"]))
        # The dashboard's preview form: the HTML as sent is tracked, the preview is not
        # (no open pixel, the shop links point at the shop), so viewing it records nothing.
        self.assertIn("/t/o/", body["data"]["html"])
        preview = body["data"]["previewHtml"]
        self.assertNotIn("/t/o/", preview)
        self.assertNotIn("/t/c/", preview)
        self.assertIn('href="https://shop.test', preview)

        # A second change within the cooldown, once handled, sends nothing. (That the
        # pipeline's own writes publish nothing is checked event by event in process:
        # src/pipeline/stream_processor_test.cc.)
        self.assertTrue(wait_for(lambda: processed(self.s, u["userId"]), timeout=20), queue(self.s))
        status, _ = self.s.call("PUT", f"/api/users/{u['userId']}", {"name": "Lena L."})
        self.assertEqual(status, 200)
        self.assertTrue(wait_for(lambda: processed(self.s, u["userId"]), timeout=20), queue(self.s))
        self.assertEqual([m["emailId"] for m in user_emails(self.s, u["userId"])], [e["emailId"]])
        self.assertEqual(len([p for p in outbox_files(self.s) if e["emailId"] in p]), 1)

    def test_recent_customer_is_not_emailed(self):
        u = self.create("happy@example.com", lastOrderDate=iso_days_ago(3), orderCount=4, averageOrderValue=90)
        self.assertGreaterEqual(u["engagementScore"], 75)
        # Its INSERT event was published and handled (not merely: no email yet).
        self.assertTrue(wait_for(lambda: processed(self.s, u["userId"]), timeout=20), queue(self.s))
        self.assertEqual(user_emails(self.s, u["userId"]), [])
        status, body = self.s.call("GET", f"/api/users/{u['userId']}")
        self.assertIsNone(body["data"]["lastEmailDate"])

    def test_order_from_lapsed_client_before_processing_is_read_from_current_state(self):
        # The INSERT event's image says "at risk", but the processor reads the current
        # client, whose order landed before any worker ran: no email at all. (A server
        # with no workers of its own holds both events until a worker starts.)
        s = Server({"RKD_WORKERS": "0"})
        try:
            status, body = s.call("POST", "/api/users", {"email": "comeback@example.com", "name": "Cole Back",
                                                         "lastOrderDate": iso_days_ago(200), "orderCount": 1})
            self.assertEqual(status, 201, body)
            u = body["data"]
            self.assertLess(u["engagementScore"], 75)
            status, body = s.call("POST", "/api/orders", {"userId": u["userId"], "totalValue": 20, "items": []})
            self.assertEqual(status, 201, body)
            self.assertGreaterEqual(body["data"]["user"]["engagementScore"], 75)
            self.assertTrue(wait_for(lambda: queue(s)["depth"] == 2, timeout=20), queue(s))
            w = start_worker(s)
            try:
                self.assertTrue(wait_for(lambda: processed(s, u["userId"]), timeout=20), queue(s))
            finally:
                w.send_signal(signal.SIGTERM)
                w.wait(timeout=10)
            self.assertEqual(user_emails(s, u["userId"]), [])
        finally:
            s.stop()

    def test_queues_metrics_and_score_breakdown(self):
        q = queue(self.s)
        for key in ("depth", "inFlight", "oldestAgeSeconds", "dlqDepth"):
            self.assertIn(key, q)
        status, body = self.s.call("GET", "/api/metrics")
        self.assertEqual(status, 200)
        m = body["data"]
        self.assertEqual(m["threshold"], 75)
        self.assertEqual(len(m["scoreHistogram"]), 10)
        self.assertEqual(len(m["emailsPerDay"]), 30)
        self.assertEqual(sum(b["count"] for b in m["scoreHistogram"]), m["users"]["total"])
        u = self.create("explain@example.com", lastOrderDate=iso_days_ago(75), orderCount=5, averageOrderValue=100)
        status, body = self.s.call("GET", f"/api/users/{u['userId']}")
        b = body["data"]["scoreBreakdown"]
        self.assertEqual((b["recency"], b["orders"], b["orderValue"]), (-30, 7.5, 5))
        self.assertEqual(b["daysSinceLastOrder"], 75)
        status, body = self.s.call("POST", "/api/queues/nope/redrive")
        self.assertEqual(status, 404)

    def test_sigterm_stops_cleanly(self):
        s = Server()
        try:
            s.call("POST", "/api/users", {"email": "t@example.com", "name": "T", "lastOrderDate": iso_days_ago(100)})
            code = s.stop()
            self.assertEqual(code, 0)
            self.assertTrue(any('"msg":"stopped"' in l for l in s.log))
        finally:
            s.stop()


class CrashTest(unittest.TestCase):
    def test_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(self):
        env = {"RKD_WORKERS": "0", "RKD_VISIBILITY_TIMEOUT_S": "2"}
        s = Server(env, seed_users=400)
        try:
            worker_env = dict(s.env, RKD_WORKERS="2")
            def start_worker():
                return subprocess.Popen([BIN, "worker"], env=worker_env, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, cwd=s.dir)
            _, body = s.call("GET", "/api/users?atRisk=true&limit=500")
            at_risk = {u["userId"] for u in body["data"]}
            self.assertGreater(len(at_risk), 50)
            wait_for(lambda: queue(s)["depth"] >= 300, timeout=10)

            w = start_worker()
            wait_for(lambda: len(outbox_files(s)) >= 15, timeout=20, interval=0.01)
            w.send_signal(signal.SIGKILL)
            w.wait()
            sent_before = len(outbox_files(s))
            self.assertLess(sent_before, len(at_risk), "the worker finished before it was killed")

            w = start_worker()
            try:
                drained = wait_for(lambda: (lambda q: q["depth"] == 0 and q["inFlight"] == 0)(queue(s)), timeout=60,
                                   interval=0.2)
                self.assertTrue(drained, queue(s))
            finally:
                w.send_signal(signal.SIGTERM)
                w.wait(timeout=10)

            per_user = {}
            cursor = None
            while True:
                _, page = s.call("GET", "/api/emails?limit=500" + (f"&cursor={cursor}" if cursor else ""))
                for e in page["data"]:
                    per_user.setdefault(e["userId"], []).append(e)
                cursor = page["nextCursor"]
                if not cursor:
                    break
            self.assertEqual(set(per_user), at_risk)
            self.assertTrue(all(len(v) == 1 for v in per_user.values()),
                            {k: len(v) for k, v in per_user.items() if len(v) > 1})
            self.assertTrue(all(v[0]["status"] == "SENT" for v in per_user.values()))
            self.assertEqual(len(outbox_files(s)), len(at_risk))
            self.assertEqual(queue(s)["dlqDepth"], 0)
        finally:
            s.stop()


class DeadLetterTest(unittest.TestCase):
    def test_failing_delivery_dead_letters_after_five_receives_and_redrive_recovers(self):
        blocked = tempfile.mkdtemp(prefix="rkd-blocked-")
        outbox = os.path.join(blocked, "outbox")
        with open(outbox, "w") as f:  # a file where the outbox folder should be: every send fails
            f.write("not a folder")
        s = Server({"RKD_OUTBOX_DIR": outbox, "RKD_RETRY_BASE_MS": "20"})
        try:
            status, body = s.call("POST", "/api/users", {"email": "dlq@example.com", "name": "Dee",
                                                         "lastOrderDate": iso_days_ago(150)})
            user_id = body["data"]["userId"]
            self.assertTrue(wait_for(lambda: queue(s)["dlqDepth"] == 1, timeout=15), queue(s))
            emails = user_emails(s, user_id)
            self.assertEqual(len(emails), 1)
            self.assertEqual(emails[0]["status"], "FAILED")
            self.assertIn("outbox", emails[0]["error"])
            status, body = s.call("GET", "/api/queues/email-processor/dead-letters")
            self.assertEqual(body["data"][0]["body"]["userId"], user_id)
            self.assertEqual(body["data"][0]["receiveCount"], 5)  # five receives, then the DLQ
            self.assertIn("outbox", body["data"][0]["lastError"])

            # The operator fixes the outbox and redrives: the email goes out, once.
            os.remove(outbox)
            status, body = s.call("POST", "/api/queues/email-processor/redrive")
            self.assertEqual((status, body["data"]["redriven"]), (200, 1))
            self.assertTrue(wait_for(lambda: user_emails(s, user_id)[0]["status"] == "SENT", timeout=10))
            self.assertEqual(queue(s)["dlqDepth"], 0)
            self.assertEqual(len(glob.glob(os.path.join(outbox, "new", "*.eml"))), 1)
        finally:
            s.stop()


class SweepTest(unittest.TestCase):
    def test_sweep_queues_every_eligible_client_at_risk(self):
        s = Server({"RKD_WORKERS": "0"}, seed_users=200)
        try:
            _, body = s.call("GET", "/api/users?atRisk=true&limit=500")
            at_risk = len(body["data"])
        finally:
            s.proc.send_signal(signal.SIGTERM)  # keep its folder: the CLI runs on it next
            s.proc.wait()
        self.addCleanup(shutil.rmtree, s.dir, True)
        env = dict(s.env)
        # Skip the backlog of INSERT events, then sweep: the sweep alone finds them.
        code, _, err = run_cli("stream", "--skip-to-end", env=env)
        self.assertEqual(code, 0, err)
        code, out, err = run_cli("sweep", env=env)
        self.assertEqual(code, 0, err)
        result = json.loads(out.strip().splitlines()[-1])
        self.assertEqual(result["scored"], 200)
        self.assertEqual(result["published"], at_risk)
        # A second sweep the same day publishes the same event ids: still one email each.
        code, out, err = run_cli("sweep", env=env)
        self.assertEqual(code, 0, err)
        w = subprocess.Popen([BIN, "worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=s.dir)
        try:
            done = wait_for(lambda: int(store_query(env, "select count(*) from emails")[0]) >= at_risk, timeout=30)
            time.sleep(1.0)
            count, users = store_query(env, "select count(*), count(distinct user_id) from emails")
            self.assertTrue(done)
            self.assertEqual((int(count), int(users)), (at_risk, at_risk))
        finally:
            w.send_signal(signal.SIGTERM)
            w.wait(timeout=10)


if __name__ == "__main__":
    unittest.main()
