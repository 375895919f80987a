"""The LLM writer through the real binary: `rekindle serve` with OPENAI_API_KEY and
OPENAI_BASE_URL pointing at tests/fake_openai.py, a local OpenAI-compatible server.
(The writer's fault handling, one fault at a time, is tested in
src/compose/openai_writer_test.cc against the same server.)"""
import email
import email.policy
import glob
import json
import os
import time
import unittest

from fake_openai import FakeOpenAI
from harness import Server, run_cli, wait_for
from test_http_api import iso_days_ago

KEY = "sk-test-e2e-5f1d9c0a7b3e"



class OpenAiWriterTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fake = FakeOpenAI()

    @classmethod
    def tearDownClass(cls):
        cls.fake.stop()

    def start(self, **env):
        base = {"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": self.fake.url, "OPENAI_MODEL": "fake-mini",
                "RKD_SHOP_URL": "https://shop.test",
                "RKD_TRACKING": "off"}  # the model's own links, as sanitized (tracking is tested elsewhere)
        base.update(env)
        s = Server(base)
        self.addCleanup(s.stop)
        return s

    def lapsed_user(self, s, email_addr, name="Lena Lindqvist"):
        status, body = s.call("POST", "/api/users", {
            "email": email_addr, "name": name, "lastOrderDate": iso_days_ago(120), "orderCount": 3,
            "averageOrderValue": 80, "preferredCategories": ["Knitwear", "Shoes"]})
        self.assertEqual(status, 201, body)
        return body["data"]

    def emails_of(self, s, user_id, timeout=10.0):
        def sent():
            status, body = s.call("GET", f"/api/users/{user_id}/emails")
            self.assertEqual(status, 200, body)
            return [e for e in body["data"] if e["status"] == "SENT"]
        return wait_for(sent, timeout=timeout)

    def test_llm_writes_the_email_sanitized_with_token_counts(self):
        # The first completion's HTML carries a script, an onclick and a javascript: link.
        self.fake.configure(script=[{"kind": "script_html"}], server={"require_key": KEY})
        s = self.start()
        u = self.lapsed_user(s, "lena.llm@example.com")
        emails = self.emails_of(s, u["userId"])
        self.assertEqual(len(emails), 1, "no email within 10 s")
        e = emails[0]
        self.assertEqual(e["writer"], "openai")
        self.assertEqual(e["subject"], "Lena, we saved something for you")
        self.assertIn("Hi Lena,", e["content"])
        self.assertIn("3 orders", e["content"])
        self.assertIn("Knitwear", e["content"])
        self.assertIn("https://shop.test?utm_source=rekindle", e["content"])
        html = s.call("GET", f"/api/emails/{e['emailId']}")[1]["data"]["html"]  # as sent
        self.assertIn('href="https://shop.test?utm_source=rekindle', html)
        for bad in ("<script", "onclick", "javascript:", "<iframe", "Set-Cookie", "pwned", "x.test", "image-set"):
            self.assertNotIn(bad, html)
            self.assertNotIn(bad, e["content"])
        self.assertGreater(e["promptTokens"], 50)
        self.assertGreater(e["completionTokens"], 50)

        requests = self.fake.requests
        self.assertEqual(len(requests), 1)
        self.assertEqual(requests[0]["mode"], "json_schema")
        self.assertEqual(requests[0]["model"], "fake-mini")
        self.assertTrue(requests[0]["auth"])

        # The message that went out is the sanitized one.
        path = wait_for(lambda: glob.glob(os.path.join(s.dir, "outbox", "new", f"*{e['emailId']}*")))
        with open(path[0], "rb") as f:
            msg = email.message_from_binary_file(f, policy=email.policy.default)
        html = msg.get_body(preferencelist=("html",)).get_content()
        self.assertNotIn("<script", html)
        self.assertIn("Lena", html)

        # The key is never logged, and `rekindle config` masks it.
        self.assertTrue(any('"msg":"llm writer"' in line for line in s.log))
        self.assertFalse([line for line in s.log if KEY in line])
        code, out, err = run_cli("config", env=s.env)
        self.assertEqual(code, 0, err)
        self.assertEqual(json.loads(out)["OPENAI_API_KEY"], "set")
        self.assertNotIn(KEY, out + err)

    def test_failing_endpoint_falls_back_to_templates_and_opens_the_breaker(self):
        self.fake.configure(default={"kind": "status", "status": 500, "message": "The server had an error"})
        s = self.start(RKD_OPENAI_MAX_RETRIES="1", RKD_OPENAI_BREAKER_FAILURES="2",
                       RKD_OPENAI_BREAKER_COOLDOWN_S="2")
        # One at a time: events handled side by side would all reach the endpoint before
        # the breaker could open.
        users = []
        for i in range(4):
            u = self.lapsed_user(s, f"down{i}@example.com", name=f"Ada{i} Byron")
            users.append(u)
            emails = self.emails_of(s, u["userId"], timeout=15)
            self.assertEqual(len(emails), 1, u)
            self.assertEqual(emails[0]["writer"], "template")
            self.assertIn(u["name"].split()[0], emails[0]["subject"])
        # Two failures opened the breaker: later emails did not wait on the endpoint.
        self.assertLess(len(self.fake.requests), 2 * len(users))
        fallback_lines = lambda: [json.loads(l) for l in list(s.log) if '"msg":"llm writer fell back"' in l]
        wait_for(lambda: len(fallback_lines()) >= len(users), timeout=20)  # the log flushes every 100 ms
        fallbacks = fallback_lines()
        self.assertEqual(len(fallbacks), len(users))
        self.assertIn("open", [f["breaker"] for f in fallbacks])
        self.assertTrue(any(f["reason"] == "circuit breaker open" for f in fallbacks))
        self.assertFalse([line for line in s.log if KEY in line])

        # The endpoint recovers; after the cooldown the breaker lets a probe through.
        self.fake.configure()
        time.sleep(2.2)
        u = self.lapsed_user(s, "back@example.com", name="Grace Hopper")
        emails = self.emails_of(s, u["userId"])
        self.assertEqual(len(emails), 1)
        self.assertEqual(emails[0]["writer"], "openai")
        self.assertIn("Grace", emails[0]["subject"])


if __name__ == "__main__":
    unittest.main()
