"""The win-back messages edited through the API (issue 12, part 1), through the real
binary: the built-in messages listed as version 0, a save checked and stored as a new
version with who and why, a stale edit refused, the pipeline writing the next email from
the saved version, and the preview rendering a message or a draft for a client."""
import email
import email.policy
import unittest

from harness import Server, store_query, wait_for
from test_http_api import iso_days_ago
from test_pipeline import outbox_files, sent_emails

SUBJECT = "{{firstName}}, a note from the Yarn shop"
TEXT = "Hi {{firstName}},\n\nCome and see what is new: {{{shopUrl}}}\n\n{{{signOff}}}"
HTML = '<p>Hi {{firstName}},</p><p><a href="{{shopUrl}}">Come and see what is new</a></p><p>{{signOff}}</p>'


def at_risk(s, addr, name="Lena Lindqvist"):
    status, body = s.call("POST", "/api/users", {"email": addr, "name": name, "lastOrderDate": iso_days_ago(120),
                                                 "orderCount": 2, "averageOrderValue": 40})
    assert status == 201, body
    return body["data"]["userId"]


class MessagesTest(unittest.TestCase):
    def setUp(self):
        self.s = Server()
        self.addCleanup(self.s.stop)

    def versions_stored(self):
        return int(store_query(self.s.env, "SELECT COUNT(*) FROM message_versions")[0])

    def test_the_built_in_messages_are_listed_as_version_zero(self):
        status, body = self.s.call("GET", "/api/messages")
        self.assertEqual(status, 200, body)
        listed = {m["name"]: m for m in body["data"]}
        self.assertEqual(sorted(listed), ["winback-1", "winback-2", "winback-3"])
        self.assertEqual([(listed[n]["version"], listed[n]["builtIn"], listed[n]["steps"]) for n in sorted(listed)],
                         [(0, True, [1]), (0, True, [2]), (0, True, [3])])
        status, body = self.s.call("GET", "/api/messages/winback-2")
        self.assertEqual(status, 200, body)
        m = body["data"]
        self.assertIn("{{{firstName}}}", m["text"])
        self.assertIn('href="{{shopUrl}}"', m["html"])
        self.assertEqual((m["currentVersion"], [v["version"] for v in m["versions"]]), (0, [0]))
        self.assertIn("signOff", m["placeholders"])

    def test_a_saved_version_writes_the_next_email_and_keeps_the_history(self):
        status, body = self.s.call("PUT", "/api/messages/winback-1",
                                   {"subject": SUBJECT, "text": TEXT, "html": HTML, "note": "shorter", "baseVersion": 0})
        self.assertEqual(status, 200, body)
        self.assertEqual((body["data"]["version"], body["data"]["updatedBy"], body["data"]["note"]),
                         (1, "api", "shorter"))
        uid = at_risk(self.s, "lena@example.com")
        self.assertTrue(wait_for(lambda: sent_emails(self.s, uid), timeout=20))
        self.assertEqual(sent_emails(self.s, uid)[0]["subject"], "Lena, a note from the Yarn shop")
        with open(outbox_files(self.s)[0], "rb") as f:
            msg = email.message_from_bytes(f.read(), policy=email.policy.default)
        text = msg.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
        self.assertTrue(text.startswith("Hi Lena,\n\nCome and see what is new: "), text)
        # A second save, then an edit made from the first: refused, nothing written.
        status, body = self.s.call("PUT", "/api/messages/winback-1",
                                   {"subject": "{{firstName}}, still here", "text": TEXT, "html": HTML,
                                    "baseVersion": 1})
        self.assertEqual((status, body["data"]["version"]), (200, 2))
        status, body = self.s.call("PUT", "/api/messages/winback-1",
                                   {"subject": "lost edit {{firstName}}", "text": TEXT, "html": HTML, "baseVersion": 1})
        self.assertEqual((status, body["field"]), (409, "baseVersion"), body)
        self.assertEqual(self.versions_stored(), 2)
        status, body = self.s.call("GET", "/api/messages/winback-1")
        self.assertEqual([v["version"] for v in body["data"]["versions"]], [2, 1, 0])
        self.assertEqual(body["data"]["subject"], "{{firstName}}, still here")
        status, body = self.s.call("GET", "/api/messages/winback-1?version=1")
        self.assertEqual((body["data"]["version"], body["data"]["subject"], body["data"]["currentVersion"]),
                         (1, SUBJECT, 2))
        status, body = self.s.call("GET", "/api/messages/winback-1?version=0")
        self.assertEqual((body["data"]["version"], body["data"]["builtIn"]), (0, True))
        status, body = self.s.call("GET", "/api/messages/winback-1?version=7")
        self.assertEqual((status, body["field"]), (404, "version"))

    def test_bad_messages_are_named_and_nothing_is_written(self):
        good = {"subject": SUBJECT, "text": TEXT, "html": HTML}
        cases = [
            ("PUT", "/api/messages/winback-1", dict(good, subject="{{fristName}}, hi"), 400, "subject"),
            ("PUT", "/api/messages/winback-1", dict(good, text="Hi {{firstName}}, no link"), 400, "text"),
            ("PUT", "/api/messages/winback-1", dict(good, html=HTML + "<script>x</script>"), 400, "html"),
            ("PUT", "/api/messages/winback-1", dict(good, html="<p>{{#hasOrders}}</p>"), 400, "html"),
            ("PUT", "/api/messages/winback-1", dict(good, subject="x" * 130), 400, "subject"),
            ("PUT", "/api/messages/winback-1", dict(good, name="other"), 400, "name"),
            ("PUT", "/api/messages/winback-1", dict(good, subject=7), 400, "subject"),
            ("PUT", "/api/messages/winback-1", dict(good, baseVersion=-1), 400, "baseVersion"),
            ("PUT", "/api/messages/no-such-message", good, 404, "name"),
            ("PUT", "/api/messages/Bad_Name", good, 400, "name"),
            ("POST", "/api/messages", good, 400, "name"),
            ("POST", "/api/messages", dict(good, name="winback-2"), 409, "name"),
            ("POST", "/api/messages", dict(good, name="../etc"), 400, "name"),
        ]
        for method, target, payload, want, field in cases:
            status, body = self.s.call(method, target, payload)
            self.assertEqual((status, body.get("field")), (want, field), (method, target, payload))
        self.assertEqual(self.versions_stored(), 0)
        status, body = self.s.call("POST", "/api/messages", dict(good, name="spring-sale", note="for March"))
        self.assertEqual((status, body["data"]["version"], body["data"]["steps"]), (201, 1, []), body)
        status, body = self.s.call("POST", "/api/messages", dict(good, name="spring-sale"))
        self.assertEqual((status, body["field"]), (409, "name"))
        status, body = self.s.call("GET", "/api/messages")
        self.assertIn("spring-sale", [m["name"] for m in body["data"]])

    def test_the_preview_renders_a_message_or_a_draft_for_a_client(self):
        status, body = self.s.call("PUT", "/api/settings", {"currency": "GBP", "signOff": "The Yarn crew"})
        self.assertEqual(status, 200, body)
        uid = at_risk(self.s, "lena@example.com")
        status, body = self.s.call("POST", f"/api/messages/winback-1/preview?userId={uid}")
        self.assertEqual(status, 200, body)
        p = body["data"]
        self.assertEqual((p["client"]["name"], p["client"]["sample"], p["step"], p["problem"]),
                         ("Lena Lindqvist", False, 1, None))
        self.assertTrue(p["subject"].startswith("Lena, "), p["subject"])
        self.assertIn("£40.00", p["text"])
        self.assertIn("The Yarn crew", p["text"])
        self.assertIn("1 Test Street, 12345 Testville", p["text"])  # the footer, as sent
        self.assertNotIn("/t/", p["html"])
        # A draft: rendered as typed, what saving would say beside it.
        status, body = self.s.call("POST", "/api/messages/winback-3/preview",
                                   {"subject": "{{fristName}} last call", "text": TEXT, "html": HTML})
        self.assertEqual(status, 200, body)
        p = body["data"]
        self.assertEqual((p["client"]["name"], p["step"], p["problem"]["field"]), ("Alex Sample", 3, "subject"))
        self.assertEqual(p["subject"], "last call")
        status, body = self.s.call("POST", "/api/messages/winback-1/preview", {"subject": "{{#x}}", "text": TEXT,
                                                                              "html": HTML})
        self.assertEqual((status, body["field"]), (400, "subject"))
        status, body = self.s.call("POST", "/api/messages/winback-1/preview?userId=nobody")
        self.assertEqual((status, body["field"]), (404, "userId"))
        self.assertEqual(self.versions_stored(), 0)  # a preview saves nothing


if __name__ == "__main__":
    unittest.main()
