"""Outgoing webhooks (issue 17) through the real binary: endpoints made with POST
/api/webhooks, and a receiver on loopback that verifies each delivery's Standard Webhooks
signature (webhook-id, webhook-timestamp, webhook-signature: v1,base64 HMAC-SHA256 of
"id.timestamp.body" under the whsec_ key), fails the first attempts, and deduplicates by
webhook-id: it must see every event exactly once."""
import base64
import hashlib
import hmac
import http.server
import json
import re
import threading
import time
import unittest
import urllib.parse

from harness import Server, wait_for
from test_http_api import iso_days_ago
from test_pipeline import sent_emails


def verify(secret, headers, body):
    """Standard Webhooks' check, as a receiver's library does it."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    given = [s.split(",", 1)[1] for s in headers["webhook-signature"].split() if s.startswith("v1,")]
    return any(hmac.compare_digest(expected, g) for g in given)


class Receiver:
    """An HTTP endpoint on loopback. `fail_first` attempts of each webhook-id answer 500
    (or `fail_status`); `fail_all` refuses every one. Keeps every request, and the events
    once per webhook-id."""

    def __init__(self, fail_first=0, fail_status=500):
        self.fail_first = fail_first
        self.fail_status = fail_status
        self.fail_all = False
        self.secret = None
        self.requests = []  # (headers, body, signature ok)
        self.attempts = {}  # webhook-id -> attempts seen
        self.events = {}  # webhook-id -> event (first accepted delivery)
        self.lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                headers = {k.lower(): v for k, v in self.headers.items()}
                with receiver.lock:
                    ok = receiver.secret is not None and verify(receiver.secret, headers, body)
                    receiver.requests.append((headers, body, ok))
                    wid = headers.get("webhook-id", "")
                    n = receiver.attempts[wid] = receiver.attempts.get(wid, 0) + 1
                    refuse = receiver.fail_all or n <= receiver.fail_first or not ok
                    if not refuse:
                        receiver.events.setdefault(wid, json.loads(body))
                self.send_response(receiver.fail_status if refuse else 204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/rekindle?source=test"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def types(self):
        with self.lock:
            return sorted(e["type"] for e in self.events.values())

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def make_endpoint(s, url, events, description="test"):
    status, body = s.call("POST", "/api/webhooks", {"url": url, "events": events, "description": description})
    assert status == 201, body
    return body["data"]


def deliveries(s, **query):
    status, body = s.call("GET", "/api/webhooks/deliveries?" + urllib.parse.urlencode(dict(query, limit=500)))
    assert status == 200, body
    return body["data"]


class WebhooksTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # The retry schedule in units of 20 ms: 20 ms, 120 ms, 480 ms… (5 s in production);
        # receivers on loopback allowed (test_attack checks they are refused by default).
        cls.s = Server({"RKD_WEBHOOK_FIRST_RETRY_MS": "20", "RKD_WEBHOOK_ALLOW_INTERNAL": "true",
                        "RKD_SHOP_URL": "https://shop.test"})

    @classmethod
    def tearDownClass(cls):
        cls.s.stop()

    def test_every_event_reaches_a_flaky_receiver_once_signed(self):
        every = Receiver(fail_first=2)
        sent_only = Receiver()
        try:
            status, body = self.s.call("GET", "/api/webhooks/events")
            self.assertEqual(status, 200)
            all_types = body["data"]
            self.assertIn("email.converted", all_types)
            a = make_endpoint(self.s, every.url, all_types, "everything")
            every.secret = a["secret"]
            b = make_endpoint(self.s, sent_only.url, ["email.sent"], "sent only")
            sent_only.secret = b["secret"]
            self.assertTrue(a["secret"].startswith("whsec_"))
            self.assertNotEqual(a["secret"], b["secret"])
            # The secret is shown once: never in the list.
            listed = self.s.call("GET", "/api/webhooks")[1]["data"]
            self.assertLessEqual({a["endpointId"], b["endpointId"]}, {e["endpointId"] for e in listed})
            self.assertNotIn("whsec_", json.dumps(listed))

            # A client at risk is emailed; the email is opened, clicked, converts; the client unsubscribes.
            status, body = self.s.call("POST", "/api/users", {"email": "hook@example.com", "name": "Hana Hook",
                                                              "lastOrderDate": iso_days_ago(120)})
            self.assertEqual(status, 201, body)
            user = body["data"]
            emails = wait_for(lambda: sent_emails(self.s, user["userId"]), timeout=20)
            e = self.s.call("GET", f"/api/emails/{emails[0]['emailId']}")[1]["data"]
            pixel = re.findall(r'src="(http://127\.0\.0\.1:\d+/t/o/[^"]+)"', e["html"])[0]
            click = re.findall(r'href="(http://127\.0\.0\.1:\d+/t/c/[^"]+)"', e["html"])[0]
            self.s.raw("GET", urllib.parse.urlparse(pixel).path)
            self.s.raw("GET", urllib.parse.urlparse(click).path)
            self.s.raw("GET", urllib.parse.urlparse(pixel).path)  # a second open is no second event
            status, body = self.s.call("POST", "/api/orders", {"userId": user["userId"], "totalValue": 42.5,
                                                               "items": []})
            self.assertEqual(status, 201, body)
            status, body = self.s.call("POST", "/api/suppressions", {"email": "hook@example.com",
                                                                     "reason": "unsubscribed"})
            self.assertEqual(status, 201, body)

            # The order ended the client's episode too (converted).
            want = sorted(["client.at_risk", "email.sent", "email.opened", "email.clicked", "email.converted",
                           "episode.ended", "client.unsubscribed"])
            self.assertTrue(wait_for(lambda: every.types() == want, timeout=30), every.types())
            self.assertTrue(wait_for(lambda: sent_only.types() == ["email.sent"], timeout=10), sent_only.types())
            # Every delivery to the flaky receiver took three attempts, all with one id and a
            # valid signature; no event came twice once the receiver had said yes.
            self.assertTrue(wait_for(lambda: all(d["status"] == "delivered"
                                                 for d in deliveries(self.s, endpointId=a["endpointId"])), timeout=10))
            mine = deliveries(self.s, endpointId=a["endpointId"])
            self.assertEqual(sorted(d["type"] for d in mine), want)
            for d in mine:
                self.assertEqual((d["attempts"], d["lastStatus"], d["lastError"]), (3, 204, None), d)
                self.assertEqual(every.attempts[d["deliveryId"]], 3)
            self.assertTrue(all(ok for _, _, ok in every.requests))
            # What each event says.
            by_type = {ev["type"]: ev for ev in every.events.values()}
            self.assertEqual(by_type["email.sent"]["data"]["emailId"], e["emailId"])
            self.assertEqual(by_type["email.sent"]["data"]["userId"], user["userId"])
            self.assertEqual(by_type["email.converted"]["data"]["revenue"], 42.5)
            self.assertEqual(by_type["client.unsubscribed"]["data"]["email"], "hook@example.com")
            self.assertEqual(by_type["client.at_risk"]["data"]["userId"], user["userId"])
            self.assertEqual(by_type["episode.ended"]["data"]["episodeId"], by_type["client.at_risk"]["data"]["episodeId"])
            headers = every.requests[0][0]
            self.assertLess(abs(int(headers["webhook-timestamp"]) - time.time()), 60)
            self.assertTrue(headers["webhook-id"].startswith("msg_"))
        finally:
            every.stop()
            sent_only.stop()

    def test_refusals_are_retried_and_a_deleted_endpoint_ends_its_deliveries_dead(self):
        r = Receiver(fail_status=503)
        r.fail_all = True
        try:
            ep = make_endpoint(self.s, r.url, ["client.unsubscribed"])
            r.secret = ep["secret"]
            self.s.call("POST", "/api/suppressions", {"email": "dead@example.com", "reason": "unsubscribed"})
            # Retried, each refusal's status and reason kept. (The schedule's end, dead after
            # the 12th attempt, takes 18,511 units: WebhookSenderTest checks it on a manual clock.)
            self.assertTrue(wait_for(lambda: (deliveries(self.s, endpointId=ep["endpointId"]) or [{}])[0]
                                     .get("attempts", 0) >= 3, timeout=20))
            d = deliveries(self.s, endpointId=ep["endpointId"])[0]
            self.assertEqual((d["status"], d["lastStatus"], d["lastError"]), ("pending", 503, "HTTP 503"), d)
            self.assertIsNotNone(d["nextAttemptAt"])
            # Not ended: a replay is refused.
            status, body = self.s.call("POST", f"/api/webhooks/deliveries/{d['deliveryId']}/replay")
            self.assertEqual(status, 404, body)
            # The endpoint deleted: its pending delivery ends dead at its next attempt.
            self.assertEqual(self.s.call("DELETE", f"/api/webhooks/{ep['endpointId']}")[0], 200)
            self.assertTrue(wait_for(lambda: deliveries(self.s, endpointId=ep["endpointId"])[0]["status"] == "dead",
                                     timeout=20))
            d = deliveries(self.s, endpointId=ep["endpointId"])[0]
            self.assertEqual(d["lastError"], "the endpoint was deleted")
            self.assertNotIn(ep["endpointId"], [e["endpointId"] for e in self.s.call("GET", "/api/webhooks")[1]["data"]])
            # No new deliveries for a deleted endpoint, and no replay either.
            self.s.call("POST", "/api/suppressions", {"email": "dead2@example.com", "reason": "unsubscribed"})
            self.assertEqual(len(deliveries(self.s, endpointId=ep["endpointId"])), 1)
            status, body = self.s.call("POST", f"/api/webhooks/deliveries/{d['deliveryId']}/replay")
            self.assertEqual(status, 404, body)
        finally:
            r.stop()

    def test_a_replay_sends_the_same_id_again(self):
        r = Receiver()
        try:
            ep = make_endpoint(self.s, r.url, ["email.bounced", "email.complained"])
            r.secret = ep["secret"]
            r.fail_all = True
            self.s.call("POST", "/api/suppressions", {"email": "bounce@example.com", "reason": "bounced"})
            self.assertTrue(wait_for(lambda: deliveries(self.s, endpointId=ep["endpointId"]), timeout=10))
            d = deliveries(self.s, endpointId=ep["endpointId"])[0]
            self.assertEqual(d["type"], "email.bounced")
            # Delivered once the receiver says yes (the retries keep going meanwhile).
            r.fail_all = False
            self.assertTrue(wait_for(lambda: deliveries(self.s, endpointId=ep["endpointId"])[0]["status"] ==
                                     "delivered", timeout=20))
            self.assertEqual(r.types(), ["email.bounced"])
            # A replay of a delivered one sends it again with the same id: the receiver's
            # deduplication keeps one event.
            status, body = self.s.call("POST", f"/api/webhooks/deliveries/{d['deliveryId']}/replay")
            self.assertEqual(status, 202, body)
            self.assertTrue(wait_for(lambda: r.attempts.get(d["deliveryId"], 0) >= 2 and
                                     deliveries(self.s, endpointId=ep["endpointId"])[0]["status"] == "delivered",
                                     timeout=10))
            self.assertEqual(r.types(), ["email.bounced"])
            self.assertEqual(len(r.events), 1)
        finally:
            r.stop()

    def test_a_redirect_is_not_followed(self):
        r = Receiver(fail_status=302)
        r.fail_all = True
        try:
            ep = make_endpoint(self.s, r.url, ["email.complained"])
            r.secret = ep["secret"]
            self.s.call("POST", "/api/suppressions", {"email": "moved@example.com", "reason": "complained"})
            self.assertTrue(wait_for(lambda: (deliveries(self.s, endpointId=ep["endpointId"]) or [{}])[0]
                                     .get("attempts", 0) >= 2, timeout=10))
            d = deliveries(self.s, endpointId=ep["endpointId"])[0]
            self.assertEqual((d["status"], d["lastStatus"]), ("pending", 302))
        finally:
            r.stop()
            self.s.call("DELETE", f"/api/webhooks/{ep['endpointId']}")

    def test_bad_endpoints_are_refused_and_nothing_is_written(self):
        before = self.s.call("GET", "/api/webhooks")[1]["data"]
        cases = [
            ({"url": "file:///etc/passwd", "events": ["email.sent"]}, "url"),
            ({"url": "gopher://127.0.0.1:25/", "events": ["email.sent"]}, "url"),
            ({"url": "javascript:alert(1)", "events": ["email.sent"]}, "url"),
            ({"url": "http://user:pw@127.0.0.1/", "events": ["email.sent"]}, "url"),
            ({"url": "http://127.0.0.1/a b", "events": ["email.sent"]}, "url"),
            ({"url": "https://" + "a" * 2050 + ".example/", "events": ["email.sent"]}, "url"),
            ({"url": "/relative", "events": ["email.sent"]}, "url"),
            ({"url": "https://ok.example/#frag", "events": ["email.sent"]}, "url"),
            ({"url": 7, "events": ["email.sent"]}, "url"),
            ({"url": "https://ok.example/", "events": []}, "events"),
            ({"url": "https://ok.example/", "events": ["*"]}, "events"),
            ({"url": "https://ok.example/", "events": "email.sent"}, "events"),
            ({"url": "https://ok.example/", "events": ["email.sent"], "secret": "mine"}, "secret"),
            ({"url": "https://ok.example/", "events": ["email.sent"], "description": "x" * 201}, "description"),
        ]
        for payload, field in cases:
            with self.subTest(field=field, payload=str(payload)[:80]):
                status, body = self.s.call("POST", "/api/webhooks", payload)
                self.assertEqual(status, 400, body)
                self.assertEqual(body["field"], field, body)
        self.assertEqual(self.s.call("GET", "/api/webhooks")[1]["data"], before)
        for target, field in [("/api/webhooks/deliveries?status=lost", "status"),
                              ("/api/webhooks/deliveries?limit=0", "limit")]:
            status, body = self.s.call("GET", target)
            self.assertEqual((status, body["field"]), (400, field), body)
        self.assertEqual(self.s.call("DELETE", "/api/webhooks/wh_nope")[0], 404)
        self.assertEqual(self.s.call("POST", "/api/webhooks/deliveries/msg_nope/replay")[0], 404)


if __name__ == "__main__":
    unittest.main()
