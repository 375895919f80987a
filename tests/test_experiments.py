"""Experiments on the win-back message (issue 12, parts 3-6), through the real binary: one
runs at a time; each emailed client gets a variant, written from that variant's message
and recorded on the email; orders and clicks are attributed to the variant; the results
say what is missing before a winner can be declared, and looking changes nothing; stop
ends it; promote saves a variant's wording as the message's next version."""
import unittest

from harness import Server, store_query, wait_for
from test_messages import at_risk
from test_pipeline import sent_emails

SHORT = {"name": "winback-1-short", "subject": "Short: {{firstName}}", "text": "Hi {{firstName}} {{{shopUrl}}}",
         "html": '<p>Hi {{firstName}}</p><p><a href="{{shopUrl}}">Shop</a></p>', "note": "shorter"}
EXPERIMENT = {"name": "Shorter wording", "message": "winback-1",
              "variants": [{"message": "winback-1"}, {"message": "winback-1-short"}], "metric": "conversion"}


class ExperimentsTest(unittest.TestCase):
    def setUp(self):
        self.s = Server()
        self.addCleanup(self.s.stop)

    def count(self, table):
        return int(store_query(self.s.env, "SELECT COUNT(*) FROM " + table)[0])

    def start(self, body=None):
        status, got = self.s.call("POST", "/api/messages", SHORT)
        self.assertEqual(status, 201, got)
        status, got = self.s.call("POST", "/api/experiments", body or EXPERIMENT)
        self.assertEqual(status, 201, got)
        return got["data"]

    def test_each_client_gets_a_variant_and_orders_are_attributed_to_it(self):
        exp = self.start()
        self.assertEqual((exp["status"], exp["createdBy"], [v["share"] for v in exp["variants"]]),
                         ("running", "api", [0.5, 0.5]))
        status, body = self.s.call("POST", "/api/experiments", dict(EXPERIMENT, name="Another"))
        self.assertEqual((status, body["field"]), (409, "status"), body)
        self.assertEqual(self.count("experiments"), 1)

        users = [at_risk(self.s, "c%d@example.com" % i, "Client%d Test" % i) for i in range(12)]
        self.assertTrue(wait_for(lambda: all(sent_emails(self.s, u) for u in users), timeout=30))
        emails = {u: sent_emails(self.s, u)[0] for u in users}
        for u, e in emails.items():
            self.assertEqual(e["experimentId"], exp["experimentId"])
            self.assertIn(e["variant"], (0, 1))
            # The email is written from its variant's message.
            self.assertEqual(e["subject"].startswith("Short: "), e["variant"] == 1, e["subject"])
        by_variant = [[u for u in users if emails[u]["variant"] == v] for v in (0, 1)]
        self.assertTrue(by_variant[0] and by_variant[1], "12 clients split into both variants")

        buyer = by_variant[1][0]
        status, body = self.s.call("POST", "/api/orders", {"userId": buyer, "totalValue": 80, "items": [
            {"itemId": "i1", "productId": "p1", "name": "Scarf", "category": "Accessories", "price": 80,
             "quantity": 1}]})
        self.assertEqual(status, 201, body)
        status, got = self.s.call("GET", "/api/experiments/" + exp["experimentId"])
        self.assertEqual(status, 200, got)
        data = got["data"]
        variants = data["variants"]
        self.assertEqual([v["recipients"] for v in variants], [len(by_variant[0]), len(by_variant[1])])
        self.assertEqual([v["conversions"] for v in variants], [0, 1])
        self.assertEqual([v["revenue"] for v in variants], [0, 80])
        self.assertAlmostEqual(variants[1]["rate"], 1 / len(by_variant[1]))
        self.assertLess(variants[1]["rateInterval"]["low"], variants[1]["rate"])
        self.assertIsNone(variants[0]["difference"])
        self.assertGreater(variants[1]["difference"]["pValue"], 0)
        self.assertAlmostEqual(variants[0]["probabilityBest"] + variants[1]["probabilityBest"], 1, places=6)
        self.assertEqual(data["decision"]["state"], "needsRecipients")
        self.assertEqual(data["decision"]["reason"],
                         "needs %d more recipients per variant" % (500 - min(map(len, by_variant))))
        self.assertIn("O'Brien-Fleming", data["method"])
        self.assertEqual([a["reason"] for a in data["allocations"]], ["start"])
        # Looking changes no figure.
        self.assertEqual(self.s.call("GET", "/api/experiments/" + exp["experimentId"])[1]["data"]["variants"],
                         variants)

        status, body = self.s.call("POST", "/api/experiments/%s/promote" % exp["experimentId"], {})
        self.assertEqual((status, body["field"]), (409, "variant"), body)
        status, body = self.s.call("POST", "/api/experiments/%s/stop" % exp["experimentId"])
        self.assertEqual((status, body["data"]["status"]), (200, "stopped"), body)
        self.assertIsNotNone(body["data"]["stoppedAt"])
        status, body = self.s.call("POST", "/api/experiments/%s/stop" % exp["experimentId"])
        self.assertEqual((status, body["field"]), (409, "status"), body)
        later = at_risk(self.s, "later@example.com", "Later Client")
        self.assertTrue(wait_for(lambda: sent_emails(self.s, later), timeout=20))
        self.assertIsNone(sent_emails(self.s, later)[0]["experimentId"])

        # Promote B: its wording becomes winback-1's next version, used by the next email.
        status, body = self.s.call("POST", "/api/experiments/%s/promote" % exp["experimentId"], {"variant": 1})
        self.assertEqual(status, 200, body)
        self.assertEqual(body["data"]["message"], {"name": "winback-1", "version": 1})
        self.assertEqual(body["data"]["experiment"]["promotedVariant"], 1)
        status, body = self.s.call("GET", "/api/messages/winback-1")
        self.assertEqual((body["data"]["subject"], body["data"]["updatedBy"]), (SHORT["subject"], "api"))
        self.assertIn("promoted B (winback-1-short)", body["data"]["note"])
        status, body = self.s.call("POST", "/api/experiments/%s/promote" % exp["experimentId"], {"variant": 0})
        self.assertEqual((status, body["field"]), (409, "variant"), "promoted once")
        last = at_risk(self.s, "last@example.com", "Last Client")
        self.assertTrue(wait_for(lambda: sent_emails(self.s, last), timeout=20))
        self.assertEqual(sent_emails(self.s, last)[0]["subject"], "Short: Last")

    def test_a_fixed_split_follows_its_weights_and_a_bandit_starts_even(self):
        exp = self.start(dict(EXPERIMENT, variants=[{"message": "winback-1", "weight": 1},
                                                    {"message": "winback-1-short", "weight": 3}]))
        self.assertEqual([v["share"] for v in exp["variants"]], [0.25, 0.75])
        self.s.call("POST", "/api/experiments/%s/stop" % exp["experimentId"])
        status, body = self.s.call("POST", "/api/experiments", dict(EXPERIMENT, allocation="bandit", metric="revenue"))
        self.assertEqual(status, 201, body)
        self.assertEqual([v["share"] for v in body["data"]["variants"]], [0.5, 0.5])
        status, body = self.s.call("GET", "/api/experiments")
        self.assertEqual([e["allocation"] for e in body["data"]], ["bandit", "fixed"], "newest first")

    def test_bad_input_is_refused_by_field_and_writes_nothing(self):
        good = dict(EXPERIMENT, variants=[{"message": "winback-1"}, {"message": "winback-2"}])
        status, got = self.s.call("POST", "/api/experiments", dict(good, name="checked first"))
        self.assertEqual(status, 201, got)  # the good body is good: each case below breaks one thing
        self.s.call("POST", "/api/experiments/%s/stop" % got["data"]["experimentId"])
        cases = [
            ({}, "name"),
            (dict(good, name=""), "name"),
            (dict(good, message="nope"), "message"),
            (dict(good, variants=[{"message": "winback-1"}]), "variants"),
            (dict(good, variants="winback-1"), "variants"),
            (dict(good, variants=[{"message": "winback-2"}, {"message": "winback-1"}]), "variants[0].message"),
            (dict(good, variants=[{"message": "winback-1"}, {"message": "missing"}]), "variants[1].message"),
            (dict(good, variants=[{"message": "winback-1"}, {"message": "winback-2", "weight": 0}]),
             "variants[1].weight"),
            (dict(good, variants=[{"message": "winback-1"}, {"message": "winback-2", "extra": 1}]),
             "variants[1].extra"),
            (dict(good, metric="opens"), "metric"),
            (dict(good, allocation="greedy"), "allocation"),
            (dict(good, minRecipients=5), "minRecipients"),
            (dict(good, minRecipients=2000, plannedRecipients=1000), "plannedRecipients"),
            (dict(good, threshold=1), "threshold"),
            (dict(good, owner="me"), "owner"),
        ]
        for body, field in cases:
            status, got = self.s.call("POST", "/api/experiments", body)
            self.assertEqual((status, got.get("field")), (400, field), (body, got))
        self.assertEqual(self.count("experiments"), 1)
        status, got = self.s.call("GET", "/api/experiments/exp_missing")
        self.assertEqual(status, 404, got)
        status, got = self.s.call("POST", "/api/experiments/exp_missing/stop")
        self.assertEqual(status, 404, got)


if __name__ == "__main__":
    unittest.main()
