"""GET /metrics through the real binary: the Prometheus text exposition (0.0.4), its
guard (RKD_METRICS_TOKEN, else RKD_API_KEYS), and figures that move as a client is
created and emailed. The exposition is parsed line by line, as Prometheus reads it."""
import json
import re
import unittest

from fake_openai import FakeOpenAI
from harness import Server, run_cli, wait_for
from test_http_api import iso_days_ago

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)')
TYPES = {"counter", "gauge", "histogram", "summary", "untyped"}


def parse_exposition(text):
    """{(name, frozenset of label pairs): value}; fails on any line that is neither a
    HELP/TYPE comment nor `name{labels} value`, on a sample whose family has no TYPE, and
    on a series given twice."""
    types, samples = {}, {}
    for line in text.splitlines():
        if not line:
            continue
        if line.startswith("#"):
            parts = line.split(" ", 3)
            assert parts[1] in ("HELP", "TYPE") and len(parts) >= 3, line
            if parts[1] == "TYPE":
                assert parts[3] in TYPES, line
                types[parts[2]] = parts[3]
            continue
        m = SAMPLE.match(line)
        assert m, f"not a sample line: {line!r}"
        name, labels_text, value = m.group(1), m.group(2) or "", m.group(3)
        labels, pos = {}, 0
        while pos < len(labels_text):
            lm = LABEL.match(labels_text, pos)
            assert lm, f"bad labels in {line!r}"
            labels[lm.group(1)] = lm.group(2)
            pos = lm.end()
        family = re.sub(r"_(bucket|sum|count)$", "", name) if name not in types else name
        assert family in types, f"{name} has no # TYPE"
        key = (name, frozenset(labels.items()))
        assert key not in samples, f"series given twice: {line!r}"
        samples[key] = float(value)
    return samples


def sample(samples, name, **labels):
    return samples.get((name, frozenset(labels.items())))


def scrape(s, token=None):
    headers = {"Authorization": "Bearer " + token} if token else {}
    resp, data = s.raw("GET", "/metrics", headers=headers)
    return resp, data.decode()


class MetricsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Server({"RKD_SHOP_URL": "https://shop.test"})

    @classmethod
    def tearDownClass(cls):
        cls.s.stop()

    def metrics(self):
        resp, text = scrape(self.s)
        self.assertEqual(resp.status, 200, text)
        self.assertEqual(resp.getheader("Content-Type"), CONTENT_TYPE)
        return parse_exposition(text)

    def test_exposition_is_text_format_with_build_info(self):
        m = self.metrics()
        build = [(dict(labels), value) for (name, labels), value in m.items() if name == "rekindle_build_info"]
        self.assertEqual(len(build), 1, build)
        self.assertEqual(build[0][1], 1)
        self.assertRegex(build[0][0]["version"], r"^\d+\.\d+\.\d+")
        self.assertEqual(sample(m, "rekindle_metrics_source_up", source="bus"), 1)
        self.assertEqual(sample(m, "rekindle_metrics_source_up", source="store"), 1)
        self.assertEqual(sample(m, "rekindle_llm_circuit_breaker_state", state="closed"), None)  # template writer

    def test_figures_move_when_a_client_is_created_and_emailed(self):
        before = self.metrics()
        created = "rekindle_http_requests_total", dict(route="/api/users", method="POST", code="201")
        self.assertIsNone(sample(before, created[0], **created[1]))
        sent_before = sample(before, "rekindle_emails", status="SENT")
        self.assertIsNotNone(sent_before)

        status, body = self.s.call("POST", "/api/users", {
            "email": "mira.metrics@example.com", "name": "Mira Metrics", "lastOrderDate": iso_days_ago(120),
            "orderCount": 1, "averageOrderValue": 80})
        self.assertEqual(status, 201, body)
        user_id = body["data"]["userId"]

        def sent():
            st, b = self.s.call("GET", f"/api/users/{user_id}/emails")
            return st == 200 and [e for e in b["data"] if e["status"] == "SENT"]
        self.assertTrue(wait_for(sent, timeout=20), "no email sent within 20 s")

        after = self.metrics()
        self.assertEqual(sample(after, created[0], **created[1]), 1)
        self.assertGreaterEqual(sample(after, "rekindle_http_request_duration_seconds_count", route="/api/users"), 1)
        self.assertEqual(sample(after, "rekindle_emails", status="SENT"), sent_before + 1)
        self.assertEqual(sample(after, "rekindle_emails_finished_total", status="SENT", writer="template"),
                         (sample(before, "rekindle_emails_finished_total", status="SENT", writer="template") or 0) + 1)
        self.assertEqual(sample(after, "rekindle_mail_sends_total", mailer="outbox", outcome="sent"),
                         sample(before, "rekindle_mail_sends_total", mailer="outbox", outcome="sent") + 1)
        self.assertGreaterEqual(sample(after, "rekindle_users"), 1)
        # The queue's gauges: the event went through and was acked, nothing dead-lettered.
        for name in ("rekindle_queue_depth", "rekindle_queue_in_flight", "rekindle_queue_oldest_message_age_seconds",
                     "rekindle_queue_dead_letters"):
            self.assertIsNotNone(sample(after, name, queue="email-processor"), name)
        self.assertEqual(sample(after, "rekindle_queue_dead_letters", queue="email-processor"), 0)
        self.assertTrue(wait_for(lambda: sample(self.metrics(), "rekindle_queue_in_flight", queue="email-processor")
                                 == 0 and sample(self.metrics(), "rekindle_stream_lag_changes") == 0, timeout=10))

    def test_unmatched_paths_share_one_route_label(self):
        for path in ("/nope-1", "/nope-2/x"):
            self.s.raw("GET", path)
        routes = {dict(k[1]).get("route") for k in self.metrics() if k[0] == "rekindle_http_requests_total"}
        self.assertNotIn("/nope-1", routes)
        self.assertNotIn("/nope-2/x", routes)
        self.assertIn("other", routes)

    def test_config_masks_the_metrics_token(self):
        code, out, err = run_cli("config", env={"RKD_METRICS_TOKEN": "scrape-s3cret"})
        self.assertEqual(code, 0, err)
        self.assertEqual(json.loads(out)["RKD_METRICS_TOKEN"], "set")
        self.assertNotIn("scrape-s3cret", out)


class MetricsGuardTest(unittest.TestCase):
    def start(self, **env):
        s = Server(env)
        self.addCleanup(s.stop)
        return s

    def assert_refused(self, s, token):
        resp, text = scrape(s, token)
        self.assertEqual(resp.status, 401, text)
        self.assertTrue(resp.getheader("WWW-Authenticate", "").startswith("Bearer"))
        self.assertNotIn("rekindle_", text)

    def test_metrics_token_alone_opens_it(self):
        s = self.start(RKD_METRICS_TOKEN="scrape-token-7", RKD_API_KEYS="alpha-key")
        for token in (None, "alpha-key", "scrape-token", "scrape-token-7x", "scrape-token-8"):
            self.assert_refused(s, token)
        resp, text = scrape(s, "scrape-token-7")
        self.assertEqual(resp.status, 200, text)
        self.assertEqual(resp.getheader("Content-Type"), CONTENT_TYPE)
        self.assertTrue(parse_exposition(text))

    def test_api_keys_open_it_without_a_metrics_token(self):
        s = self.start(RKD_API_KEYS="alpha-key,beta-key")
        for token in (None, "alpha", "alpha-key2", "gamma-key"):
            self.assert_refused(s, token)
        for token in ("alpha-key", "beta-key"):
            resp, text = scrape(s, token)
            self.assertEqual(resp.status, 200, text)
        # The refused scrapes were counted too, by their code, under the /metrics route.
        m = parse_exposition(scrape(s, "alpha-key")[1])
        self.assertEqual(sample(m, "rekindle_http_requests_total", route="/metrics", method="GET", code="401"), 4)


class LlmMetricsTest(unittest.TestCase):
    def test_llm_requests_tokens_retries_and_breaker(self):
        fake = FakeOpenAI()
        self.addCleanup(fake.stop)
        fake.configure(script=[{"kind": "status", "status": 429, "headers": {"retry-after-ms": "50"}}])
        s = Server({"OPENAI_API_KEY": "sk-test-metrics", "OPENAI_BASE_URL": fake.url, "OPENAI_MODEL": "fake-mini",
                    "RKD_SHOP_URL": "https://shop.test", "RKD_TRACKING": "off"})
        self.addCleanup(s.stop)
        status, body = s.call("POST", "/api/users", {
            "email": "lars.llm@example.com", "name": "Lars Lund", "lastOrderDate": iso_days_ago(120),
            "orderCount": 3, "averageOrderValue": 80})
        self.assertEqual(status, 201, body)

        def finished():
            m = parse_exposition(scrape(s)[1])
            return sample(m, "rekindle_emails_finished_total", status="SENT", writer="openai") == 1 and m
        m = wait_for(finished, timeout=20)
        self.assertTrue(m, "no LLM email sent within 20 s")
        self.assertEqual(sample(m, "rekindle_llm_requests_total", outcome="rate_limited"), 1)
        self.assertEqual(sample(m, "rekindle_llm_requests_total", outcome="success"), 1)
        self.assertEqual(sample(m, "rekindle_llm_retries_total"), 1)
        self.assertEqual(sample(m, "rekindle_llm_fallbacks_total"), 0)
        self.assertGreater(sample(m, "rekindle_llm_tokens_total", type="prompt"), 0)
        self.assertGreater(sample(m, "rekindle_llm_tokens_total", type="completion"), 0)
        self.assertEqual(sample(m, "rekindle_llm_circuit_breaker_state", state="closed"), 1)
        self.assertEqual(sample(m, "rekindle_llm_circuit_breaker_state", state="open"), 0)
        self.assertEqual(sample(m, "rekindle_metrics_source_up", source="llm"), 1)


if __name__ == "__main__":
    unittest.main()
