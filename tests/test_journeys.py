"""Win-back journeys through the real binary (issue 16): a three-step journey set up by
the API, its dry run, and what is then sent matching it, step by step.

The server runs without workers of its own (RKD_WORKERS=0): events wait on the queue
until the test starts a `rekindle worker`, so the dry run is asked before anything goes
out. Journey delays are whole days and the binary's clock cannot be moved, so "time
passes" by making chosen episodes due now in the store; the due scan (every second
here) then hands them to the workers, as it would days later."""
import signal
import time
import unittest

from harness import Server, store_query, wait_for
from test_http_api import iso_days_ago
from test_pipeline import queue, start_worker

KEY = "marketing:journey-test-key-0123456789"


class JourneyTest(unittest.TestCase):
    def setUp(self):
        self.s = Server({"RKD_WORKERS": "0", "RKD_API_KEYS": KEY, "RKD_DUE_SCAN_INTERVAL_S": "1"})
        self.h = self.s.api_headers()
        self.worker = None

    def tearDown(self):
        self.stop_worker()
        self.s.stop()

    def call(self, method, path, payload=None):
        return self.s.call(method, path, payload, headers=self.h)

    def start_worker(self):
        # One worker at a time: a second start while one runs would leave the first
        # running after tearDown (it was, once per run of this suite).
        if self.worker is None:
            self.worker = start_worker(self.s)

    def stop_worker(self):
        if self.worker:
            self.worker.send_signal(signal.SIGTERM)
            self.worker.wait(timeout=15)
            self.worker = None

    def drained(self):
        q = queue(self.s, headers=self.h)
        return q["depth"] == 0 and q["inFlight"] == 0

    def emails(self, user_id):
        status, body = self.call("GET", f"/api/users/{user_id}/emails")
        self.assertEqual(status, 200, body)
        return [e for e in body["data"] if e["status"] != "GENERATED"]

    def create(self, email, days_since_order):
        status, body = self.call("POST", "/api/users", {"email": email, "name": email.split("@")[0].title() + " Test",
                                                        "lastOrderDate": iso_days_ago(days_since_order),
                                                        "orderCount": 2, "averageOrderValue": 40})
        self.assertEqual(status, 201, body)
        return body["data"]["userId"]

    def dry_run(self):
        status, body = self.call("POST", "/api/journey/dry-run")
        self.assertEqual(status, 200, body)
        return body["data"]

    def test_a_three_step_journey_its_dry_run_and_what_is_sent(self):
        # The marketer sets up three steps: day 0, 10 and 24, then 60 days of rest.
        status, body = self.call("PUT", "/api/journey", {"steps": [{"delayDays": 0, "message": "winback-1"},
                                                                   {"delayDays": 10, "message": "winback-2"},
                                                                   {"delayDays": 14, "message": "winback-3"}],
                                                         "restDays": 60})
        self.assertEqual(status, 200, body)
        journey = body["data"]
        self.assertEqual(journey["version"], 2)
        self.assertEqual(journey["createdBy"], "marketing")
        self.assertEqual(journey["exits"], ["order", "unsubscribe", "bounce", "complaint"])
        status, body = self.call("GET", "/api/journey/versions")
        self.assertEqual([v["version"] for v in body["data"]], [2, 1])
        self.assertEqual(body["data"][1]["createdBy"], "default")

        at_risk = [self.create(f"lapsed{i}@example.com", 150) for i in range(5)]
        healthy = self.create("healthy@example.com", 2)
        blocked = self.create("blocked@example.com", 150)
        status, body = self.call("POST", "/api/suppressions", {"email": "blocked@example.com", "reason": "complained"})
        self.assertEqual(status, 201, body)
        self.assertTrue(wait_for(lambda: queue(self.s, headers=self.h)["depth"] >= 7, timeout=20))

        # Before anything goes out: who would get what.
        run = self.dry_run()
        self.assertEqual(run["wouldEmail"], 5, run)
        self.assertEqual(run["byStep"], [{"step": 1, "count": 5}])
        self.assertEqual(run["skipped"]["suppressed"], 1)
        self.assertEqual(run["notNow"], {"paused": 0, "quietHours": 0, "cap": 0})
        self.assertEqual(sorted(c["userId"] for c in run["sample"]), sorted(at_risk))
        self.assertTrue(all(c["step"] == 1 for c in run["sample"]))

        self.start_worker()
        self.assertTrue(wait_for(lambda: all(len(self.emails(u)) == 1 for u in at_risk) and self.drained(),
                                 timeout=30))
        self.stop_worker()
        for u in at_risk:
            email, = self.emails(u)
            self.assertEqual(email["step"], 1)
            self.assertEqual(email["status"], "SENT")
            status, body = self.call("GET", f"/api/users/{u}")
            j = body["data"]["journey"]
            self.assertEqual((j["status"], j["step"], j["steps"], j["episodeId"]), ("active", 1, 3, email["episodeId"]))
        self.assertEqual(self.emails(healthy), [])
        self.assertEqual(self.emails(blocked), [])
        status, body = self.call("GET", f"/api/users/{healthy}")
        self.assertIsNone(body["data"]["journey"])

        # Nothing more is due: the dry run says so.
        self.assertEqual(self.dry_run()["wouldEmail"], 0)

        # Ten days pass for three of them: their step 2 falls due, the due scan hands it over.
        due = at_risk[:3]
        ids = ",".join(f"'{u}'" for u in due)
        now_ms = int(time.time() * 1000)
        store_query(self.s.env, f"UPDATE users SET last_email_date = {now_ms - 10 * 86_400_000} "
                                f"WHERE user_id IN ({ids}) RETURNING user_id")  # the cooldown passed too
        store_query(self.s.env, f"UPDATE episodes SET next_due_at = {now_ms} WHERE user_id IN ({ids}) "
                                "RETURNING episode_id")
        self.assertTrue(wait_for(lambda: queue(self.s, headers=self.h)["depth"] >= 3, timeout=20))
        run = self.dry_run()
        self.assertEqual(run["wouldEmail"], 3, run)
        self.assertEqual(run["byStep"], [{"step": 2, "count": 3}])
        would = sorted(c["userId"] for c in run["sample"])
        self.assertEqual(would, sorted(due))

        self.start_worker()
        self.assertTrue(wait_for(lambda: all(len(self.emails(u)) == 2 for u in due) and self.drained(), timeout=30))
        time.sleep(2)  # two more due scans: nothing is sent twice
        self.assertTrue(wait_for(self.drained, timeout=20))
        sent_step_2 = sorted(u for u in at_risk if any(e["step"] == 2 for e in self.emails(u)))
        self.assertEqual(sent_step_2, would, "what was sent is what the dry run showed")
        for u in at_risk:
            self.assertEqual(len(self.emails(u)), 2 if u in due else 1)
        newest = self.emails(due[0])[0]
        self.assertEqual(newest["step"], 2)
        self.assertNotEqual(newest["subject"], self.emails(due[0])[1]["subject"], "step 2 has its own message")

        status, body = self.call("GET", "/api/effectiveness")
        self.assertEqual(status, 200, body)
        by_step = {s["step"]: s for s in body["data"]["byStep"]}
        self.assertEqual(by_step[1]["sent"], 5)
        self.assertEqual(by_step[2]["sent"], 3)

        # An order ends an episode as converted: nothing more for that client.
        status, body = self.call("POST", "/api/orders", {"userId": due[0], "totalValue": 55, "items": []})
        self.assertEqual(status, 201, body)
        self.assertTrue(wait_for(lambda: self.drained() and queue(self.s, headers=self.h)["depth"] == 0, timeout=20))
        self.start_worker()
        self.assertTrue(wait_for(lambda: self.call("GET", f"/api/users/{due[0]}")[1]["data"]["journey"] is None,
                                 timeout=30))
        ended, = store_query(self.s.env, f"SELECT end_reason FROM episodes WHERE user_id = '{due[0]}'")
        self.assertEqual(ended, "converted")

    def test_bad_journeys_are_refused_with_the_field_and_nothing_is_stored(self):
        cases = [
            ({"steps": []}, "steps"),
            ({"steps": [{"delayDays": 0, "message": "winback-1"}, {"delayDays": 3, "message": "winback-2"}]},
             "steps[1].delayDays"),  # below the 7-day cooldown
            ({"steps": [{"delayDays": 1.5, "message": "winback-1"}]}, "steps[0].delayDays"),
            ({"steps": [{"delayDays": 0, "message": "../../etc"}]}, "steps[0].message"),
            ({"steps": [{"delayDays": 0, "message": "winback-1"}], "restDays": -1}, "restDays"),
            ({"steps": [{"delayDays": 0, "message": "winback-1"}], "exits": ["order"]}, "exits"),
            ({"steps": [{"delayDays": 0, "message": "winback-1"}], "colour": "red"}, "colour"),
        ]
        for payload, field in cases:
            with self.subTest(field=field):
                status, body = self.call("PUT", "/api/journey", payload)
                self.assertEqual(status, 400, body)
                self.assertEqual(body["field"], field, body)
        status, body = self.call("GET", "/api/journey/versions")
        self.assertEqual(len(body["data"]), 1, "nothing stored")


if __name__ == "__main__":
    unittest.main()
