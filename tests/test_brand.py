"""The shop's brand in its emails and "send a test to me" (issue 12, part 2), through the
real binary: the logo, currency and sign-off settings, the responsive templates with their
preheader in what the pipeline sends, and POST /api/test-email, which delivers the
rendered message to the address given, marked as a test and counted nowhere."""
import email
import email.policy
import json
import os
import re
import unittest

from harness import Server, store_query, wait_for
from test_http_api import iso_days_ago
from test_pipeline import outbox_files, sent_emails

BRAND = {"shopName": "Ada's Yarn", "logoUrl": "https://cdn.yarn.example/logo.png", "currency": "EUR",
         "signOff": "Ada and the Yarn crew"}


def read_eml(path):
    with open(path, "rb") as f:
        return email.message_from_bytes(f.read(), policy=email.policy.default)


def bodies(msg):
    """The text and HTML parts, their CR LF line ends read as LF."""
    return tuple(msg.get_body(preferencelist=(kind,)).get_content().replace("\r\n", "\n")
                 for kind in ("plain", "html"))


def email_rows(s):
    return int(store_query(s.env, "SELECT COUNT(*) FROM emails")[0])


def regular_at_risk(s, addr, name="Lena Lindqvist"):
    status, body = s.call("POST", "/api/users", {"email": addr, "name": name, "lastOrderDate": iso_days_ago(120),
                                                 "orderCount": 3, "averageOrderValue": 1234.5})
    assert status == 201, body
    return body["data"]["userId"]


class BrandSettingsTest(unittest.TestCase):
    def setUp(self):
        self.s = Server()
        self.addCleanup(self.s.stop)

    def test_the_brand_is_stored_and_bad_values_are_named_and_not_written(self):
        status, body = self.s.call("PUT", "/api/settings", BRAND)
        self.assertEqual(status, 200, body)
        for key, value in BRAND.items():
            self.assertEqual(body["data"][key], value)
        for patch, field in [({"logoUrl": "http://cdn.yarn.example/logo.png"}, "logoUrl"),
                             ({"logoUrl": "javascript:alert(1)"}, "logoUrl"),
                             ({"currency": "eur"}, "currency"), ({"currency": "BTC"}, "currency"),
                             ({"signOff": "Bye\r\nBcc: x@evil.example"}, "signOff"),
                             ({"signOff": "x" * 101}, "signOff"),
                             ({"currency": "GBP", "logoUrl": "ftp://x"}, "logoUrl")]:
            status, body = self.s.call("PUT", "/api/settings", patch)
            self.assertEqual((status, body["field"]), (400, field), patch)
        status, body = self.s.call("GET", "/api/settings")
        self.assertEqual({k: body["data"][k] for k in BRAND}, BRAND)  # the refused GBP not written either
        status, body = self.s.call("PUT", "/api/settings", {"logoUrl": None, "currency": "", "signOff": None})
        self.assertEqual(status, 200, body)
        self.assertEqual((body["data"]["logoUrl"], body["data"]["currency"], body["data"]["signOff"]),
                         (None, None, None))

    def test_the_pipeline_sends_the_brand_in_a_message_made_for_a_phone(self):
        status, body = self.s.call("PUT", "/api/settings", BRAND)
        self.assertEqual(status, 200, body)
        uid = regular_at_risk(self.s, "lena@example.com")
        self.assertTrue(wait_for(lambda: sent_emails(self.s, uid), timeout=20))
        files = outbox_files(self.s)
        self.assertEqual(len(files), 1)
        text, html = bodies(read_eml(files[0]))
        self.assertIn("€1,234.50", text)
        self.assertIn("€1,234.50", html)
        self.assertNotIn("$", text)
        self.assertRegex(text, r"See you soon,\nAda and the Yarn crew\n")
        self.assertIn("<br>Ada and the Yarn crew</p>", html)
        self.assertIn('<img src="https://cdn.yarn.example/logo.png" alt="Ada&apos;s Yarn"', html)
        self.assertIn('<meta name="viewport" content="width=device-width, initial-scale=1">', html)
        self.assertIn("max-width:560px", html)
        self.assertNotRegex(html, r'width="(5\d\d|[4-9]\d\d)"')  # no fixed width wider than a phone
        preheader = re.search(r'<div style="display:none;[^"]*">([^<]*)</div>', html)
        self.assertIsNotNone(preheader)
        self.assertIn("at Ada&apos;s Yarn", preheader.group(1))

    def test_without_a_brand_the_message_is_plain_and_in_dollars(self):
        uid = regular_at_risk(self.s, "nils@example.com", "Nils Holm")
        self.assertTrue(wait_for(lambda: sent_emails(self.s, uid), timeout=20))
        text, html = bodies(read_eml(outbox_files(self.s)[0]))
        self.assertIn("$1,234.50", text)
        self.assertRegex(text, r"See you soon,\nThe team\n")
        self.assertNotRegex(html, r'<img src="https://')  # no logo (the open pixel is the server's own)


class TestEmailTest(unittest.TestCase):
    def setUp(self):
        # No workers: anything in the outbox came from a test send.
        self.s = Server({"RKD_WORKERS": "0"})
        self.addCleanup(self.s.stop)
        status, body = self.s.call("PUT", "/api/settings", BRAND)
        assert status == 200, body

    def test_a_test_is_the_rendered_message_marked_as_a_test_and_counted_nowhere(self):
        status, before = self.s.call("GET", "/api/sending")
        status, body = self.s.call("POST", "/api/test-email", {"to": "me@yarn.example"})
        self.assertEqual(status, 200, body)
        d = body["data"]
        self.assertEqual((d["to"], d["step"], d["steps"], d["client"]["sample"]), ("me@yarn.example", 1, 3, True))
        self.assertTrue(d["subject"].startswith("[Test] "), d)
        files = outbox_files(self.s)
        self.assertEqual(len(files), 1)
        msg = read_eml(files[0])
        self.assertEqual(msg["To"].addresses[0].addr_spec, "me@yarn.example")
        self.assertEqual(str(msg["Subject"]), d["subject"])
        self.assertIsNone(msg["List-Unsubscribe"])
        text, html = bodies(msg)
        self.assertTrue(text.startswith("[This is a test of step 1 of 3 of the win-back email, rendered for "
                                        "Alex Sample. No client received it.]"), text[:200])
        self.assertIn("No client received it.", html)
        self.assertIn("€59.90", text)  # the sample client's average order
        self.assertIn("logo.png", html)
        self.assertIn("Ada and the Yarn crew", text)
        # No tracking, and a way out that unsubscribes no one.
        self.assertNotIn("/t/", html)
        self.assertIn(f"http://127.0.0.1:{self.s.port}/u/test-email", text)
        resp, _ = self.s.raw("GET", "/u/test-email")
        self.assertGreaterEqual(resp.status, 400)
        self.assertEqual(int(store_query(self.s.env, "SELECT COUNT(*) FROM suppressions")[0]), 0)
        # Counted nowhere: no email row, no cap taken, no metric.
        self.assertEqual(email_rows(self.s), 0)
        status, after = self.s.call("GET", "/api/sending")
        self.assertEqual(after["data"]["sentToday"], before["data"]["sentToday"])
        status, metrics = self.s.call("GET", "/api/metrics")
        self.assertEqual(metrics["data"]["emails"]["total"], 0)

    def test_rendered_for_a_chosen_client_and_step(self):
        uid = regular_at_risk(self.s, "lena@example.com")
        status, body = self.s.call("POST", "/api/test-email", {"to": "me@yarn.example", "userId": uid, "step": 2})
        self.assertEqual(status, 200, body)
        d = body["data"]
        self.assertEqual((d["client"], d["step"]), ({"userId": uid, "name": "Lena Lindqvist", "sample": False}, 2))
        self.assertEqual(d["subject"], "[Test] Lena, a quick reminder from us")  # winback-2's, no categories
        text, _ = bodies(read_eml(outbox_files(self.s)[0]))
        self.assertIn("rendered for Lena Lindqvist", text)
        self.assertIn("We wrote to you a little while ago", text)
        with open(outbox_files(self.s)[0], encoding="latin-1") as f:
            self.assertNotIn("lena@example.com", f.read())
        self.assertEqual(email_rows(self.s), 0)

    def test_bad_requests_are_named_and_send_nothing(self):
        cases = [({}, 400, "to"), ({"to": "not-an-address"}, 400, "to"),
                 ({"to": "me@yarn.example\r\nBcc: victim@example.com"}, 400, "to"),
                 ({"to": "me@yarn.example, victim@example.com"}, 400, "to"),
                 ({"to": "me@yarn.example", "step": 0}, 400, "step"),
                 ({"to": "me@yarn.example", "step": 4}, 400, "step"),
                 ({"to": "me@yarn.example", "step": "1"}, 400, "step"),
                 ({"to": "me@yarn.example", "userId": 7}, 400, "userId"),
                 ({"to": "me@yarn.example", "userId": "no-such-client"}, 404, "userId"),
                 ({"to": "me@yarn.example", "subject": "Free money"}, 400, "subject")]
        for payload, status_wanted, field in cases:
            status, body = self.s.call("POST", "/api/test-email", payload)
            self.assertEqual((status, body.get("field")), (status_wanted, field), payload)
        status, body = self.s.call("POST", "/api/test-email", "[1]")
        self.assertEqual(status, 400)
        self.assertEqual(outbox_files(self.s), [])

    def test_at_most_ten_a_minute(self):
        answers = [self.s.call("POST", "/api/test-email", {"to": f"me{i}@yarn.example"}) for i in range(11)]
        self.assertEqual([a[0] for a in answers], [200] * 10 + [429])
        self.assertEqual(answers[-1][1]["code"], "rate_limited")
        resp, _ = self.s.raw("POST", "/api/test-email", json.dumps({"to": "me@yarn.example"}),
                             {"Content-Type": "application/json"})
        self.assertEqual(resp.status, 429)
        self.assertTrue(0 < int(resp.getheader("Retry-After")) <= 61)
        self.assertEqual(len(outbox_files(self.s)), 10)


class TestEmailBeforeSetUpTest(unittest.TestCase):
    def test_needs_the_settings_a_real_email_needs_but_not_resumed_sending(self):
        s = Server({"RKD_WORKERS": "0"}, configure_sending=False)
        self.addCleanup(s.stop)
        status, body = s.call("POST", "/api/test-email", {"to": "me@yarn.example"})
        self.assertEqual((status, body["code"], body["field"]), (409, "failed_precondition", "senderName"), body)
        self.assertIn("senderEmail", body["error"])
        self.assertEqual(outbox_files(s), [])
        status, body = s.call("PUT", "/api/settings", {"senderName": "Ada", "senderEmail": "ada@yarn.example",
                                                       "postalAddress": "1 Wool St", "publicUrl": "https://r.example"})
        self.assertEqual(status, 200, body)
        status, sending = s.call("GET", "/api/sending")
        self.assertTrue(sending["data"]["paused"])  # a test goes while sending is paused
        status, body = s.call("POST", "/api/test-email", {"to": "me@yarn.example"})
        self.assertEqual(status, 200, body)
        self.assertEqual(len(outbox_files(s)), 1)
        self.assertIn("https://r.example/u/test-email", bodies(read_eml(outbox_files(s)[0]))[0])


if __name__ == "__main__":
    unittest.main()
