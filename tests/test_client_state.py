"""Issue 16, parts 3 and 4, against the real binary: a client's `state`, their timeline, the
clients' state filter, the email list's filters and total, and the suppression list's
search, paging, add and remove."""
import unittest
import urllib.parse

from harness import Server, wait_for
from test_http_api import iso_days_ago


class ClientStateTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # Workers on, sending set up (the harness's default): at-risk clients get emails.
        cls.s = Server({"RKD_HOLDOUT_SHARE": "0"})

    @classmethod
    def tearDownClass(cls):
        cls.s.stop()

    def create(self, email, name, **fields):
        status, body = self.s.call("POST", "/api/users", dict(email=email, name=name, **fields))
        self.assertEqual(status, 201, body)
        return body["data"]

    def test_state_timeline_and_lists(self):
        lapsed = self.create("lena@example.com", "Lena Lapsed", lastOrderDate=iso_days_ago(200), orderCount=2,
                             averageOrderValue=40)
        never = self.create("nick@example.com", "Nick Never")
        self.assertEqual(lapsed["state"], {"suppressed": None, "heldOut": False, "heldOutAt": None, "failed": None,
                                           "neverOrdered": False})
        self.assertTrue(never["state"]["neverOrdered"])

        # Lena is at risk: an email is written and sent; it shows on her timeline and in the
        # email list with her name, found by her name and counted.
        emails = wait_for(lambda: self.s.call("GET", f"/api/users/{lapsed['userId']}/emails")[1]["data"], timeout=20)
        email = emails[0]
        status, body = self.s.call("GET", "/api/emails?q=" + urllib.parse.quote("lena lapsed"))
        self.assertEqual(status, 200, body)
        self.assertEqual([e["emailId"] for e in body["data"]], [email["emailId"]])
        self.assertEqual(body["total"], 1)
        self.assertEqual((body["data"][0]["userName"], body["data"][0]["userEmail"]),
                         ("Lena Lapsed", "lena@example.com"))
        status, body = self.s.call("GET", "/api/emails?q=nobody-at-all")
        self.assertEqual((body["data"], body["total"]), ([], 0))
        status, body = self.s.call("GET", "/api/emails?to=2000-01-01")
        self.assertEqual(body["total"], 0)

        status, body = self.s.call("GET", f"/api/users/{lapsed['userId']}/timeline")
        self.assertEqual(status, 200, body)
        kinds = [(i["type"], i.get("event") or i.get("cause")) for i in body["data"]["items"]]
        self.assertEqual(kinds[0], ("score", "now"))
        self.assertIn(("email", None), kinds)
        self.assertIn(("score", "email"), kinds)
        self.assertEqual(self.s.call("GET", "/api/users/nobody/timeline")[0], 404)

        # Suppressed: the state says why and since when, the list filters by it, the
        # timeline shows it; removing it clears all three.
        status, body = self.s.call("POST", "/api/suppressions", {"email": "LENA@example.com", "reason": "bounced"})
        self.assertEqual(status, 201, body)
        self.assertEqual(body["data"]["reason"], "bounced")
        self.assertTrue(body["data"]["createdAt"])
        user = self.s.call("GET", f"/api/users/{lapsed['userId']}")[1]["data"]
        self.assertEqual(user["state"]["suppressed"]["reason"], "bounced")
        status, body = self.s.call("GET", "/api/users?state=suppressed")
        self.assertEqual([u["userId"] for u in body["data"]], [lapsed["userId"]])
        self.assertEqual(body["data"][0]["state"]["suppressed"]["reason"], "bounced")
        status, body = self.s.call("GET", "/api/users?state=neverOrdered")
        self.assertEqual([u["userId"] for u in body["data"]], [never["userId"]])
        status, body = self.s.call("GET", "/api/users?state=lapsed")
        self.assertEqual([u["userId"] for u in body["data"]], [lapsed["userId"]])
        timeline = self.s.call("GET", f"/api/users/{lapsed['userId']}/timeline")[1]["data"]["items"]
        self.assertIn("bounced", [i.get("event") for i in timeline])

        status, body = self.s.call("GET", "/api/suppressions?q=lena")
        self.assertEqual((len(body["data"]), body["total"]), (1, 1))
        self.assertEqual(self.s.call("GET", "/api/suppressions/lena%40example.com")[0], 200)
        self.assertEqual(self.s.call("DELETE", "/api/suppressions/LENA%40example.com")[0], 200)
        user = self.s.call("GET", f"/api/users/{lapsed['userId']}")[1]["data"]
        self.assertIsNone(user["state"]["suppressed"])
        self.assertEqual(self.s.call("GET", "/api/users?state=suppressed")[1]["data"], [])

    def test_suppressions_page_through_with_a_total(self):
        for i in range(7):
            self.assertEqual(self.s.call("POST", "/api/suppressions", {"email": f"page{i}@paging.test"})[0], 201)
        seen, cursor = [], None
        while True:
            status, body = self.s.call("GET", "/api/suppressions?q=paging.test&limit=3" +
                                       (f"&cursor={urllib.parse.quote(cursor)}" if cursor else ""))
            self.assertEqual(status, 200, body)
            self.assertEqual(body["total"], 7)
            seen += [x["email"] for x in body["data"]]
            cursor = body["nextCursor"]
            if not cursor:
                break
        self.assertEqual(sorted(seen), sorted(f"page{i}@paging.test" for i in range(7)))


if __name__ == "__main__":
    unittest.main()
