"""Tracking (open pixel, click redirects), conversions within the attribution window,
and the holdout the lift is measured against, through the real binary."""
import re
import unittest
import urllib.parse

from harness import Server
from test_http_api import iso_days_ago
from test_pipeline import processed, sent_emails, user_emails, wait_for


def in_holdout(user_id, share):
    h = 0xcbf29ce484222325
    for c in ("holdout:" + user_id).encode():
        h ^= c
        h = (h * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return (h % 10000) < share * 10000


class TrackingAndConversionTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Server({"RKD_SHOP_URL": "https://shop.test"})

    @classmethod
    def tearDownClass(cls):
        cls.s.stop()

    def test_opens_clicks_and_a_conversion(self):
        status, body = self.s.call("POST", "/api/users", {"email": "track@example.com", "name": "Tia Track",
                                                          "lastOrderDate": iso_days_ago(120),
                                                          "preferredCategories": ["Denim"]})
        user = body["data"]
        emails = wait_for(lambda: sent_emails(self.s, user["userId"]), timeout=20)
        e = self.s.call("GET", f"/api/emails/{emails[0]['emailId']}")[1]["data"]  # with its html as sent
        self.assertEqual(e["status"], "SENT")
        clicks = re.findall(r'href="(http://127\.0\.0\.1:\d+/t/c/[^"]+)"', e["html"])
        pixel = re.findall(r'src="(http://127\.0\.0\.1:\d+/t/o/[^"]+)"', e["html"])
        self.assertTrue(clicks)
        self.assertEqual(len(pixel), 1)
        self.assertNotIn('href="https://shop.test', e["html"])  # every shop link is tracked
        self.assertIn("/u/", e["html"])  # the unsubscribe link is not

        resp, data = self.s.raw("GET", urllib.parse.urlparse(pixel[0]).path)
        self.assertEqual((resp.status, resp.getheader("Content-Type")), (200, "image/gif"))
        self.assertEqual(data[:6], b"GIF89a")
        status, body = self.s.call("GET", f"/api/emails/{e['emailId']}")
        self.assertEqual(body["data"]["status"], "OPENED")
        self.assertIsNotNone(body["data"]["openedAt"])

        path = urllib.parse.urlparse(clicks[0]).path
        resp, _ = self.s.raw("GET", path)
        self.assertEqual(resp.status, 302)
        self.assertTrue(resp.getheader("Location").startswith("https://shop.test"))
        status, body = self.s.call("GET", f"/api/emails/{e['emailId']}")
        self.assertEqual(body["data"]["status"], "CLICKED")
        self.assertIsNotNone(body["data"]["clickedAt"])
        # An open after the click does not move the status back.
        self.s.raw("GET", urllib.parse.urlparse(pixel[0]).path)
        self.assertEqual(self.s.call("GET", f"/api/emails/{e['emailId']}")[1]["data"]["status"], "CLICKED")

        # No open redirect: an altered token (another URL, or a forged signature) is refused.
        token = path.rsplit("/", 1)[1]
        payload, sig = token.split(".")
        resp, _ = self.s.raw("GET", "/t/c/" + payload[:-3] + "abc." + sig)
        self.assertEqual(resp.status, 404)
        resp, _ = self.s.raw("GET", "/t/c/" + payload + "." + sig[:-2] + ("AA" if sig[-2:] != "AA" else "BB"))
        self.assertEqual(resp.status, 404)

        # An order within the attribution window converts the email, once.
        status, body = self.s.call("POST", "/api/orders", {"userId": user["userId"], "totalValue": 88.5, "items": []})
        self.assertEqual(status, 201)
        self.s.call("POST", "/api/orders", {"userId": user["userId"], "totalValue": 10, "items": []})
        status, body = self.s.call("GET", f"/api/emails/{e['emailId']}")
        self.assertIsNotNone(body["data"]["convertedAt"])
        self.assertEqual(body["data"]["conversionRevenue"], 88.5)

        status, body = self.s.call("GET", "/api/effectiveness?days=7")
        self.assertEqual(status, 200)
        f = body["data"]["funnel"]
        self.assertGreaterEqual(f["opened"], 1)
        self.assertGreaterEqual(f["clicked"], 1)
        self.assertGreaterEqual(f["converted"], 1)
        self.assertGreaterEqual(f["revenue"], 88.5)
        self.assertEqual(len(body["data"]["daily"]), 7)
        self.assertTrue(body["data"]["opensUnreliable"])
        status, body = self.s.call("GET", "/api/effectiveness?days=0")
        self.assertEqual((status, body["field"]), (400, "days"))

    def test_an_order_before_any_email_converts_nothing(self):
        status, body = self.s.call("POST", "/api/users", {"email": "fresh@example.com", "name": "Fay Fresh",
                                                          "lastOrderDate": iso_days_ago(2)})
        user = body["data"]
        self.s.call("POST", "/api/orders", {"userId": user["userId"], "totalValue": 20, "items": []})
        self.assertEqual(user_emails(self.s, user["userId"]), [])


class HoldoutLiftTest(unittest.TestCase):
    def test_holdout_is_a_stable_hash_and_lift_compares_the_groups(self):
        s = Server({"RKD_HOLDOUT_SHARE": "0.5"})
        try:
            users = []
            for i in range(40):
                status, body = s.call("POST", "/api/users", {"email": f"h{i}@example.com", "name": f"Hal {i}",
                                                             "lastOrderDate": iso_days_ago(150)})
                users.append(body["data"]["userId"])
            held = {u for u in users if in_holdout(u, 0.5)}
            emailed = set(users) - held
            self.assertTrue(held and emailed)
            # Every event handled (state, not log lines), every email's sending over.
            self.assertTrue(wait_for(lambda: all(processed(s, u) for u in users), timeout=30))
            self.assertTrue(wait_for(lambda: all(sent_emails(s, u) for u in emailed), timeout=30))
            for u in users:
                self.assertEqual(bool(user_emails(s, u)), u in emailed, u)
            # Half of the emailed clients order again; one held-out client does.
            for u in sorted(emailed)[: len(emailed) // 2] + sorted(held)[:1]:
                status, _ = s.call("POST", "/api/orders", {"userId": u, "totalValue": 50, "items": []})
                self.assertEqual(status, 201)
            status, body = s.call("GET", "/api/effectiveness")
            lift = body["data"]["lift"]
            self.assertEqual(body["data"]["holdoutShare"], 0.5)
            self.assertEqual(lift["emailed"]["clients"], len(emailed))
            self.assertEqual(lift["heldOut"]["clients"], len(held))
            self.assertEqual(lift["emailed"]["converted"], len(emailed) // 2)
            self.assertEqual(lift["heldOut"]["converted"], 1)
            expected = len(emailed) // 2 / len(emailed) - 1 / len(held)
            self.assertAlmostEqual(lift["absoluteLift"], expected)
            low, high = lift["ci95"]
            self.assertLess(low, expected)
            self.assertGreater(high, expected)
            self.assertEqual(lift["significant"], low > 0 or high < 0)
            self.assertAlmostEqual(lift["emailed"]["revenue"], 50 * (len(emailed) // 2))
        finally:
            s.stop()


if __name__ == "__main__":
    unittest.main()
