"""Delivery through a real SMTP server (aiosmtpd, Debian's python3-aiosmtpd), one-click
unsubscribe (RFC 8058) and the suppression list, through the real binary."""
import base64
import email
import email.policy
import glob
import hashlib
import hmac
import os
import subprocess
import tempfile
import time
import unittest
import urllib.parse

from harness import Server
from test_http_api import iso_days_ago
from test_pipeline import user_emails, wait_for

PYTHON = "/usr/bin/python3"  # Debian's, which has aiosmtpd
SECRET = "test-secret-0123456789"  # RKD_UNSUBSCRIBE_SECRET: signs every link in an email


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sign_token(purpose, payload):
    """A token as signed_token.h makes it, for links the server would never have made."""
    payload = payload.encode()
    mac = hmac.new(SECRET.encode(), purpose.encode() + b":" + payload, hashlib.sha256).digest()
    return b64url(payload) + "." + b64url(mac)


class SmtpServer:
    def __init__(self, tls=False, implicit_tls=False):
        self.dir = tempfile.mkdtemp(prefix="rkd-smtp-")
        args = [self.dir]
        if tls or implicit_tls:  # a self-signed certificate: STARTTLS offered and required, or SMTPS
            cert, key = os.path.join(self.dir, "cert.pem"), os.path.join(self.dir, "key.pem")
            subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                            "-days", "1", "-subj", "/CN=127.0.0.1"], check=True, capture_output=True)
            args += [cert, key] + (["implicit"] if implicit_tls else [])
        self.proc = subprocess.Popen([PYTHON, os.path.join(os.path.dirname(__file__), "smtp_sink.py"), *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("PORT "):
            raise RuntimeError("smtp sink did not start: " + self.proc.stderr.read())
        self.port = int(line.split()[1])

    def messages(self):
        out = []
        for path in sorted(glob.glob(os.path.join(self.dir, "*.eml"))):
            with open(path, "rb") as f:
                out.append(email.message_from_binary_file(f, policy=email.policy.default))
        return out

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


class TlsTest(unittest.TestCase):
    def deliver_one(self, smtp, url, env):
        s = Server(dict(env, RKD_SMTP_URL=url, RKD_SMTP_VERIFY_TLS="false"))  # the certificate is self-signed
        try:
            status, body = s.call("POST", "/api/users", {"email": "tls@example.com", "name": "Tess Tls",
                                                         "lastOrderDate": iso_days_ago(130)})
            self.assertEqual(status, 201)
            got = wait_for(lambda: smtp.messages(), timeout=10)
            self.assertEqual(len(got), 1)
            self.assertEqual(got[0]["To"].addresses[0].addr_spec, "tls@example.com")
            e = wait_for(lambda: [e for e in user_emails(s, body["data"]["userId"]) if e["status"] == "SENT"])
            self.assertTrue(e)
        finally:
            s.stop()
            smtp.stop()

    def test_delivers_over_starttls_when_required(self):
        smtp = SmtpServer(tls=True)
        self.deliver_one(smtp, f"smtp://127.0.0.1:{smtp.port}", {"RKD_SMTP_STARTTLS": "required"})

    def test_delivers_over_implicit_tls(self):
        smtp = SmtpServer(implicit_tls=True)
        self.deliver_one(smtp, f"smtps://127.0.0.1:{smtp.port}", {})


class SmtpDeliveryTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.smtp = SmtpServer()
        cls.s = Server({"RKD_SMTP_URL": f"smtp://127.0.0.1:{cls.smtp.port}",
                        "RKD_MAIL_FROM": "Shop Team <team@shop.test>",
                        "RKD_MAIL_REPLY_TO": "care@shop.test",
                        "RKD_POSTAL_ADDRESS": "Shop Ltd, 1 Market Street, Springfield",
                        "RKD_UNSUBSCRIBE_SECRET": SECRET,
                        "RKD_RETRY_BASE_MS": "20"})

    @classmethod
    def tearDownClass(cls):
        cls.s.stop()
        cls.smtp.stop()

    def create(self, addr, name="Sam Smith"):
        status, body = self.s.call("POST", "/api/users", {"email": addr, "name": name,
                                                          "lastOrderDate": iso_days_ago(130), "orderCount": 2})
        self.assertEqual(status, 201, body)
        return body["data"]

    def received_for(self, addr):
        return [m for m in self.smtp.messages() if m["To"].addresses[0].addr_spec == addr]

    def test_message_is_delivered_as_rfc5322_multipart(self):
        u = self.create("sam@example.com")
        msgs = wait_for(lambda: self.received_for("sam@example.com"), timeout=20)
        self.assertEqual(len(msgs), 1)
        m = msgs[0]
        self.assertEqual(m.get_content_type(), "multipart/alternative")
        self.assertEqual([p.get_content_type() for p in m.iter_parts()], ["text/plain", "text/html"])
        for header in ("Message-ID", "Date", "From", "Reply-To", "To", "Subject"):
            self.assertTrue(m[header], header)
        self.assertEqual(m["From"].addresses[0].addr_spec, "team@shop.test")
        self.assertEqual(m["Reply-To"].addresses[0].addr_spec, "care@shop.test")
        self.assertEqual(m["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        unsubscribe = m["List-Unsubscribe"].strip("<>")
        self.assertIn("/u/", unsubscribe)
        text = m.get_body(preferencelist=("plain",)).get_content()
        html = m.get_body(preferencelist=("html",)).get_content()
        self.assertIn("1 Market Street", text)
        self.assertIn("1 Market Street", html)
        self.assertIn(unsubscribe, text)
        e = wait_for(lambda: [e for e in user_emails(self.s, u["userId"]) if e["status"] == "SENT"])
        self.assertTrue(e)

    def test_permanent_rejection_fails_with_the_servers_reply_and_is_not_retried(self):
        u = self.create("reject-me@example.com")
        e = wait_for(lambda: [e for e in user_emails(self.s, u["userId"]) if e["status"] == "FAILED"], timeout=20)
        self.assertTrue(e, user_emails(self.s, u["userId"]))
        self.assertIn("550", e[0]["error"])
        self.assertIn("User unknown", e[0]["error"])
        time.sleep(0.3)
        events = [l for l in list(self.s.log) if '"msg":"event"' in l and u["userId"] in l]
        self.assertEqual(len(events), 1)  # a 5xx is not retried

    def test_temporary_failure_is_retried_then_dead_lettered(self):
        u = self.create("tempfail-me@example.com")

        def dead_lettered():
            _, body = self.s.call("GET", "/api/queues/email-processor/dead-letters")
            return [d for d in body["data"] if d["body"]["userId"] == u["userId"]]
        dead = wait_for(dead_lettered, timeout=10)
        self.assertTrue(dead)
        self.assertIn("451", dead[0]["lastError"])
        events = lambda: [l for l in list(self.s.log) if '"msg":"event"' in l and u["userId"] in l]
        wait_for(lambda: len(events()) >= 5, timeout=20)  # log lines reach stdout within 100 ms
        self.assertEqual(len(events()), 5)
        e = user_emails(self.s, u["userId"])[0]
        self.assertEqual(e["status"], "FAILED")
        self.assertIn("451", e["error"])
        self.assertEqual(self.received_for("tempfail-me@example.com"), [])

    def test_dropped_connection_is_retried(self):
        u = self.create("drop-me@example.com")
        self.assertTrue(wait_for(lambda: len([l for l in list(self.s.log)
                                              if '"msg":"event"' in l and u["userId"] in l]) >= 2, timeout=10))
        e = wait_for(lambda: user_emails(self.s, u["userId"]))
        self.assertIn(e[0]["status"], ("GENERATED", "FAILED"))  # never SENT, retried, never permanent
        self.assertEqual(self.received_for("drop-me@example.com"), [])
        # The pool recovers: the next client's message goes through.
        self.create("after-drop@example.com")
        self.assertTrue(wait_for(lambda: self.received_for("after-drop@example.com"), timeout=20))

    def test_one_click_unsubscribe_and_suppression(self):
        u = self.create("leaver@example.com", "Lee Leaver")
        msgs = wait_for(lambda: self.received_for("leaver@example.com"), timeout=20)
        self.assertTrue(msgs)
        path = urllib.parse.urlparse(msgs[0]["List-Unsubscribe"].strip("<>")).path

        # GET shows a confirmation page and changes nothing (link scanners follow links).
        resp, page = self.s.raw("GET", path)
        self.assertEqual(resp.status, 200)
        self.assertIn(b"<form", page)
        status, body = self.s.call("GET", "/api/suppressions")
        self.assertNotIn("leaver@example.com", [x["email"] for x in body["data"]])

        # A forged or altered token is refused.
        resp, _ = self.s.raw("POST", path[:-2] + ("AA" if not path.endswith("AA") else "BB"),
                             "List-Unsubscribe=One-Click", {"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(resp.status, 404)
        resp, _ = self.s.raw("POST", "/u/" + "x" * 40, "List-Unsubscribe=One-Click",
                             {"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(resp.status, 404)

        # The one-click POST, as a mail client sends it: no session, no CSRF token.
        resp, _ = self.s.raw("POST", path, "List-Unsubscribe=One-Click",
                             {"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(resp.status, 200)
        status, body = self.s.call("GET", "/api/suppressions")
        entry = [x for x in body["data"] if x["email"] == "leaver@example.com"]
        self.assertEqual(entry[0]["reason"], "unsubscribed")

        # Opening the link again shows that it is done, not a button asking again (issue 16).
        resp, page = self.s.raw("GET", path)
        self.assertEqual(resp.status, 200)
        self.assertIn(b"You are unsubscribed", page)
        self.assertIn(b"nothing more to do", page)
        self.assertNotIn(b"<form", page)

        # Never emailed again, even when a sweep finds the client at risk.
        status, _ = self.s.call("PUT", f"/api/users/{u['userId']}", {"lastEmailDate": iso_days_ago(30)})
        self.assertEqual(status, 200)
        status, body = self.s.call("POST", "/api/sweep")
        self.assertEqual(status, 200)
        time.sleep(1.0)
        self.assertEqual(len(self.received_for("leaver@example.com")), 1)

    def test_an_old_unsubscribe_link_does_not_act_on_a_changed_address(self):
        u = self.create("mover@example.com", "Mo Mover")
        msgs = wait_for(lambda: self.received_for("mover@example.com"), timeout=20)
        self.assertTrue(msgs)
        path = urllib.parse.urlparse(msgs[0]["List-Unsubscribe"].strip("<>")).path
        self.assertNotIn("mover", path)  # the address does not travel in the link
        form = {"Content-Type": "application/x-www-form-urlencoded"}

        status, body = self.s.call("PUT", f"/api/users/{u['userId']}", {"email": "moved@example.com"})
        self.assertEqual(status, 200, body)
        resp, page = self.s.raw("GET", path)
        self.assertEqual(resp.status, 410)
        self.assertNotIn(b"moved@example.com", page)
        resp, _ = self.s.raw("POST", path, "List-Unsubscribe=One-Click", form)
        self.assertEqual(resp.status, 410)
        status, body = self.s.call("GET", "/api/suppressions")
        self.assertEqual([x for x in body["data"] if x["email"] in ("mover@example.com", "moved@example.com")], [])

        # Back to the address the link was sent to: the link is the client's again.
        status, body = self.s.call("PUT", f"/api/users/{u['userId']}", {"email": "MOVER@example.com"})
        self.assertEqual(status, 200, body)
        resp, _ = self.s.raw("POST", path, "List-Unsubscribe=One-Click", form)
        self.assertEqual(resp.status, 200)
        status, body = self.s.call("GET", "/api/suppressions")
        self.assertIn("mover@example.com", [x["email"].lower() for x in body["data"]])

        # A link in the old format (the user id alone) cannot say where it was sent: refused.
        resp, _ = self.s.raw("POST", "/u/" + sign_token("unsubscribe", u["userId"]), "List-Unsubscribe=One-Click", form)
        self.assertEqual(resp.status, 410)

    def test_a_click_link_cannot_inject_a_header(self):
        user_id = self.create("clicker@example.com", "Cli Cker")["userId"]
        self.assertTrue(wait_for(lambda: self.received_for("clicker@example.com"), timeout=20))
        email_id = wait_for(lambda: [e for e in user_emails(self.s, user_id) if e["status"] == "SENT"], timeout=20)[0]["emailId"]

        # Validly signed (as a link signed before the sanitizer refused such URLs would be).
        for url in ["https://x.test/\r\nSet-Cookie: pwned=1", "https://x.test/\nSet-Cookie: pwned=1",
                    "https://x.test/ Set-Cookie: pwned=1", "https://x.test/\tx", "https://x.test/\x7f"]:
            resp, _ = self.s.raw("GET", "/t/c/" + sign_token("click", f"{email_id}\n{url}"))
            self.assertEqual(resp.status, 404, repr(url))
            self.assertIsNone(resp.getheader("Set-Cookie"))
            self.assertIsNone(resp.getheader("Location"))
        self.assertEqual([e["status"] for e in user_emails(self.s, user_id) if e["emailId"] == email_id], ["SENT"])

        resp, _ = self.s.raw("GET", "/t/c/" + sign_token("click", f"{email_id}\nhttps://shop.test/ok?a=1"))
        self.assertEqual(resp.status, 302)
        self.assertEqual(resp.getheader("Location"), "https://shop.test/ok?a=1")
        self.assertEqual([e["status"] for e in user_emails(self.s, user_id) if e["emailId"] == email_id], ["CLICKED"])

    def test_suppression_list_is_editable(self):
        status, body = self.s.call("POST", "/api/suppressions", {"email": "manual@example.com", "reason": "manual"})
        self.assertEqual(status, 201, body)
        status, body = self.s.call("POST", "/api/suppressions", {"email": "not an email"})
        self.assertEqual((status, body["field"]), (400, "email"))
        status, body = self.s.call("POST", "/api/suppressions", {"email": "x@example.com", "reason": "whim"})
        self.assertEqual((status, body["field"]), (400, "reason"))
        self.create("manual@example.com", "Man Ual")
        time.sleep(1.0)
        self.assertEqual(self.received_for("manual@example.com"), [])
        status, body = self.s.call("DELETE", "/api/suppressions/manual@example.com")
        self.assertEqual((status, body["data"]), (200, {"deleted": True}))
        status, body = self.s.call("DELETE", "/api/suppressions/manual@example.com")
        self.assertEqual(status, 404)


if __name__ == "__main__":
    unittest.main()
