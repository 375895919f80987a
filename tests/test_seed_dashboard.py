"""The seed's own dashboard against Rekindle (issue 15), through the real binary over TCP:
whole lists where the deployment asks for them, emails whose `content` is a sanitized HTML
fragment, the seed's "Create Order" (a PUT of the figures after an order) recorded as an
order that converts, and refusals whose status line says why."""
import datetime
import http.client
import re
import unittest

from harness import Server, run_cli, wait_for
from test_http_api import iso_days_ago
from test_pipeline import sent_emails

SEED_ORIGIN = "http://localhost:3000"  # where the seed's dashboard runs in development


def iso_now():
    """Now as the seed's dashboard sends it (JavaScript's toISOString: milliseconds)."""
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class SeedDashboardTest(unittest.TestCase):
    """A server run as the README says for the seed's dashboard."""

    @classmethod
    def setUpClass(cls):
        cls.s = Server({"RKD_DEFAULT_PAGE_LIMIT": "1000", "RKD_MAX_PAGE_LIMIT": "1000",
                        "RKD_CORS_ORIGINS": SEED_ORIGIN}, seed_users=300)

    @classmethod
    def tearDownClass(cls):
        cls.s.stop()

    def create(self, email, name, **fields):
        status, body = self.s.call("POST", "/api/users", dict(email=email, name=name, **fields))
        self.assertEqual(status, 201, body)
        return body["data"]

    def emailed(self, user):
        """The client's first sent email (the pipeline writes one for a client at risk)."""
        got = wait_for(lambda: sent_emails(self.s, user["userId"]), timeout=20)
        self.assertTrue(got, f"no email for {user['email']}")
        return got[0]

    def test_lists_are_whole_without_paging(self):
        status, body = self.s.call("GET", "/api/users", headers={"Origin": SEED_ORIGIN})
        self.assertEqual(status, 200)
        self.assertGreaterEqual(len(body["data"]), 300)
        self.assertIsNone(body["nextCursor"])
        resp, _ = self.s.raw("GET", "/api/users?limit=1", headers={"Origin": SEED_ORIGIN})
        self.assertEqual(resp.getheader("Access-Control-Allow-Origin"), SEED_ORIGIN)
        self.assertEqual(self.s.call("GET", "/api/emails?limit=1000")[0], 200)
        status, body = self.s.call("GET", "/api/users?limit=1001")
        self.assertEqual((status, body["field"]), (400, "limit"))
        self.assertIn("1000", body["error"])

    def test_email_content_is_a_sanitized_fragment_and_viewing_it_changes_nothing(self):
        user = self.create("frag@example.com", "<b>Fran</b> Frag", lastOrderDate=iso_days_ago(130), orderCount=2,
                           averageOrderValue=40)
        email = self.emailed(user)
        for listed in (email, self.s.call("GET", "/api/emails?limit=1000")[1]["data"][0]):
            self.assertNotIn("html", listed)  # the document belongs to GET /api/emails/:id
        status, body = self.s.call("GET", "/api/emails?q=frag%40example.com")
        listed = next(e for e in body["data"] if e["emailId"] == email["emailId"])
        content, text = listed["content"], listed["text"]
        self.assertTrue(content.startswith("<p>"), content[:80])
        self.assertIn("</p>", content)
        self.assertIn("Fran", text)
        self.assertNotIn("<b>", content)  # the first name is text, escaped
        self.assertIn("&lt;b&gt;", content)
        for tracking in ("/t/o/", "/t/c/", "<img", "<script", "onerror"):
            self.assertNotIn(tracking, content)
        # Links become links, with their text as written; Rekindle's own (unsubscribe)
        # stay text, so a click in the dashboard unsubscribes nobody.
        hrefs = re.findall(r'href="([^"]*)"', content)
        self.assertTrue(hrefs, content)
        for href in hrefs:
            self.assertTrue(href.startswith("https://"), href)
            self.assertNotIn(f"127.0.0.1:{self.s.port}", href)
        self.assertIn("rel=\"noopener noreferrer\"", content)
        # The single email keeps the document as sent, and its preview has no tracking.
        status, one = self.s.call("GET", f"/api/emails/{email['emailId']}")
        self.assertEqual(status, 200)
        self.assertEqual(one["data"]["content"], content)
        self.assertIn("/t/o/", one["data"]["html"])
        self.assertNotIn("/t/o/", one["data"]["previewHtml"])
        # Reading it all recorded no open and no click.
        status, one = self.s.call("GET", f"/api/emails/{email['emailId']}")
        self.assertEqual(one["data"]["status"], email["status"])
        self.assertIsNone(one["data"].get("openedAt"))
        self.assertIsNone(one["data"].get("clickedAt"))

    def test_the_seeds_create_order_records_an_order_that_converts(self):
        user = self.create("buyer@example.com", "Bea Buyer", lastOrderDate=iso_days_ago(130), orderCount=2,
                           averageOrderValue=40)
        email = self.emailed(user)
        # The seed's "Create Order": the figures after an order of 70.
        status, body = self.s.call("PUT", f"/api/users/{user['userId']}",
                                   {"orderCount": 3, "averageOrderValue": 50, "lastOrderDate": iso_now()})
        self.assertEqual(status, 200, body)
        after = body["data"]
        self.assertEqual((after["orderCount"], after["averageOrderValue"], after["totalSpent"]), (3, 50, 150))
        status, body = self.s.call("GET", f"/api/users/{user['userId']}/orders")
        implied = [o for o in body["data"] if o["implied"]]
        self.assertEqual(len(implied), 1, body)
        self.assertEqual((implied[0]["totalValue"], implied[0]["items"]), (70, []))
        # It converts the email sent before it, with its value.
        converted = wait_for(lambda: [e for e in sent_emails(self.s, user["userId"]) if e.get("convertedAt")])
        self.assertEqual([(e["emailId"], e["conversionRevenue"]) for e in converted], [(email["emailId"], 70)])
        # Figures that no order explains are refused, naming the field; nothing changes.
        for patch, field in [({"orderCount": 2}, "orderCount"),
                             ({"orderCount": 5, "lastOrderDate": iso_now()}, "orderCount"),
                             ({"orderCount": 4, "lastOrderDate": iso_days_ago(30)}, "lastOrderDate"),
                             ({"averageOrderValue": 10}, "averageOrderValue"),
                             ({"orderCount": 4, "averageOrderValue": 1}, "averageOrderValue"),
                             ({"lastOrderDate": None}, "lastOrderDate")]:
            with self.subTest(patch=patch):
                status, body = self.s.call("PUT", f"/api/users/{user['userId']}", patch)
                self.assertEqual((status, body.get("field")), (400, field), body)
        status, body = self.s.call("GET", f"/api/users/{user['userId']}")
        self.assertEqual((body["data"]["orderCount"], body["data"]["totalSpent"]), (3, 150))
        self.assertEqual(len(self.s.call("GET", f"/api/users/{user['userId']}/orders")[1]["data"]), 1)

    def test_a_refusal_says_why_in_its_status_line(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.s.port, timeout=10)
        try:
            conn.request("POST", "/api/users", body='{"email": "not-an-address", "name": "X"}',
                         headers={"Content-Type": "application/json"})
            resp = conn.getresponse()
            body = resp.read()
        finally:
            conn.close()
        self.assertEqual(resp.status, 400)
        self.assertIn("email", resp.reason)
        self.assertNotEqual(resp.reason, "Bad Request")
        self.assertIn(resp.reason.encode(), body)  # the message of the JSON envelope, as it was


class DefaultPageLimitTest(unittest.TestCase):
    def test_the_default_pages_at_50_and_caps_at_500(self):
        s = Server(seed_users=60)
        try:
            status, body = s.call("GET", "/api/users")
            self.assertEqual((status, len(body["data"])), (200, 50))
            self.assertTrue(body["nextCursor"])
            status, body = s.call("GET", "/api/users?limit=501")
            self.assertEqual((status, body["field"]), (400, "limit"))
        finally:
            s.stop()

    def test_a_default_above_the_maximum_is_refused_at_start(self):
        code, _, err = run_cli("serve", env={"RKD_DEFAULT_PAGE_LIMIT": "800", "RKD_MAX_PAGE_LIMIT": "500",
                                             "RKD_HTTP_ADDR": "127.0.0.1:0"}, timeout=20)
        self.assertNotEqual(code, 0)
        self.assertIn("RKD_DEFAULT_PAGE_LIMIT", err)


if __name__ == "__main__":
    unittest.main()
