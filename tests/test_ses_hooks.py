"""SES bounce and complaint notifications at POST /hooks/ses, through the real binary:
SNS envelopes signed with a key made here (`openssl` CLI) whose certificate a local
HTTP server serves (RKD_SNS_ALLOW_INSECURE_CERT_URL=true, a test-only switch), and the
shared-secret path."""
import base64
import datetime
import http.server
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.parse
import uuid

from harness import Server
from test_http_api import iso_days_ago
from test_pipeline import processed, wait_for

SECRET = "hook-secret-0123456789"
API = {"Authorization": "Bearer test-api-key"}  # /api needs a key; /hooks/ses does not


class CertServer:
    """Serves /cert.pem and answers /confirm (the SubscribeURL), recording each path."""

    def __init__(self, cert_pem):
        self.requests = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                outer.requests.append(self.path)
                if self.path == "/cert.pem":
                    body, ctype = cert_pem, "application/x-pem-file"
                elif self.path.startswith("/confirm"):
                    body, ctype = b"<ConfirmSubscriptionResponse/>", "text/xml"
                else:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class StuckServer:
    """Accepts connections and never answers: a certificate host that hangs."""

    def __init__(self, host):
        self.sock = socket.socket()
        self.sock.bind((host, 0))
        self.sock.listen(64)
        self.host, self.port = self.sock.getsockname()
        self.held = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)

    def url(self, path):
        return f"http://{self.host}:{self.port}{path}"

    def stop(self):
        self.sock.close()
        for c in self.held:
            c.close()


TOPIC = "arn:aws:sns:eu-west-1:123456789012:ses-feedback"


def now_iso(seconds_ago=0):
    t = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=seconds_ago)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def canonical(msg):
    if msg["Type"] == "Notification":
        keys = ["Message", "MessageId"] + (["Subject"] if "Subject" in msg else []) + ["Timestamp", "TopicArn", "Type"]
    else:
        keys = ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"]
    return "".join(f"{k}\n{msg[k]}\n" for k in keys)


class SesHooksTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="rkd-sns-")
        cls.key = os.path.join(cls.tmp, "key.pem")
        cert = os.path.join(cls.tmp, "cert.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", cls.key, "-out", cert,
                        "-subj", "/CN=sns.test", "-days", "2"], check=True, capture_output=True)
        with open(cert, "rb") as f:
            cls.certs = CertServer(f.read())
        cls.s = Server({"RKD_SNS_ALLOW_INSECURE_CERT_URL": "true", "RKD_SES_WEBHOOK_SECRET": SECRET,
                        "RKD_API_KEYS": "test-api-key", "RKD_SNS_TOPIC_ARNS": TOPIC + ",arn:aws:sns:us-east-1:1:other"})

    @classmethod
    def tearDownClass(cls):
        cls.s.stop()
        cls.certs.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    # --- helpers -----------------------------------------------------------------
    def sign(self, msg, version="2"):
        msg = dict(msg, SignatureVersion=version, SigningCertURL=msg.get("SigningCertURL", self.certs.url("/cert.pem")))
        digest = "-sha256" if version == "2" else "-sha1"
        sig = subprocess.run(["openssl", "dgst", digest, "-sign", self.key], input=canonical(msg).encode(),
                             check=True, capture_output=True).stdout
        msg["Signature"] = base64.b64encode(sig).decode()
        return msg

    def notification(self, ses, **extra):
        msg = {"Type": "Notification", "MessageId": str(uuid.uuid4()),
               "TopicArn": "arn:aws:sns:eu-west-1:123456789012:ses-feedback",
               "Subject": "Amazon SES Email Event Notification", "Message": json.dumps(ses),
               "Timestamp": now_iso()}
        msg.update(extra)
        return msg

    def post(self, body, path="/hooks/ses", headers=None):
        h = {"Content-Type": "text/plain; charset=UTF-8", "x-amz-sns-message-type": body.get("Type", "")
             if isinstance(body, dict) else ""}
        h.update(headers or {})
        raw = body if isinstance(body, (str, bytes)) else json.dumps(body)
        resp, data = self.s.raw("POST", path, raw, h)
        return resp.status, (json.loads(data) if data else None)

    def refused_for(self, reason):
        """The hook logged that it refused a message for `reason` (the response says less)."""
        return wait_for(lambda: any('"ses hook refused"' in l and reason in l for l in list(self.s.log)), timeout=20)

    def suppressions(self):
        status, body = self.s.call("GET", "/api/suppressions", headers=API)
        self.assertEqual(status, 200, body)
        return {x["email"]: x["reason"] for x in body["data"]}

    @staticmethod
    def bounce(kind, *addrs):
        return {"notificationType": "Bounce", "mail": {"messageId": str(uuid.uuid4())},
                "bounce": {"bounceType": kind, "bounceSubType": "General",
                           "bouncedRecipients": [{"emailAddress": a, "status": "5.1.1"} for a in addrs]}}

    @staticmethod
    def complaint(*addrs):
        return {"notificationType": "Complaint", "mail": {"messageId": str(uuid.uuid4())},
                "complaint": {"complaintFeedbackType": "abuse",
                              "complainedRecipients": [{"emailAddress": a} for a in addrs]}}

    # --- tests -------------------------------------------------------------------
    def test_signed_permanent_bounce_suppresses_and_the_client_is_never_emailed(self):
        msg = self.sign(self.notification(self.bounce("Permanent", "gone@example.com", "Also Gone <gone2@example.com>")))
        status, body = self.post(msg)
        self.assertEqual(status, 200, body)
        self.assertEqual(body["data"]["suppressed"], ["gone@example.com", "gone2@example.com"])
        sup = self.suppressions()
        self.assertEqual((sup.get("gone@example.com"), sup.get("gone2@example.com")), ("bounced", "bounced"))
        self.assertIn("/cert.pem", self.certs.requests)

        # SNS retries: the same notification again is fine.
        status, _ = self.post(msg)
        self.assertEqual(status, 200)

        # A lapsed client at that address is scored but never emailed.
        status, u = self.s.call("POST", "/api/users", {"email": "gone@example.com", "name": "Gil Gone",
                                                       "lastOrderDate": iso_days_ago(130), "orderCount": 1},
                                   headers=API)
        self.assertEqual(status, 201, u)
        self.assertTrue(wait_for(lambda: processed(self.s, u["data"]["userId"], API), timeout=20))
        time.sleep(0.5)
        emails = lambda user: self.s.call("GET", f"/api/users/{user['data']['userId']}/emails", headers=API)[1]["data"]
        # A control client, not suppressed, is emailed by the same pipeline.
        status, control = self.s.call("POST", "/api/users", {"email": "stays@example.com", "name": "Sue Stays",
                                                             "lastOrderDate": iso_days_ago(130), "orderCount": 1},
                                      headers=API)
        self.assertEqual(status, 201, control)
        self.assertTrue(wait_for(lambda: emails(control), timeout=20))
        self.assertEqual(emails(u), [])

    def test_signed_complaint_suppresses_as_complained(self):
        status, body = self.post(self.sign(self.notification(self.complaint("angry@example.com")), version="1"))
        self.assertEqual(status, 200, body)
        self.assertEqual(self.suppressions().get("angry@example.com"), "complained")

    def test_transient_bounce_suppresses_nothing(self):
        status, body = self.post(self.sign(self.notification(self.bounce("Transient", "full@example.com"))))
        self.assertEqual(status, 200, body)
        self.assertEqual(body["data"]["suppressed"], [])
        self.assertNotIn("full@example.com", self.suppressions())
        self.assertTrue(wait_for(lambda: any('"ses notification"' in l and "full@example.com" in l for l in list(self.s.log)), timeout=20))

    def test_bad_signatures_are_refused_and_write_nothing(self):
        good = self.sign(self.notification(self.bounce("Permanent", "victim@example.com")))
        tampered = dict(good, Message=json.dumps(self.bounce("Permanent", "victim2@example.com")))
        status, body = self.post(tampered)
        self.assertEqual(status, 403, body)
        self.assertEqual((body["success"], body["code"]), (False, "forbidden"))
        forged = dict(good, Signature=base64.b64encode(b"\x00" * 256).decode())
        self.assertEqual(self.post(forged)[0], 403)
        unsigned = {k: v for k, v in good.items() if k not in ("Signature", "SignatureVersion", "SigningCertURL")}
        self.assertEqual(self.post(unsigned)[0], 403)
        # A certificate from a host off the allow-list is never fetched.
        foreign = self.sign(self.notification(self.bounce("Permanent", "victim3@example.com"),
                                              SigningCertURL="http://evil.example/cert.pem"))
        self.assertEqual(self.post(foreign)[0], 403)
        # A wrong secret does not help.
        self.assertEqual(self.post(tampered, headers={"Authorization": "Bearer wrong"})[0], 403)
        sup = self.suppressions()
        for addr in ("victim@example.com", "victim2@example.com", "victim3@example.com"):
            self.assertNotIn(addr, sup)

    def test_an_old_signed_message_is_a_replay_and_writes_nothing(self):
        for ts in (now_iso(seconds_ago=2 * 3600), now_iso(seconds_ago=-2 * 3600), "yesterday"):
            msg = self.sign(self.notification(self.bounce("Permanent", "replayed@example.com"), Timestamp=ts))
            status, body = self.post(msg)
            self.assertEqual(status, 403, body)
            self.assertTrue(self.refused_for(f"Timestamp {ts} is not within"), ts)
        self.assertNotIn("replayed@example.com", self.suppressions())

    def test_a_topic_not_allowed_is_refused_even_when_signed(self):
        msg = self.sign(self.notification(self.bounce("Permanent", "strange@example.com"),
                                          TopicArn="arn:aws:sns:eu-west-1:999999999999:someone-else"))
        status, body = self.post(msg)
        self.assertEqual(status, 403, body)
        self.assertTrue(self.refused_for("TopicArn arn:aws:sns:eu-west-1:999999999999:someone-else is not one of"))
        self.assertNotIn("strange@example.com", self.suppressions())

    def test_shared_secret_accepts_raw_ses_and_unsigned_envelopes(self):
        raw = self.complaint("direct@example.com")
        self.assertEqual(self.post(raw)[0], 403)
        self.assertEqual(self.post(raw, headers={"Authorization": "Bearer " + SECRET[:-1] + "X"})[0], 403)
        self.assertEqual(self.post(raw, path="/hooks/ses?secret=nope")[0], 403)
        self.assertNotIn("direct@example.com", self.suppressions())

        status, body = self.post(raw, headers={"Authorization": "Bearer " + SECRET})
        self.assertEqual(status, 200, body)
        self.assertEqual(self.suppressions().get("direct@example.com"), "complained")

        envelope = self.notification(self.bounce("Permanent", "direct2@example.com"))  # unsigned
        status, body = self.post(envelope, path="/hooks/ses?" + urllib.parse.urlencode({"secret": SECRET}))
        self.assertEqual(status, 200, body)
        self.assertEqual(self.suppressions().get("direct2@example.com"), "bounced")

    def test_subscription_confirmation_fetches_the_subscribe_url(self):
        url = self.certs.url("/confirm?Action=ConfirmSubscription&Token=tok123")
        msg = self.sign({"Type": "SubscriptionConfirmation", "MessageId": str(uuid.uuid4()), "Token": "tok123",
                         "TopicArn": "arn:aws:sns:eu-west-1:123456789012:ses-feedback",
                         "Message": "You have chosen to subscribe to the topic.", "SubscribeURL": url,
                         "Timestamp": now_iso()})
        status, body = self.post(msg)
        self.assertEqual(status, 200, body)
        self.assertTrue(body["data"]["confirmed"])
        self.assertIn("/confirm?Action=ConfirmSubscription&Token=tok123", self.certs.requests)
        self.assertTrue(wait_for(lambda: any('"sns subscription confirmed"' in l for l in list(self.s.log)), timeout=20))

        # A SubscribeURL off the allow-list is not fetched.
        bad = self.sign(dict(msg, SubscribeURL="http://evil.example/confirm", Signature=None))
        status, body = self.post(bad)
        self.assertEqual((status, body["field"]), (400, "SubscribeURL"))

    def test_unsubscribe_confirmation_is_logged(self):
        msg = self.sign({"Type": "UnsubscribeConfirmation", "MessageId": str(uuid.uuid4()), "Token": "t",
                         "TopicArn": "arn:aws:sns:eu-west-1:123456789012:ses-feedback", "Message": "bye",
                         "SubscribeURL": self.certs.url("/confirm?resubscribe"), "Timestamp": now_iso()})
        status, body = self.post(msg)
        self.assertEqual(status, 200, body)
        self.assertTrue(wait_for(lambda: any('"sns subscription ended"' in l for l in list(self.s.log)), timeout=20))

    def test_bad_json_and_unknown_types_are_400(self):
        status, body = self.post("{not json", headers={"Authorization": "Bearer " + SECRET})
        self.assertEqual((status, body["success"], body["code"]), (400, False, "invalid_argument"))
        status, body = self.post({"Type": "Gossip", "Message": "{}"})
        self.assertEqual((status, body["field"]), (400, "Type"))
        status, body = self.post({"notificationType": "Gossip"}, headers={"Authorization": "Bearer " + SECRET})
        self.assertEqual((status, body["field"]), (400, "notificationType"))
        status, body = self.post(self.sign(self.notification("x")))
        self.assertEqual(status, 400, body)  # "x" is a JSON string, not an SES notification object

    def test_hook_is_outside_the_api_key_scheme(self):
        # The server requires API keys on /api; the hook answers on its own authority.
        self.assertEqual(self.s.call("GET", "/api/suppressions")[0], 401)
        status, body = self.post(self.complaint("keyless@example.com"), headers={"Authorization": "Bearer " + SECRET})
        self.assertEqual(status, 200, body)
        self.assertEqual(self.s.call("GET", "/hooks/ses")[0], 405)

    def test_certificate_hosts_that_never_answer_do_not_stall_the_server(self):
        # Hosts of their own (the test certificate server's 127.0.0.1 keeps its share of
        # the per-host bound); 127.0.0.0/8 is all loopback.
        stuck = [StuckServer(f"127.0.0.{i}") for i in (2, 3, 4)]
        try:
            # 12 posts, each naming its own never-answering certificate URL; the signature
            # is never checked, since no certificate ever arrives.
            msgs = [dict(self.notification(self.bounce("Permanent", f"stall{i}@example.com")),
                         SignatureVersion="2", Signature=base64.b64encode(b"\x01" * 256).decode(),
                         SigningCertURL=stuck[i % 3].url(f"/cert-{i}.pem")) for i in range(12)]
            results = [None] * len(msgs)

            def post(i):
                start = time.monotonic()
                h = {"Content-Type": "text/plain; charset=UTF-8", "x-amz-sns-message-type": "Notification"}
                resp, _ = self.s.raw("POST", "/hooks/ses", json.dumps(msgs[i]), h)
                results[i] = (resp.status, resp.getheader("Retry-After"), time.monotonic() - start)

            threads = [threading.Thread(target=post, args=(i,)) for i in range(len(msgs))]
            for t in threads:
                t.start()
            time.sleep(0.5)  # the posts are in: some wait for a certificate, the rest were turned away
            start = time.monotonic()
            resp, _ = self.s.raw("GET", "/health")
            self.assertEqual(resp.status, 200)
            self.assertLess(time.monotonic() - start, 2.0, "/health waited behind the stuck certificate fetches")
            for t in threads:
                t.join(timeout=30)
            self.assertTrue(all(r is not None for r in results), results)
            # Every stuck post ends as a retryable 503, none is taken as signed.
            self.assertEqual([(r[0], r[1]) for r in results], [(503, "5")] * len(msgs), results)
            # No handler waited past the 5 s fetch timeout (with slack for a loaded machine) …
            self.assertLess(max(r[2] for r in results), 9.0, results)
            # … and all but the few allowed to wait (4) were answered at once.
            self.assertGreaterEqual(sum(r[2] < 2.5 for r in results), len(msgs) - 4, results)
            sup = self.suppressions()
            self.assertFalse([a for a in sup if a.startswith("stall")])
        finally:
            for srv in stuck:
                srv.stop()
        # Once the fetches gave up, a good certificate is fetched and used again.
        good = self.sign(self.notification(self.bounce("Permanent", "after-stall@example.com")))
        self.assertTrue(wait_for(lambda: self.post(good)[0] == 200, timeout=15))


if __name__ == "__main__":
    unittest.main()
