"""The attack suite: a hostile client with nothing but a TCP connection to `rekindle serve`.

Every case speaks raw bytes over a socket (so it can send targets and headers a normal
client would fix up), asserts the exact status, and checks that nothing was read (no
secret, no file from the host in any answer) and nothing was written (the store is
counted before and after). Each hole found later gets its case here first.
"""
import base64
import csv
import glob
import io
import json
import os
import re
import socket
import tempfile
import threading
import time
import unittest

from harness import Server, store_query, wait_for
from test_http_api import iso_days_ago

KEY = "alpha-key-0123456789"
SHOPIFY_SECRET = "shopify-secret-attack"
SHOP_TOKEN = "shpat-attack-token-0123456789"
SECRET_MARKERS = [KEY, "unsub-secret-attack", "ses-secret-attack", SHOPIFY_SECRET, SHOP_TOKEN, "root:x:0:0",
                  "SQLite format 3"]


def raw_request(port, data, timeout=10.0, read_limit=1 << 20):
    """Sends `data` (bytes) on a fresh connection and returns (status, headers, body) of the
    first answer; status is None when the server closed without answering."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        buf = b""
        try:
            while b"\r\n\r\n" not in buf:
                chunk = s.recv(65536)
                if not chunk:
                    break
                buf += chunk
            head, _, rest = buf.partition(b"\r\n\r\n")
            if not head:
                return None, {}, b""
            lines = head.decode("latin-1").split("\r\n")
            status = int(lines[0].split()[1])
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers.setdefault(name.strip().lower(), []).append(value.strip())
            length = int(headers.get("content-length", ["0"])[0])
            while len(rest) < length and len(rest) < read_limit:
                chunk = s.recv(65536)
                if not chunk:
                    break
                rest += chunk
            return status, headers, rest[:length]
        except ConnectionResetError:
            return None, {}, b""


def get(port, target, headers=None, method="GET", body=b"", version="HTTP/1.1", host=True):
    lines = [f"{method} {target} {version}"]
    if host:
        lines.append(f"Host: 127.0.0.1:{port}")
    for k, v in (headers or {}).items():
        lines.append(f"{k}: {v}")
    if body or method in ("POST", "PUT"):
        lines.append(f"Content-Length: {len(body)}")
    lines.append("Connection: close")
    data = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") if isinstance(target, str) else None
    return raw_request(port, data + body)


class AttackBase(unittest.TestCase):
    server_env = {}

    @classmethod
    def setUpClass(cls):
        cls.server = Server(cls.server_env)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def assert_leaks_nothing(self, headers, body):
        text = body.decode("latin-1") + json.dumps(headers)
        for marker in SECRET_MARKERS:
            self.assertNotIn(marker, text)

    def counts(self):
        env = self.server.env
        return tuple(store_query(env, f"SELECT COUNT(*) FROM {t}")[0]
                     for t in ("users", "orders", "emails", "suppressions"))


class KeyedServerAttackTest(AttackBase):
    """A server with API keys and every secret set, as it would be deployed."""
    server_env = {"RKD_API_KEYS": KEY, "RKD_UNSUBSCRIBE_SECRET": "unsub-secret-attack",
                  "RKD_SES_WEBHOOK_SECRET": "ses-secret-attack", "RKD_SHOPIFY_WEBHOOK_SECRETS": SHOPIFY_SECRET,
                  # A shop to sync that nothing answers for (the discard port), never on a schedule.
                  "RKD_SHOPIFY_SHOP_URL": "http://127.0.0.1:9", "RKD_SHOPIFY_ACCESS_TOKEN": SHOP_TOKEN,
                  "RKD_SHOP_SYNC_INTERVAL_MINUTES": "0", "RKD_WORKERS": "0"}

    def test_traversal_reads_no_file(self):
        db = self.server.env["RKD_DATABASE_URL"][len("sqlite:"):]
        cases = {
            "//etc/passwd": 400, "/%2fetc/passwd": 400, "/%2Fetc%2Fpasswd": 400, "//proc/self/environ": 400,
            "/..%2f..%2fetc/passwd": 400, "/%2e%2e/%2e%2e/etc/passwd": 400, "/assets/../../../../etc/passwd": 400,
            "/assets/..%5c..%5cetc%5cpasswd": 400, "/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd": 400,
            "/%c0%af%c0%afetc/passwd": 400, "/./etc/passwd": 400, "\\etc\\passwd": 400, "/\\etc\\passwd": 400,
            "/%252e%252e/%252e%252e/etc/passwd": 404, "/etc/passwd": 404, "/proc/self/environ": 404,
            "/" + db: 400, "/" + db.lstrip("/"): 404, "/rekindle.db": 404, "/unsubscribe.key": 404,
            "/.env": 404, "/.git/config": 404, "/metrics%00": 400, "/index.html%00.png": 400,
            "/assets/%2e%2e/%2e%2e/rekindle.db": 400, "/clients/..%2f..%2f..%2fetc%2fpasswd": 400,
        }
        for target, want in cases.items():
            with self.subTest(target=target):
                status, headers, body = get(self.server.port, target)
                self.assertEqual(status, want, body[:200])
                self.assert_leaks_nothing(headers, body)

    def test_api_key_cannot_be_bypassed(self):
        before = self.counts()
        user = json.dumps({"email": "intruder@example.com", "name": "Intruder"}).encode()
        targets = {
            "//api/users": 400, "/%2fapi/users": 400, "/%2Fapi/users": 400, "Xapi/users": 400, "*api/queues": 400,
            "*": 400, "api/users": 400, "/api/./users": 400, "/api/../api/users": 400, "/./api/users": 400,
            "/x/../api/users": 400, "/api%2fusers": 400, "/api//users": 400, "/api/users/": 401, "/%61pi/users": 401,
            "/api/users?x=1": 401, "/api": 401, "/api/": 401, "/api/queues": 401, "/api/suppressions": 401,
            "http://127.0.0.1/api/users": 400, "/%c1%a1pi/users": 400,
        }
        for target, want in targets.items():
            for method, body in (("GET", b""), ("POST", user)):
                with self.subTest(target=target, method=method):
                    headers = {"Content-Type": "application/json"}
                    status, h, data = get(self.server.port, target, headers, method=method, body=body)
                    # A refused target is 400 whatever the method; under /api, 401.
                    self.assertEqual(status, want, data[:200])
                    self.assert_leaks_nothing(h, data)
        for auth in ["Bearer alpha", "Bearer alpha-key", "Bearer " + KEY[:-1], "Bearer " + KEY + "X",
                     "Bearer  " + KEY, "Basic " + base64.b64encode(KEY.encode()).decode(), KEY, "Bearer",
                     "Bearer " + KEY.upper(), "Bearer " + KEY + "," + KEY]:
            with self.subTest(auth=auth):
                status, h, data = get(self.server.port, "/api/users", {"Authorization": auth})
                self.assertEqual(status, 401)
                self.assertEqual(h.get("www-authenticate"), ["Bearer"])
        # Two Authorization headers: one reader might take the first, another the last.
        status, _, _ = raw_request(self.server.port, (
            f"GET /api/users HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {KEY}\r\n"
            "Authorization: Bearer nope\r\nConnection: close\r\n\r\n").encode())
        self.assertEqual(status, 400)
        self.assertEqual(self.counts(), before)
        # The key itself works, so the 401s above are not a server that refuses everything.
        status, _, data = get(self.server.port, "/api/users", {"Authorization": "Bearer " + KEY})
        self.assertEqual(status, 200, data)

    def request_line(self, request_id):
        for line in list(self.server.log):
            entry = json.loads(line) if line.startswith("{") else {}
            if entry.get("msg") == "request" and entry.get("requestId") == request_id:
                return entry
        return None

    def test_alerts_need_a_key_and_leak_nothing_on_health(self):
        for auth in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Bearer " + KEY[:-1]}):
            with self.subTest(auth=auth):
                status, headers, data = get(self.server.port, "/api/alerts", auth)
                self.assertEqual(status, 401, data)
                self.assert_leaks_nothing(headers, data)
        status, _, data = get(self.server.port, "/api/alerts", {"Authorization": "Bearer " + KEY})
        self.assertEqual(status, 200, data)
        self.assertIn(json.loads(data)["data"]["status"], ("ok", "degraded"))
        # /health stays open but carries no error text and no address: only counts.
        status, headers, data = get(self.server.port, "/health")
        self.assertEqual(status, 200)
        self.assertNotIn("lastError", json.loads(data)["data"])
        self.assert_leaks_nothing(headers, data)

    def test_a_spoofed_forwarded_for_from_an_untrusted_peer_is_ignored(self):
        # No RKD_TRUSTED_PROXIES: whatever the client claims, the log names the peer.
        for forwarded in ["6.6.6.6", "6.6.6.6, 127.0.0.1", '1.2.3.4", "key": "admin', "x" * 2000]:
            with self.subTest(forwarded=forwarded[:40]):
                status, headers, _ = get(self.server.port, "/health", {"X-Forwarded-For": forwarded})
                self.assertEqual(status, 200)
                line = wait_for(lambda: self.request_line(headers["x-request-id"][0]))
                self.assertEqual(line["client"], "127.0.0.1")
                self.assertNotIn("key", line)  # no key was sent: nothing forged one in
        self.assertNotIn("6.6.6.6", "".join(self.server.log))

    def test_the_key_never_appears_in_the_logs(self):
        for auth in ("Bearer " + KEY, "Bearer " + KEY + "x", KEY):
            get(self.server.port, "/api/users", {"Authorization": auth})
            get(self.server.port, "/api/alerts", {"Authorization": auth})
        status, headers, _ = get(self.server.port, "/api/queues", {"Authorization": "Bearer " + KEY})
        self.assertEqual(status, 200)
        line = wait_for(lambda: self.request_line(headers["x-request-id"][0]))
        self.assertEqual(line["key"], "key-1")  # its name, derived: it was given without one
        self.assertNotIn(KEY, "".join(self.server.log))

    def test_outside_api_routes_are_not_the_dashboard(self):
        for target in ["/metrics.txt", "/admin", "/wp-login.php", "/server-status", "/api.php", "/API/users"]:
            with self.subTest(target=target):
                status, _, body = get(self.server.port, target)
                self.assertEqual(status, 404)
                self.assertNotIn(b"<!doctype html>", body.lower())

    def test_header_and_crlf_injection(self):
        for target in ["/api/users%0d%0aSet-Cookie:%20x=1", "/u/x%0d%0aLocation:%20https://evil.test",
                       "/t/c/x%0aSet-Cookie:x"]:
            with self.subTest(target=target):
                status, headers, _ = get(self.server.port, target)
                self.assertEqual(status, 400)
                self.assertNotIn("set-cookie", headers)
                self.assertNotIn("location", headers)
        # A raw CR or LF inside the request line or a header value ends the request there.
        for data in [b"GET /api/users\r HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                     b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: a\rSet-Cookie: x\r\n\r\n",
                     b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n folded: value\r\n\r\n",
                     b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Name: x\r\n\r\n"]:
            with self.subTest(data=data):
                status, headers, _ = raw_request(self.server.port, data)
                self.assertEqual(status, 400)
                self.assertNotIn("set-cookie", headers)

    def test_request_smuggling_is_refused(self):
        before = self.counts()
        body = json.dumps({"email": "smuggled@example.com", "name": "S"}).encode()
        smuggled = (b"POST /api/users HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + KEY.encode() +
                    b"\r\nContent-Type: application/json\r\nContent-Length: " + str(len(body)).encode() +
                    b"\r\n\r\n" + body)
        cases = [
            # CL and TE together (CL.TE / TE.CL desync): RFC 9112 §6.3 says close after; we refuse.
            b"POST /health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"0\r\n\r\n" + smuggled,
            # Two different Content-Lengths.
            b"POST /health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nContent-Length: 5\r\n\r\n" + smuggled,
            # A transfer coding we do not know, and chunked not last.
            b"POST /health HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n" +
            smuggled,
            b"POST /health HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n" + smuggled,
            # A negative or signed length.
            b"POST /health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -1\r\n\r\n" + smuggled,
            b"POST /health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: +5\r\n\r\n" + smuggled,
        ]
        for data in cases:
            with self.subTest(data=data[:90]):
                status, _, _ = raw_request(self.server.port, data)
                self.assertEqual(status, 400)
        self.assertEqual(self.counts(), before)

    def test_http11_without_host_and_foreign_hosts(self):
        status, _, body = get(self.server.port, "/health", host=False)
        self.assertEqual(status, 400, body)
        # Two Hosts: each reader could pick another one.
        status, _, _ = raw_request(self.server.port,
                                   b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.test\r\n\r\n")
        self.assertEqual(status, 400)
        status, _, _ = get(self.server.port, "/health", version="HTTP/1.0", host=False)
        self.assertEqual(status, 200)
        for host in ["evil.test", "evil.test:8080", "127.0.0.1.evil.test", "localhost.evil.test"]:
            with self.subTest(host=host):
                data = f"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode()
                status, _, body = raw_request(self.server.port, data)
                self.assertEqual(status, 400)
                self.assertIn(b"invalid_host", body)

    def test_bad_query_values(self):
        auth = {"Authorization": "Bearer " + KEY}
        for target in ["/api/effectiveness?days=30%00", "/api/effectiveness?days=30&days=7",
                       "/api/users?search=%0d%0a", "/api/users?limit=%zz", "/api/users?search=%c0%80"]:
            with self.subTest(target=target):
                status, _, body = get(self.server.port, target, auth)
                self.assertEqual(status, 400, body)
                self.assertEqual(json.loads(body)["code"], "invalid_argument")

    def test_client_state_and_list_filters_refuse_hostile_values(self):
        """Issue 16's endpoints and parameters: no key is 401, a hostile value is a 400 naming
        the parameter, SQL-ish text is only text, and nothing is written."""
        before = self.counts()
        auth = {"Authorization": "Bearer " + KEY}
        for target in ["/api/users?state=suppressed", "/api/users/x/timeline", "/api/emails?q=a&step=1",
                       "/api/suppressions?q=a", "/api/suppressions/a%40b.example"]:
            for bad in ({}, {"Authorization": "Bearer nope"}):
                with self.subTest(target=target, auth=bad):
                    status, headers, body = get(self.server.port, target, bad)
                    self.assertEqual(status, 401, body)
                    self.assert_leaks_nothing(headers, body)
        hostile = {
            "/api/users?state=SUPPRESSED": "state", "/api/users?state=%27%20OR%201%3D1%20--": "state",
            "/api/users?state=suppressed;DROP%20TABLE%20users": "state",
            "/api/users/x/timeline?limit=0": "limit", "/api/users/x/timeline?limit=501": "limit",
            "/api/users/x/timeline?limit=1e3": "limit",
            "/api/emails?status=sent": "status", "/api/emails?step=0": "step", "/api/emails?step=1.5": "step",
            "/api/emails?step=1%20OR%201%3D1": "step", "/api/emails?step=99999999999999999999": "step",
            "/api/emails?from=yesterday": "from", "/api/emails?to=2026-02-30": "to",
            "/api/emails?from=2026-11-02&to=2026-11-01": "to", "/api/emails?q=" + "x" * 201: "q",
            "/api/suppressions?q=" + "x" * 201: "q", "/api/suppressions?limit=0": "limit",
            "/api/suppressions?cursor=nope": "cursor",
        }
        for target, field in hostile.items():
            with self.subTest(target=target):
                status, headers, body = get(self.server.port, target, auth)
                self.assertEqual(status, 400, body)
                self.assertEqual(json.loads(body)["field"], field)
                self.assert_leaks_nothing(headers, body)
        # SQL-ish and wildcard text is searched for as text: empty answers, nothing read or written.
        for target in ["/api/emails?q=%27%20OR%20%271%27%3D%271", "/api/emails?q=%25", "/api/emails?q=_",
                       "/api/suppressions?q=%27%3B%20DELETE%20FROM%20suppressions%3B%20--",
                       "/api/users?state=suppressed&search=%27%20OR%201%3D1%20--"]:
            with self.subTest(target=target):
                status, headers, body = get(self.server.port, target, auth)
                self.assertEqual(status, 200, body)
                self.assertEqual(json.loads(body)["data"], [])
                self.assert_leaks_nothing(headers, body)
        status, _, body = get(self.server.port, "/api/users/%27%20OR%201%3D1%20--/timeline", auth)
        self.assertEqual(status, 404, body)
        status, _, body = get(self.server.port, "/api/suppressions/nobody%40example.com", auth)
        self.assertEqual(status, 404, body)
        self.assertEqual(self.counts(), before)

    def test_forged_cursors_are_400(self):
        auth = {"Authorization": "Bearer " + KEY}

        def encode(position):
            return base64.urlsafe_b64encode(json.dumps(position).encode()).rstrip(b"=").decode()
        # Well encoded, so only the members' types are wrong: each must be a 400, never a 500.
        user_positions = [{"s": 1, "d": True, "k": 1, "i": "x"}, {"s": "createdAt", "d": "yes", "k": 1, "i": "x"},
                          {"s": "createdAt", "d": False, "k": "a", "i": "x"},
                          {"s": "createdAt", "d": False, "k": 1, "i": 7}, {"s": "name", "d": False, "k": 1, "i": "x"},
                          [], "x", None, {"s": None, "d": None, "k": None, "i": None}]
        key_positions = [{"k": None, "i": None}, {"k": 1.5, "i": "x"}, {"k": "1", "i": ["x"]}, {"k": 1}, [], 7]
        for path, positions in (("/api/users", user_positions), ("/api/emails", key_positions)):
            for position in positions:
                with self.subTest(path=path, position=position):
                    status, _, body = get(self.server.port, f"{path}?cursor={encode(position)}", auth)
                    self.assertEqual(status, 400, body)
                    self.assertEqual(json.loads(body)["field"], "cursor")

    def test_duplicate_json_keys_are_400_and_write_nothing(self):
        before = self.counts()
        body = b'{"email":"a@example.com","name":"A","email":"b@example.com"}'
        status, _, data = get(self.server.port, "/api/users",
                              {"Authorization": "Bearer " + KEY, "Content-Type": "application/json"}, "POST", body)
        self.assertEqual(status, 400, data)
        self.assertEqual(json.loads(data)["field"], "email")
        nested = b'{"userId":"u","totalValue":5,"items":[{"name":"x","name":"y","price":5,"quantity":1}]}'
        status, _, data = get(self.server.port, "/api/orders",
                              {"Authorization": "Bearer " + KEY, "Content-Type": "application/json"}, "POST", nested)
        self.assertEqual(status, 400, data)
        self.assertEqual(self.counts(), before)

    def test_reason_phrases_carry_no_injected_header(self):
        """Issue 15: an error's message is the status line's reason phrase, and messages
        can quote what the client sent (a field name): a CR/LF, a control, UTF-8 or 100 KB
        of it must not reach the status line as such."""
        auth = {"Authorization": "Bearer " + KEY, "Content-Type": "application/json"}
        hostile = ['a\r\nSet-Cookie: x=1', 'b\nX-Injected: 1', 'c\u0000\u0085\u2028\u00e9', 'd' * 100000]
        for name in hostile:
            with self.subTest(name=name[:20]):
                key = json.dumps(name)  # given twice: the 400's message names it
                body = ('{"email": "r@example.com", "name": "R", ' + key + ': 1, ' + key + ': 2}').encode()
                with socket.create_connection(("127.0.0.1", self.server.port), timeout=10) as s:
                    s.sendall(f"POST /api/users HTTP/1.1\r\nHost: 127.0.0.1:{self.server.port}\r\n"
                              f"Authorization: Bearer {KEY}\r\nContent-Type: application/json\r\n"
                              f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body)
                    head = b""
                    while b"\r\n\r\n" not in head:
                        chunk = s.recv(65536)
                        if not chunk:
                            break
                        head += chunk
                status_line, *header_lines = head.partition(b"\r\n\r\n")[0].split(b"\r\n")
                self.assertTrue(status_line.startswith(b"HTTP/1.1 400 "), status_line[:200])
                self.assertLessEqual(len(status_line), 200)
                self.assertTrue(all(0x20 <= c < 0x7f for c in status_line), status_line)
                names = [line.split(b":")[0].lower() for line in header_lines]
                self.assertNotIn(b"set-cookie", names)
                self.assertNotIn(b"x-injected", names)
        # The seed's "Create Order" (a PUT that implies an order) with hostile figures
        # writes nothing: no order, no change to the client.
        status, _, data = get(self.server.port, "/api/users", auth, "POST",
                              json.dumps({"email": "implied@example.com", "name": "I", "orderCount": 1,
                                          "averageOrderValue": 10, "lastOrderDate": iso_days_ago(5)}).encode())
        self.assertEqual(status, 201, data)
        user = json.loads(data)["data"]
        before = self.counts()
        for patch in [{"orderCount": 2, "averageOrderValue": 1e300}, {"orderCount": 2, "averageOrderValue": -1},
                      {"orderCount": 1e18}, {"orderCount": 2, "averageOrderValue": "9"},
                      {"orderCount": 2, "lastOrderDate": "9999-01-01T00:00:00Z"},
                      {"orderCount": 2, "lastOrderDate": "1970-01-01T00:00:00Z"}, {"orderCount": 2.5}]:
            with self.subTest(patch=patch):
                status, _, data = get(self.server.port, f"/api/users/{user['userId']}", auth, "PUT",
                                      json.dumps(patch).encode())
                self.assertEqual(status, 400, data)
        self.assertEqual(self.counts(), before)
        status, _, data = get(self.server.port, f"/api/users/{user['userId']}", auth)
        self.assertEqual(json.loads(data)["data"]["orderCount"], 1)

    def test_unknown_queue_is_404_everywhere(self):
        auth = {"Authorization": "Bearer " + KEY, "Content-Type": "application/json"}
        status, _, _ = get(self.server.port, "/api/queues/nope/dead-letters", auth)
        self.assertEqual(status, 404)
        status, _, _ = get(self.server.port, "/api/queues/nope/redrive", auth, "POST")
        self.assertEqual(status, 404)
        status, _, _ = get(self.server.port, "/api/queues/email-processor/dead-letters", auth)
        self.assertEqual(status, 200)

    def test_oversized_requests_get_their_answer(self):
        # The body is refused before it is all read; the client still reads the 413, not a reset.
        big = 3 << 20
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=20) as s:
            s.sendall((f"POST /api/users HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {KEY}\r\n"
                       f"Content-Type: application/json\r\nContent-Length: {big}\r\n\r\n").encode())
            sent = 0
            try:
                while sent < big:
                    s.sendall(b"x" * 65536)
                    sent += 65536
            except (BrokenPipeError, ConnectionResetError):
                pass
            s.shutdown(socket.SHUT_WR)
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        self.assertTrue(data.startswith(b"HTTP/1.1 413"), data[:100])
        status, _, _ = get(self.server.port, "/health", {"X-Big": "y" * (80 * 1024)})
        self.assertEqual(status, 431)

    def test_slow_clients_do_not_block_others(self):
        idle = []
        try:
            for _ in range(64):
                s = socket.create_connection(("127.0.0.1", self.server.port), timeout=5)
                s.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # never finished
                idle.append(s)
            started = time.time()
            status, _, _ = get(self.server.port, "/health")
            self.assertEqual(status, 200)
            self.assertLess(time.time() - started, 5.0)
        finally:
            for s in idle:
                s.close()

    def test_tampered_link_tokens_do_nothing(self):
        before = self.counts()
        for target in ["/u/x", "/u/a.b", "/u/.b", "/t/c/a.b", "/t/o/a.b.gif", "/t/c/x", "/u/" + "A" * 4000]:
            with self.subTest(target=target):
                status, headers, _ = get(self.server.port, target)
                self.assertEqual(status, 404)
                self.assertNotIn("location", headers)
            if target.startswith("/u/"):
                status, _, _ = get(self.server.port, target, {"Content-Type": "application/x-www-form-urlencoded"},
                                   "POST", b"List-Unsubscribe=One-Click")
                self.assertEqual(status, 404)
        self.assertEqual(self.counts(), before)

    def test_ses_hook_refuses_unsigned_and_foreign_certificates(self):
        # A listener the hook must never connect to (SSRF): loopback, plain http.
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        listener.settimeout(0.2)
        port = listener.getsockname()[1]
        before = self.counts()
        try:
            for cert_url in [f"http://127.0.0.1:{port}/cert.pem", f"https://127.0.0.1:{port}/cert.pem",
                             "https://sns.us-east-1.amazonaws.com.evil.test/cert.pem",
                             "file:///etc/passwd", "https://evil.test/SimpleNotificationService.pem"]:
                msg = {"Type": "Notification", "MessageId": "m1", "TopicArn": "arn:aws:sns:us-east-1:1:t",
                       "Message": json.dumps({"notificationType": "Complaint", "complaint": {
                           "complainedRecipients": [{"emailAddress": "victim@example.com"}]}}),
                       "Timestamp": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()),
                       "SignatureVersion": "1", "Signature": base64.b64encode(b"x" * 256).decode(),
                       "SigningCertURL": cert_url}
                with self.subTest(cert_url=cert_url):
                    status, _, body = get(self.server.port, "/hooks/ses", {"Content-Type": "text/plain"}, "POST",
                                          json.dumps(msg).encode())
                    self.assertEqual(status, 403, body)
            with self.assertRaises(socket.timeout):
                listener.accept()
        finally:
            listener.close()
        # The shared secret, too, is checked whole.
        for auth in ["Bearer ses-secret", "Bearer ses-secret-attackX", "Bearer "]:
            status, _, _ = get(self.server.port, "/hooks/ses",
                               {"Content-Type": "application/json", "Authorization": auth}, "POST", b"{}")
            self.assertEqual(status, 403)
        self.assertEqual(self.counts(), before)


    def settings_rows(self):
        return store_query(self.server.env, "SELECT COUNT(*), COALESCE(SUM(LENGTH(value)), 0), "
                                            "COALESCE(MAX(updated_at), 0) FROM settings")

    def test_sending_controls_need_a_key_and_refuse_hostile_bodies(self):
        before, settings_before = self.counts(), self.settings_rows()
        for method, target in [("GET", "/api/settings"), ("PUT", "/api/settings"), ("GET", "/api/sending"),
                               ("POST", "/api/sending/pause"), ("POST", "/api/sending/resume")]:
            for auth in ({}, {"Authorization": "Bearer nope"}):
                with self.subTest(method=method, target=target, auth=auth):
                    h = dict(auth, **{"Content-Type": "application/json"})
                    status, headers, data = get(self.server.port, target, h, method, b'{"senderName":"Mallory"}')
                    self.assertEqual(status, 401, data)
                    self.assert_leaks_nothing(headers, data)
        auth = {"Authorization": "Bearer " + KEY, "Content-Type": "application/json"}
        hostile = [
            (b'', None), (b'[]', None), (b'"x"', None), (b'{"senderName":', None), (b'{}', None),
            (b'{"senderName":"a","senderName":"b"}', "senderName"),
            (b'{"senderName":"Ada\\r\\nBcc: victim@example.com"}', "senderName"),
            (b'{"senderEmail":"x@y"}', "senderEmail"), (b'{"senderEmail":["a@b.example"]}', "senderEmail"),
            (b'{"replyTo":"<script>@x.example"}', "replyTo"),
            (b'{"publicUrl":"javascript:alert(1)"}', "publicUrl"), (b'{"shopUrl":"//evil.test"}', "shopUrl"),
            (b'{"publicUrl":"https://user:pw@evil.test"}', "publicUrl"),
            (b'{"timeZone":"../../../etc/passwd"}', "timeZone"), (b'{"timeZone":"Europe/Nowhere"}', "timeZone"),
            (b'{"quietHours":{"start":"21:00","end":"24:00"}}', "quietHours.end"),
            (b'{"quietHours":{"start":"9pm","end":"08:00"}}', "quietHours.start"),
            (b'{"quietHours":"21:00-08:00"}', "quietHours"),
            (b'{"dailyCap":0}', "dailyCap"), (b'{"dailyCap":-1}', "dailyCap"), (b'{"hourlyRate":1e30}', "hourlyRate"),
            (b'{"dailyCap":"100"}', "dailyCap"), (b'{"missing":[]}', "missing"), (b'{"sending":{"paused":false}}',
                                                                                   "sending"),
            (b'{"postalAddress":"' + b"x" * 600 + b'"}', "postalAddress"),
            (b'{"senderName":"ok","dailyCap":true}', "dailyCap"),
        ]
        for body, field in hostile:
            with self.subTest(body=body[:60]):
                status, headers, data = get(self.server.port, "/api/settings", auth, "PUT", body)
                self.assertEqual(status, 400, data)
                if field:
                    self.assertEqual(json.loads(data)["field"], field)
                self.assert_leaks_nothing(headers, data)
        for target in ("/api/sending/pause", "/api/sending/resume"):
            for body in (b'{"paused":false}', b'[1]', b'nope'):
                with self.subTest(target=target, body=body):
                    status, _, data = get(self.server.port, target, auth, "POST", body)
                    self.assertEqual(status, 400, data)
        self.assertEqual(self.counts(), before)
        self.assertEqual(self.settings_rows(), settings_before)
        # The key works, so the refusals above are not a server that refuses everything.
        status, _, data = get(self.server.port, "/api/sending", auth)
        self.assertEqual(status, 200, data)
        self.assertFalse(json.loads(data)["data"]["paused"])
        # A change records the key's name, never the key.
        status, _, data = get(self.server.port, "/api/sending/pause", auth, "POST")
        self.assertEqual(status, 200, data)
        self.assertEqual(json.loads(data)["data"]["by"], "key-1")
        self.assert_leaks_nothing({}, data)
        status, _, data = get(self.server.port, "/api/sending/resume", auth, "POST")
        self.assertEqual((status, json.loads(data)["data"]["paused"]), (200, False))

    def journey_rows(self):
        return store_query(self.server.env, "SELECT COUNT(*), COALESCE(MAX(version), 0) FROM journeys")

    def test_journey_routes_need_a_key_and_refuse_hostile_bodies(self):
        before, journeys_before = self.counts(), self.journey_rows()
        for method, target in [("GET", "/api/journey"), ("PUT", "/api/journey"), ("GET", "/api/journey/versions"),
                               ("POST", "/api/journey/dry-run")]:
            for auth in ({}, {"Authorization": "Bearer nope"}):
                with self.subTest(method=method, target=target, auth=auth):
                    h = dict(auth, **{"Content-Type": "application/json"})
                    body = b'{"steps":[{"delayDays":0,"message":"winback-1"}]}'
                    status, headers, data = get(self.server.port, target, h, method, body)
                    self.assertEqual(status, 401, data)
                    self.assert_leaks_nothing(headers, data)
        auth = {"Authorization": "Bearer " + KEY, "Content-Type": "application/json"}
        step = b'{"delayDays":0,"message":"winback-1"}'
        hostile = [
            (b'', None), (b'[]', None), (b'"x"', None), (b'{"steps":', None), (b'{}', "steps"),
            (b'{"steps":[' + step + b'],"steps":[]}', None),
            (b'{"steps":"winback-1"}', "steps"), (b'{"steps":[]}', "steps"),
            (b'{"steps":[' + b",".join([step] * 11) + b']}', "steps"),
            (b'{"steps":[' + b",".join([step] * 100000) + b']}', None),
            (b'{"steps":[1]}', "steps[0]"), (b'{"steps":[{"message":"winback-1"}]}', "steps[0].delayDays"),
            (b'{"steps":[{"delayDays":"0","message":"winback-1"}]}', "steps[0].delayDays"),
            (b'{"steps":[{"delayDays":1e300,"message":"winback-1"}]}', "steps[0].delayDays"),
            (b'{"steps":[{"delayDays":-1,"message":"winback-1"}]}', "steps[0].delayDays"),
            (b'{"steps":[{"delayDays":0,"message":"winback-1"},{"delayDays":1,"message":"winback-2"}]}',
             "steps[1].delayDays"),
            (b'{"steps":[{"delayDays":0,"message":"../../../etc/passwd"}]}', "steps[0].message"),
            (b'{"steps":[{"delayDays":0,"message":"x\\r\\nBcc: v@example.com"}]}', "steps[0].message"),
            (b'{"steps":[{"delayDays":0,"message":"' + b"a" * 65 + b'"}]}', "steps[0].message"),
            (b'{"steps":[{"delayDays":0,"message":null}]}', "steps[0].message"),
            (b'{"steps":[{"delayDays":0,"message":"winback-1","html":"<script>"}]}', "steps[0].html"),
            (b'{"steps":[' + step + b'],"restDays":99999}', "restDays"),
            (b'{"steps":[' + step + b'],"restDays":true}', "restDays"),
            (b'{"steps":[' + step + b'],"exits":[]}', "exits"),
            (b'{"steps":[' + step + b'],"version":1}', "version"),
        ]
        for body, field in hostile:
            with self.subTest(body=body[:60]):
                status, headers, data = get(self.server.port, "/api/journey", auth, "PUT", body)
                self.assertIn(status, (400, 413), data)
                if field:
                    self.assertEqual(json.loads(data)["field"], field)
                self.assert_leaks_nothing(headers, data)
        for body in (b'{"users":1}', b'[1]', b'nope'):
            with self.subTest(target="dry-run", body=body):
                status, _, data = get(self.server.port, "/api/journey/dry-run", auth, "POST", body)
                self.assertEqual(status, 400, data)
        self.assertEqual(self.counts(), before)
        self.assertEqual(self.journey_rows(), journeys_before)
        # The key works, so the refusals above are not a server that refuses everything;
        # a version records the key's name, never the key.
        status, _, data = get(self.server.port, "/api/journey/dry-run", auth, "POST")
        self.assertEqual(status, 200, data)
        status, _, data = get(self.server.port, "/api/journey", auth, "PUT", b'{"steps":[' + step + b']}')
        self.assertEqual(status, 200, data)
        self.assertEqual(json.loads(data)["data"]["createdBy"], "key-1")
        self.assert_leaks_nothing({}, data)

    # Issue 11: the churn and value models.

    def model_rows(self):
        return tuple(store_query(self.server.env, f"SELECT COUNT(*) FROM {t}")[0]
                     for t in ("model_fits", "predictions"))

    def test_model_routes_need_a_key_and_refuse_hostile_values(self):
        before, models_before = self.counts(), self.model_rows()
        for method, target in [("GET", "/api/model"), ("POST", "/api/model/fit"),
                               ("GET", "/api/users?sort=churnProbability"),
                               ("GET", "/api/users?minChurnProbability=0.5")]:
            for auth in ({}, {"Authorization": "Bearer nope"}):
                with self.subTest(method=method, target=target, auth=auth):
                    h = dict(auth, **{"Content-Type": "application/json"})
                    status, headers, data = get(self.server.port, target, h, method, b"{}" if method == "POST" else b"")
                    self.assertEqual(status, 401, data)
                    self.assert_leaks_nothing(headers, data)
        auth = {"Authorization": "Bearer " + KEY, "Content-Type": "application/json"}
        hostile = [
            (b'[]', None), (b'"x"', None), (b'{"model":', None), (b'{"model":"bgnbd","model":"paretonbd"}', None),
            (b'{"model":1}', "model"), (b'{"model":null}', "model"), (b'{"model":"../../../etc/passwd"}', "model"),
            (b'{"model":"BGNBD"}', "model"), (b'{"unit":"fortnights"}', "unit"), (b'{"unit":["days"]}', "unit"),
            (b'{"until":"1997-02-30"}', "until"), (b'{"until":"9999-12-31"}', "until"), (b'{"until":1e300}', "until"),
            (b'{"until":"' + b"1" * 100000 + b'"}', "until"), (b'{"until":"1997-09-30\\r\\nX: y"}', "until"),
            (b'{"horizonDays":90}', "horizonDays"), (b'{"x\\r\\nBcc: v@example.com":1}', "body"),
        ]
        for body, field in hostile:
            with self.subTest(body=body[:60]):
                status, headers, data = get(self.server.port, "/api/model/fit", auth, "POST", body)
                self.assertIn(status, (400, 413), data)
                if field:
                    self.assertEqual(json.loads(data)["field"], field)
                self.assert_leaks_nothing(headers, data)
        for query, field in [("minChurnProbability=-0.1", "minChurnProbability"),
                             ("minChurnProbability=1.0000001", "minChurnProbability"),
                             ("minChurnProbability=1e999", "minChurnProbability"),
                             ("minChurnProbability=0x1", "minChurnProbability"),
                             ("minChurnProbability=0.5%20", "minChurnProbability"),
                             ("minChurnProbability=%00", "minChurnProbability"),
                             ("minChurnProbability=" + "9" * 5000, "minChurnProbability"),
                             ("sort=churnProbability%00", "sort"),
                             ("sort=churnProbability&cursor=eyJzIjoibmFtZSJ9", "cursor"),
                             ("sort=score&minChurnProbability=0.5", "minChurnProbability"),
                             ("minChurnProbability=0.5&state=suppressed", "state")]:
            with self.subTest(query=query):
                status, headers, data = get(self.server.port, "/api/users?" + query, auth)
                self.assertEqual(status, 400, data)
                self.assertEqual(json.loads(data)["field"], field)
                self.assert_leaks_nothing(headers, data)
        self.assertEqual(self.counts(), before)
        self.assertEqual(self.model_rows(), models_before)
        # The key works: a fit is started (202), then refused for too little history (nothing
        # written), and the model's state says so.
        status, headers, data = get(self.server.port, "/api/model/fit", auth, "POST", b"{}")
        self.assertEqual(status, 202, data)
        self.assert_leaks_nothing(headers, data)

        def ended():
            status, _, data = get(self.server.port, "/api/model", auth)
            self.assertEqual(status, 200, data)
            model = json.loads(data)["data"]
            return None if model["running"] else model
        model = wait_for(ended, timeout=60)
        self.assertIsNotNone(model)
        self.assertIsNone(model["fit"])
        self.assertEqual(model["lastRun"]["status"], "failed")
        self.assertEqual(model["lastRun"]["field"], "RKD_MODEL_MIN_CLIENTS")
        self.assertEqual(self.model_rows(), models_before)

    # Issue 10: /api/imports and /api/exports.

    def import_rows(self):
        return store_query(self.server.env, "SELECT COUNT(*) FROM imports")

    def finished_import(self, import_id):
        auth = {"Authorization": "Bearer " + KEY}

        def done():
            status, _, data = get(self.server.port, f"/api/imports/{import_id}", auth)
            self.assertEqual(status, 200, data)
            job = json.loads(data)["data"]
            return job if job["status"] != "running" else None
        job = wait_for(done, timeout=30)
        self.assertTrue(job, import_id)
        return job

    def upload(self, target, body, content_type="text/csv"):
        status, headers, data = get(self.server.port, target,
                                    {"Authorization": "Bearer " + KEY, "Content-Type": content_type}, "POST", body)
        return status, headers, (json.loads(data) if data else None)

    def test_import_and_export_routes_need_a_key(self):
        auth = {"Authorization": "Bearer " + KEY, "Content-Type": "application/json"}
        status, _, data = get(self.server.port, "/api/users", auth, "POST",
                              b'{"email":"export-secret@example.com","name":"Export Secret"}')
        self.assertIn(status, (201, 409), data)
        before, imports_before = self.counts(), self.import_rows()
        csv_body = b"externalId,email,name\nkeyless-1,keyless@example.com,Keyless\n"
        routes = [("POST", "/api/imports?kind=clients", csv_body), ("POST", "/api/imports/preview?kind=clients", csv_body),
                  ("POST", "/api/imports?kind=clients&format=cdnow", csv_body), ("GET", "/api/imports", b""),
                  ("GET", "/api/imports/x", b""), ("GET", "/api/exports/clients", b""),
                  ("GET", "/api/exports/clients?format=jsonl", b""), ("GET", "/api/exports/emails", b""),
                  ("GET", "/api/exports/orders", b""), ("GET", "/api/exports/orders?format=jsonl", b"")]
        for method, target, body in routes:
            for auth_header in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Bearer " + KEY[:-1]}):
                with self.subTest(method=method, target=target, auth=auth_header):
                    h = dict(auth_header, **{"Content-Type": "text/csv"})
                    status, headers, data = get(self.server.port, target, h, method, body)
                    self.assertEqual(status, 401, data)
                    self.assertNotIn("content-disposition", headers)
                    self.assertNotIn(b"export-secret", data)
                    self.assertNotIn(b"keyless", data)
                    self.assert_leaks_nothing(headers, data)
        self.assertEqual(self.counts(), before)
        self.assertEqual(self.import_rows(), imports_before)
        # With the key the same requests work, so the 401s are the key's doing.
        status, headers, data = get(self.server.port, "/api/exports/clients", {"Authorization": "Bearer " + KEY})
        self.assertEqual(status, 200, data)
        self.assertIn(b"export-secret@example.com", data)
        status, _, body = self.upload("/api/imports/preview?kind=clients", csv_body)
        self.assertEqual(status, 200, body)
        status, _, body = self.upload("/api/imports?kind=clients", csv_body)
        self.assertEqual(status, 202, body)
        job = self.finished_import(body["data"]["id"])
        self.assertEqual((job["imported"], job["createdBy"]), (1, "key-1"))
        self.assert_leaks_nothing({}, json.dumps(job).encode())

    def send_declared(self, target, length, headers, first=65536):
        """Declares a `length`-byte body, sends only `first` bytes of it, and returns the
        answer the server gives without waiting for the rest (None if it waits)."""
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=10) as s:
            head = f"POST {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {length}\r\n"
            head += "".join(f"{k}: {v}\r\n" for k, v in headers.items())
            s.sendall((head + "\r\n").encode() + b"x" * first)
            s.settimeout(5)
            data = b""
            try:
                while b"\r\n\r\n" not in data:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    data += chunk
            except (socket.timeout, ConnectionResetError):
                return None
            return data

    def test_import_upload_size_limits(self):
        before, imports_before = self.counts(), self.import_rows()
        big = 3 << 20
        # Without a key: refused from the headers alone (the body is never read).
        for headers in ({"Content-Type": "text/csv"}, {"Content-Type": "text/csv", "Authorization": "Bearer nope"}):
            with self.subTest(headers=headers):
                answer = self.send_declared("/api/imports?kind=clients", big, headers)
                self.assertIsNotNone(answer, "the server waited for the body")
                self.assertRegex(answer[:12], rb"^HTTP/1\.1 (401|413)")
        # With a key, another POST route keeps the 1 MiB limit (also the preview's).
        for target, ctype in (("/api/users", "application/json"), ("/api/imports/preview?kind=clients", "text/csv"),
                              ("/api/orders", "application/json")):
            with self.subTest(target=target):
                answer = self.send_declared(target, big, {"Content-Type": ctype, "Authorization": "Bearer " + KEY})
                self.assertIsNotNone(answer, "the server waited for the body")
                self.assertTrue(answer.startswith(b"HTTP/1.1 413"), answer[:100])
        self.assertEqual(self.counts(), before)
        self.assertEqual(self.import_rows(), imports_before)
        # With a key, an import's upload may be larger than 1 MiB.
        rows = 40000
        body = ("externalId,email,name\n" + "".join(
            f"big-{i},big-{i}@example.com,Big Upload Client Number {i}\n" for i in range(rows))).encode()
        self.assertGreater(len(body), 1 << 20)
        status, _, data = self.upload("/api/imports?kind=clients", body)
        self.assertEqual(status, 202, data)
        job = self.finished_import(data["data"]["id"])
        self.assertEqual((job["status"], job["imported"], job["totalBytes"]), ("done", rows, len(body)))

    def test_csv_export_guards_formulas_and_reimports_them(self):
        auth = {"Authorization": "Bearer " + KEY, "Content-Type": "application/json"}
        names = {"formula-1@example.com": '=HYPERLINK("http://evil")', "formula-2@example.com": "+cmd|' /C calc'!A0",
                 "formula-3@example.com": "-2+3", "formula-4@example.com": "@SUM(1+1)",
                 "formula-5@example.com": "\tTabbed\t", "formula-6@example.com": "'=already quoted"}
        ids = {}
        for email, name in names.items():
            status, _, data = get(self.server.port, "/api/users", auth, "POST",
                                  json.dumps({"email": email, "name": name}).encode())
            self.assertEqual(status, 201, data)
            ids[email] = json.loads(data)["data"]["userId"]
            names[email] = json.loads(data)["data"]["name"]  # as the API keeps it (trimmed)
        status, headers, data = get(self.server.port, "/api/exports/clients?search=formula-",
                                    {"Authorization": "Bearer " + KEY})
        self.assertEqual(status, 200, data)
        self.assertEqual(headers["content-type"], ["text/csv; charset=utf-8"])
        text = data.decode()
        self.assertIn('"\'=HYPERLINK(""http://evil"")"', text)
        rows = {r["email"]: r for r in csv.DictReader(io.StringIO(text, newline=""))}
        self.assertEqual(set(rows), set(names))
        for email, name in names.items():
            with self.subTest(name=name):
                cell = rows[email]["name"]
                # No cell a spreadsheet would run: each starts with an apostrophe or plain text.
                self.assertNotIn(cell[:1], ("=", "+", "-", "@", "\t", "\r"))
        self.assertEqual(rows["formula-1@example.com"]["name"], '\'=HYPERLINK("http://evil")')
        # The file imported back: every client unchanged, the names as they were.
        status, _, body = self.upload("/api/imports?kind=clients", data)
        self.assertEqual(status, 202, body)
        job = self.finished_import(body["data"]["id"])
        for email, name in names.items():
            with self.subTest(name=name):
                status, _, data = get(self.server.port, f"/api/users/{ids[email]}", {"Authorization": "Bearer " + KEY})
                self.assertEqual(json.loads(data)["data"]["name"], name)
        self.assertEqual((job["status"], job["updated"], job["unchanged"], job["rejected"]),
                         ("done", 0, len(names), 0), job)

    def test_import_fields_cannot_read_host_files(self):
        before = self.counts()
        hostile = ["/etc/passwd", "file:///etc/passwd", "../../../../../../etc/passwd", "@/etc/passwd",
                   "\\\\host\\share\\x", "/proc/self/environ", "$(cat /etc/passwd)", "`cat /etc/passwd`",
                   "%2e%2e%2fetc%2fpasswd", "<!ENTITY x SYSTEM \"file:///etc/passwd\">"]
        lines = ["externalId,email,name,preferredCategories,timeZone"]
        for i, h in enumerate(hostile):
            q = '"' + h.replace('"', '""') + '"'
            lines.append(f"path-{i},path-{i}@example.com,{q},{q},")
        lines.append("path-tz,path-tz@example.com,TZ,,../../../../etc/passwd")
        lines.append("path-tz2,path-tz2@example.com,TZ,,/etc/localtime")
        lines.append("path-big,path-big@example.com," + "A" * 900_000 + ",,")
        body = ("\n".join(lines) + "\n").encode()
        answers = []
        status, headers, preview = self.upload("/api/imports/preview?kind=clients", body[:65536])
        self.assertEqual(status, 200, preview)
        answers.append((headers, json.dumps(preview).encode()))
        for target in ["/api/imports?kind=clients&skipInvalid=true", "/api/imports?kind=clients&format=jsonl",
                       "/api/imports?kind=orders&format=cdnow", "/api/imports?kind=orders&format=shopify"]:
            ctype = "application/x-ndjson" if "jsonl" in target else "text/csv"
            status, headers, started = self.upload(target, body, ctype)
            self.assertEqual(status, 202, started)
            job = self.finished_import(started["data"]["id"])
            answers.append((headers, json.dumps(job).encode()))
            if "shopify" in target:  # a clients file is no Shopify orders export
                self.assertEqual((job["status"], job["errorField"]), ("failed", "format"), job)
            if "skipInvalid" in target:
                self.assertEqual(job["status"], "done", job)
                rejected = {r["line"]: r["field"] for r in job["rejects"]}
                n = len(hostile)
                self.assertEqual(rejected, {n + 2: "timeZone", n + 3: "timeZone", n + 4: "name"}, job["rejects"])
                self.assertEqual(job["imported"], n)
        for bad, field in [("kind=/etc/passwd", "kind"), ("kind=clients&format=../../etc/passwd", "format"),
                           ("kind=clients&format=shopify", "kind"), ("kind=orders&format=SHOPIFY", "format"),
                           ("kind=clients&map=/etc/passwd", "map"), ("kind=clients&map=name%3D/etc/passwd", "map")]:
            with self.subTest(query=bad):
                status, headers, data = self.upload("/api/imports?" + bad, body[:1000])
                if status == 202:  # a mapped column is looked up in the file's header by the import itself
                    data = self.finished_import(data["data"]["id"])
                    self.assertEqual((data["status"], data["errorField"]), ("failed", field), data)
                    self.assertIn("not in the file's header", data["error"])
                else:
                    self.assertEqual(status, 400, data)
                    self.assertEqual(data["field"], field)
                answers.append((headers, json.dumps(data).encode()))
        for target in ["/api/exports/clients?search=path-", "/api/exports/clients?format=jsonl", "/api/imports",
                       "/api/exports/orders"]:
            status, headers, data = get(self.server.port, target, {"Authorization": "Bearer " + KEY})
            self.assertEqual(status, 200, target)
            answers.append((headers, data))
        for headers, data in answers:
            self.assert_leaks_nothing(headers, data)
        # The names are stored as text, as given.
        status, _, data = get(self.server.port, "/api/exports/clients?search=path-0%40",
                              {"Authorization": "Bearer " + KEY})
        self.assertEqual([r["name"] for r in csv.DictReader(io.StringIO(data.decode(), newline=""))], ["/etc/passwd"])
        self.assertEqual(int(self.counts()[0]), int(before[0]) + len(hostile))

    def test_a_hostile_shopify_export_is_bounded_and_stored_as_text(self):
        """Issue 17: --format shopify groups line-item rows into one order: an order of
        thousands of rows keeps at most 1000 items, a formula or a path in a name is text,
        and an order's rows split apart are a duplicate, not a merge."""
        before = self.counts()
        header = "Name,Email,Total,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Id"
        rows = ["#9001,evil@example.com,1.00,2026-01-01 00:00:00 +0000,1,\"'=HYPERLINK(\"\"http://x\"\")\",1.00,"
                "/etc/passwd,'9001"]
        rows += ["#9001,evil@example.com,,,99999999,../../etc/shadow,1e308,x,"] * 3000
        rows += ["#9002,evil@example.com,2.00,2026-01-02 00:00:00 +0000,1,Tea,2.00,TEA,9002",
                 "#9001,evil@example.com,3.00,2026-01-03 00:00:00 +0000,1,Tea,2.00,TEA,9001"]
        body = (header + "\n" + "\n".join(rows) + "\n").encode()
        status, headers, started = self.upload("/api/imports?kind=orders&format=shopify&skipInvalid=true", body)
        self.assertEqual(status, 202, started)
        job = self.finished_import(started["data"]["id"])
        self.assert_leaks_nothing(headers, json.dumps(job).encode())
        self.assertEqual((job["status"], job["imported"]), ("done", 2), job)
        self.assertEqual([(r["line"], r["field"]) for r in job["rejects"]], [(3004, "externalId")], job["rejects"])
        status, _, data = get(self.server.port, "/api/users?search=evil%40example.com", {"Authorization": "Bearer " + KEY})
        user = json.loads(data)["data"][0]
        status, _, data = get(self.server.port, f"/api/users/{user['userId']}/orders?limit=10",
                              {"Authorization": "Bearer " + KEY})
        orders = {o["externalId"]: o for o in json.loads(data)["data"]}
        self.assertEqual(set(orders), {"9001", "9002"})
        items = orders["9001"]["items"]
        self.assertEqual(len(items), 1000)
        self.assertEqual(items[0]["name"], '=HYPERLINK("http://x")')  # the export's guard off, kept as text
        self.assertEqual(items[0]["productId"], "/etc/passwd")
        self.assertEqual(int(self.counts()[1]), int(before[1]) + 2)

    def test_shop_hooks_accept_only_signed_fresh_deliveries(self):
        """Issue 17: /hooks/shopify is open (no API key): the signature is the only guard.
        Unsigned, mis-signed, replayed, hostile and oversized deliveries write nothing; the
        deliveries' list needs a key; the secret appears nowhere."""
        import base64
        import hashlib
        import hmac

        def deliver(body, topic="customers/create", event="evt-1", signature=None, extra=None):
            sig = signature if signature is not None else base64.b64encode(
                hmac.new(SHOPIFY_SECRET.encode(), body, hashlib.sha256).digest()).decode()
            headers = {"Content-Type": "application/json", "X-Shopify-Topic": topic, "X-Shopify-Event-Id": event,
                       "X-Shopify-Hmac-Sha256": sig}
            headers.update(extra or {})
            return get(self.server.port, "/hooks/shopify", headers, "POST", body)

        def deliveries():
            status, _, data = get(self.server.port, "/api/integrations/deliveries?limit=500",
                                  {"Authorization": "Bearer " + KEY})
            self.assertEqual(status, 200, data)
            return json.loads(data)["data"]

        before, recorded = self.counts(), deliveries()
        body = json.dumps({"id": 1, "email": "hook@example.com", "first_name": "Hook"}).encode()
        answers = []
        for signature in ["", "AAAA", "x" * 10000, base64.b64encode(b"\0" * 32).decode(),
                          base64.b64encode(hmac.new(KEY.encode(), body, hashlib.sha256).digest()).decode(),
                          hashlib.sha256(body).hexdigest()]:
            with self.subTest(signature=signature[:20]):
                status, headers, data = deliver(body, signature=signature)
                self.assertEqual(status, 401, data)
                answers.append((headers, data))
        # The API key is not a webhook signature, and a signature is no API key.
        status, _, _ = deliver(body, extra={"Authorization": "Bearer " + KEY}, signature="")
        self.assertEqual(status, 401)
        status, _, _ = get(self.server.port, "/api/integrations/deliveries")
        self.assertEqual(status, 401)
        # Signed, with hostile headers or bodies: refused before anything is recorded.
        for topic, event, payload in [("../../etc/passwd", "e2", body), ("orders/create", "x" * 200, body),
                                      ("orders/create", "e3", b"[1,2]"), ("orders/create", "e4", b"not json"),
                                      ("ORDERS/CREATE", "e5", body), ("orders/create", "", body)]:
            with self.subTest(topic=topic[:20], event=event[:20]):
                status, headers, data = deliver(payload, topic=topic, event=event)
                self.assertEqual(status, 400, data)
                answers.append((headers, data))
        status, _, data = deliver(b'{"pad":"' + b"x" * (2 << 20) + b'"}')
        self.assertEqual(status, 413)
        self.assertEqual(deliveries(), recorded)
        self.assertEqual(self.counts(), before)
        # A signed delivery once; its replay (the same event id) changes nothing.
        status, _, data = deliver(body, event="evt-replay")
        self.assertEqual((status, json.loads(data)["data"]["duplicate"]), (200, False))
        status, _, data = deliver(body, event="evt-replay")
        self.assertEqual((status, json.loads(data)["data"]["duplicate"]), (200, True))
        self.assertEqual(len(deliveries()), len(recorded) + 1)
        # Applied before the next case counts the store.
        self.assertTrue(wait_for(lambda: all(d["status"] != "pending" for d in deliveries())))
        # WooCommerce is not connected here: 404 whatever is sent.
        status, _, _ = get(self.server.port, "/hooks/woocommerce", {"Content-Type": "application/json"}, "POST", body)
        self.assertEqual(status, 404)
        for headers, data in answers:
            self.assert_leaks_nothing(headers, data)
        for target in ["/api/integrations/deliveries?limit=0", "/api/integrations/deliveries?source=/etc/passwd",
                       "/api/integrations/deliveries?limit=999999"]:
            status, _, _ = get(self.server.port, target, {"Authorization": "Bearer " + KEY})
            self.assertEqual(status, 400, target)

    def test_outgoing_webhooks_need_a_key_never_show_a_secret_and_reach_nothing_inside(self):
        """Issue 17's /api/webhooks: every route needs the key; an endpoint's URL cannot
        name a file, another scheme, credentials, or an address inside the host or its
        network (the cloud metadata service included), and a host name that resolves inside
        is refused where it is resolved; the signing secret leaves the server once, in the
        creation's answer, and never in a list, a delivery or the log."""
        import http.server
        import socket

        auth = {"Authorization": "Bearer " + KEY, "Content-Type": "application/json"}

        def endpoints():
            return int(store_query(self.server.env, "SELECT count(*) FROM webhook_endpoints")[0])

        body = json.dumps({"url": "https://hooks.example/in", "events": ["client.unsubscribed"]}).encode()
        before = endpoints()
        for method, target, payload in [("GET", "/api/webhooks", b""), ("POST", "/api/webhooks", body),
                                        ("GET", "/api/webhooks/events", b""),
                                        ("GET", "/api/webhooks/deliveries", b""),
                                        ("DELETE", "/api/webhooks/wh_x", b""),
                                        ("POST", "/api/webhooks/deliveries/msg_x/replay", b"")]:
            for auth_header in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Bearer " + KEY[:-1]}):
                with self.subTest(method=method, target=target, auth=auth_header):
                    status, headers, data = get(self.server.port, target,
                                                dict(auth_header, **{"Content-Type": "application/json"}),
                                                method, payload)
                    self.assertEqual(status, 401, data)
                    self.assert_leaks_nothing(headers, data)
        self.assertEqual(endpoints(), before)

        # Nothing inside, whatever the spelling.
        port = self.server.port
        for url in ["file:///etc/passwd", "gopher://127.0.0.1:25/_HELO", "dict://127.0.0.1:11211/stats",
                    "ftp://127.0.0.1/", "http://169.254.169.254/latest/meta-data/iam/",
                    f"http://127.0.0.1:{port}/api/users", "http://127.1/", "http://[::1]/", "http://[::ffff:127.0.0.1]/",
                    "http://localhost/", "http://LOCALHOST./", "http://10.0.0.1/", "http://192.168.1.1/",
                    "http://0.0.0.0/", "http://user:pw@hooks.example/", "http://hooks.example/#x",
                    "http://hooks.example/\r\nX-Injected: 1", "http://2130706433/", "http://0x7f.1/",
                    "https://hooks.example/" + "a" * 3000]:
            with self.subTest(url=url[:60]):
                status, _, data = get(port, "/api/webhooks", auth, "POST",
                                      json.dumps({"url": url, "events": ["email.sent"]}).encode())
                self.assertEqual(status, 400, data)
                self.assertEqual(json.loads(data)["field"], "url", data)
        self.assertEqual(endpoints(), before)

        # A name that resolves to loopback passes the check of the URL, and is refused at
        # each attempt: the receiver listening there hears nothing.
        heard = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                heard.append(self.path)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=receiver.serve_forever, daemon=True).start()
        try:
            name = socket.gethostname()
            if not socket.gethostbyname(name).startswith("127."):
                self.skipTest(f"{name} does not resolve to loopback here")
            status, _, data = get(port, "/api/webhooks", auth, "POST", json.dumps(
                {"url": f"http://{name}:{receiver.server_address[1]}/in", "events": ["client.unsubscribed"]}).encode())
            self.assertEqual(status, 201, data)
            created = json.loads(data)["data"]
            secret = created["secret"]
            self.assertTrue(secret.startswith("whsec_"))
            status, _, _ = get(port, "/api/suppressions", auth, "POST",
                               json.dumps({"email": "inside@example.com", "reason": "unsubscribed"}).encode())
            self.assertEqual(status, 201)

            def delivery():
                status, _, data = get(port, f"/api/webhooks/deliveries?endpointId={created['endpointId']}",
                                      {"Authorization": "Bearer " + KEY})
                items = json.loads(data)["data"]
                return items[0] if items and items[0]["attempts"] >= 1 and items[0]["lastError"] else None

            d = wait_for(delivery, timeout=15)
            self.assertTrue(d)
            self.assertTrue(d["lastError"].startswith("refused: "), d)
            self.assertIsNone(d["lastStatus"])
            self.assertEqual(heard, [])
            # The secret: once, in the 201 above; in no list, delivery, or log line.
            for target in ["/api/webhooks", "/api/webhooks/deliveries", f"/api/webhooks/deliveries?endpointId={created['endpointId']}"]:
                status, headers, data = get(port, target, {"Authorization": "Bearer " + KEY})
                self.assertEqual(status, 200, data)
                self.assertNotIn(secret.encode(), data)
                self.assertNotIn(b"whsec_", data)
            self.assertFalse(any(secret in line for line in self.server.log))
            status, _, _ = get(port, f"/api/webhooks/{created['endpointId']}", {"Authorization": "Bearer " + KEY},
                               "DELETE")
            self.assertEqual(status, 200)
        finally:
            receiver.shutdown()
            receiver.server_close()
        for target in ["/api/webhooks/deliveries?status=../../etc/passwd", "/api/webhooks/deliveries?limit=0",
                       "/api/webhooks/deliveries?limit=999999"]:
            status, _, _ = get(port, target, {"Authorization": "Bearer " + KEY})
            self.assertEqual(status, 400, target)
        for target in ["/api/webhooks/deliveries/..%2F..%2Fetc%2Fpasswd/replay", "/api/webhooks/deliveries/%00/replay"]:
            status, _, data = get(port, target, {"Authorization": "Bearer " + KEY}, "POST")
            self.assertIn(status, (400, 404), data)
            self.assert_leaks_nothing({}, data)

    def test_cdp_events_need_a_key_and_refuse_hostile_bodies(self):
        """Issue 17's /api/identify and /api/track: a key, a JSON object of the route's type
        with a sane messageId; anything else is refused and nothing is recorded."""
        auth = {"Authorization": "Bearer " + KEY, "Content-Type": "application/json"}

        def recorded():
            status, _, data = get(self.server.port, "/api/integrations/deliveries?source=cdp&limit=500",
                                  {"Authorization": "Bearer " + KEY})
            return json.loads(data)["data"]

        before, counts = recorded(), self.counts()
        event = json.dumps({"type": "track", "event": "Order Completed", "messageId": "a1", "userId": "u",
                            "properties": {"order_id": "o", "total": 5}}).encode()
        for route in ["/api/track", "/api/identify"]:
            status, _, _ = get(self.server.port, route, {"Content-Type": "application/json"}, "POST", event)
            self.assertEqual(status, 401, route)
            status, _, _ = get(self.server.port, route, {"Authorization": "Bearer " + SHOPIFY_SECRET,
                                                         "Content-Type": "application/json"}, "POST", event)
            self.assertEqual(status, 401, route)
        hostile = [b"[]", b"null", b'"track"', b"{", b'{"type":"track","messageId":"a\u0000b","event":"E"}',
                   b'{"type":"track","messageId":"' + b"m" * 129 + b'","event":"E"}',
                   b'{"type":"track","messageId":{"$ne":1},"event":"E"}',
                   b'{"type":"track","messageId":"m1","event":"E","event":"F"}',
                   b'{"type":"track","messageId":"m2","event":"' + b"E" * 129 + b'"}',
                   b'{"type":["track"],"messageId":"m3","event":"E"}']
        for body in hostile:
            with self.subTest(body=body[:40]):
                status, _, data = get(self.server.port, "/api/track", auth, "POST", body)
                self.assertEqual(status, 400, data)
                self.assert_leaks_nothing({}, data)
        self.assertEqual(recorded(), before)
        self.assertEqual(self.counts(), counts)

    def test_shop_sync_needs_a_key_names_only_its_platforms_and_never_shows_the_token(self):
        """Issue 17's GET /api/integrations/sync and POST /api/integrations/sync/:source."""
        auth = {"Authorization": "Bearer " + KEY, "Content-Type": "application/json"}
        for method, target in [("GET", "/api/integrations/sync"), ("POST", "/api/integrations/sync/shopify")]:
            status, _, _ = get(self.server.port, target, {"Content-Type": "application/json"}, method)
            self.assertEqual(status, 401, target)
        for target in ["/api/integrations/sync/..%2f..%2fetc%2fpasswd", "/api/integrations/sync/shopify%00",
                       "/api/integrations/sync/SHOPIFY", "/api/integrations/sync/woocommerce",
                       "/api/integrations/sync/" + "a" * 300]:
            status, _, data = get(self.server.port, target, auth, "POST")
            self.assertIn(status, (400, 404), (target, data))  # 400: an encoded '/' in a segment
            self.assert_leaks_nothing({}, data)
        status, _, data = get(self.server.port, "/api/integrations/sync/shopify", auth, "POST", b'{"cursor":"0"}')
        self.assertEqual((status, json.loads(data)["field"]), (400, "body"))
        status, _, _ = get(self.server.port, "/api/integrations/sync/shopify",
                           {"Authorization": "Bearer " + KEY, "Content-Type": "text/plain"}, "POST")
        self.assertEqual(status, 415)
        # Started (its shop does not answer), then refused while it runs; never the token.
        status, headers, data = get(self.server.port, "/api/integrations/sync/shopify", auth, "POST")
        self.assertEqual(status, 202, data)
        self.assert_leaks_nothing(headers, data)
        status, _, data = get(self.server.port, "/api/integrations/sync/shopify", auth, "POST")
        self.assertEqual(status, 409, data)
        status, headers, data = get(self.server.port, "/api/integrations/sync", auth)
        self.assertEqual(status, 200)
        self.assert_leaks_nothing(headers, data)
        self.assertEqual(json.loads(data)["data"][0]["shopUrl"], "http://127.0.0.1:9")
        self.assertNotIn(SHOP_TOKEN, "".join(self.server.log))


    def test_test_email_needs_a_key_and_is_no_open_relay(self):
        """Issue 12's POST /api/test-email sends as the shop: it must not become a relay."""
        auth = {"Authorization": "Bearer " + KEY, "Content-Type": "application/json"}
        outbox = os.path.join(self.server.dir, "outbox", "new")
        sent = lambda: len(os.listdir(outbox)) if os.path.isdir(outbox) else 0  # noqa: E731
        before_counts, before_sent = self.counts(), sent()
        status, _, _ = get(self.server.port, "/api/test-email", {"Content-Type": "application/json"}, "POST",
                           b'{"to":"me@shop.example"}')
        self.assertEqual(status, 401)
        status, _, _ = get(self.server.port, "/api/test-email", dict(auth, **{"Content-Type": "text/plain"}), "POST",
                           b'{"to":"me@shop.example"}')
        self.assertEqual(status, 415)
        for body, field in [({"to": "me@shop.example\r\nBcc: victim@example.com"}, "to"),
                            ({"to": "me@shop.example,victim@example.com"}, "to"),
                            ({"to": "Me <me@shop.example>"}, "to"), ({"to": "a" * 300 + "@example.com"}, "to"),
                            ({"to": ["me@shop.example", "victim@example.com"]}, "to"),
                            ({"to": "me@shop.example", "from": "ceo@bank.example"}, "from"),
                            ({"to": "me@shop.example", "html": "<script>"}, "html"),
                            ({"to": "me@shop.example", "userId": "../../etc/passwd"}, "userId"),
                            ({"to": "me@shop.example", "userId": "' OR 1=1 --"}, "userId"),
                            ({"to": "me@shop.example", "step": 10 ** 30}, "step")]:
            status, headers, data = get(self.server.port, "/api/test-email", auth, "POST", json.dumps(body).encode())
            self.assertIn(status, (400, 404), (body, data))
            self.assertEqual(json.loads(data)["field"], field, body)
            self.assert_leaks_nothing(headers, data)
        self.assertEqual(sent(), before_sent)
        # A burst goes no further than ten a minute, each to the one address asked for.
        statuses = [get(self.server.port, "/api/test-email", auth, "POST", b'{"to":"me@shop.example"}')[0]
                    for _ in range(12)]
        self.assertEqual(statuses.count(200), 10, statuses)
        self.assertEqual(statuses[-1], 429)
        self.assertEqual(sent(), before_sent + 10)
        for name in os.listdir(outbox):
            with open(os.path.join(outbox, name), "rb") as f:
                head = f.read().split(b"\r\n\r\n", 1)[0]
            self.assertIn(b"To: me@shop.example", head)
            self.assertNotIn(b"Bcc", head)
        self.assertEqual(self.counts(), before_counts)  # no email row, no client

    def test_message_routes_need_a_key_and_store_no_script(self):
        """Issue 12's /api/messages: what every client's email is written from."""
        auth = {"Authorization": "Bearer " + KEY, "Content-Type": "application/json"}
        good = {"subject": "{{firstName}}, hi", "text": "{{{shopUrl}}}", "html": '<a href="{{shopUrl}}">x</a>'}
        for method, target in [("GET", "/api/messages"), ("GET", "/api/messages/winback-1"),
                               ("POST", "/api/messages"), ("PUT", "/api/messages/winback-1"),
                               ("POST", "/api/messages/winback-1/preview")]:
            status, _, _ = get(self.server.port, target, {"Content-Type": "application/json"}, method,
                               json.dumps(good).encode() if method != "GET" else b"")
            self.assertEqual(status, 401, target)
        for target in ["/api/messages/..%2f..%2fetc%2fpasswd", "/api/messages/winback-1%00",
                       "/api/messages/WINBACK-1", "/api/messages/" + "a" * 300, "/api/messages/%27%20OR%201%3D1"]:
            status, _, data = get(self.server.port, target, auth)
            self.assertIn(status, (400, 404), (target, data))
            self.assert_leaks_nothing({}, data)
        # A stolen key still cannot plant a script, a frame or a handler in every client's email.
        for html in ['<a href="{{shopUrl}}">x</a><script>fetch("//evil")</script>',
                     '<a href="{{shopUrl}}" onclick="x()">x</a>', '<a href="javascript:x">{{shopUrl}}</a>',
                     '<a href="{{shopUrl}}">x</a><iframe src="//evil">']:
            status, _, data = get(self.server.port, "/api/messages/winback-1", auth, "PUT",
                                  json.dumps(dict(good, html=html)).encode())
            self.assertEqual((status, json.loads(data)["field"]), (400, "html"), html)
        # Triple mustaches and partials cannot reach a file or the server's data.
        for text in ["{{> /etc/passwd}} {{{shopUrl}}}", "{{=<% %>=}} {{{shopUrl}}}", "{{{shopUrl}}} {{config}}"]:
            status, _, data = get(self.server.port, "/api/messages/winback-1", auth, "PUT",
                                  json.dumps(dict(good, text=text)).encode())
            self.assertEqual((status, json.loads(data)["field"]), (400, "text"), text)
        status, _, data = get(self.server.port, "/api/messages/winback-1/preview?userId=..%2F..%2Fetc", auth, "POST")
        self.assertEqual(status, 404, data)
        self.assertEqual(int(store_query(self.server.env, "SELECT COUNT(*) FROM message_versions")[0]), 0)

    def test_experiment_routes_need_a_key_and_take_only_known_messages(self):
        """Issue 12's /api/experiments: which wording every client gets, and the message promoted."""
        auth = {"Authorization": "Bearer " + KEY, "Content-Type": "application/json"}
        good = {"name": "t", "message": "winback-1", "variants": [{"message": "winback-1"}, {"message": "winback-2"}]}
        for method, target in [("GET", "/api/experiments"), ("POST", "/api/experiments"),
                               ("GET", "/api/experiments/x"), ("POST", "/api/experiments/x/stop"),
                               ("POST", "/api/experiments/x/promote")]:
            status, _, _ = get(self.server.port, target, {"Content-Type": "application/json"}, method,
                               json.dumps(good).encode() if method != "GET" else b"")
            self.assertEqual(status, 401, target)
        for target in ["/api/experiments/..%2f..%2fetc%2fpasswd", "/api/experiments/x%00",
                       "/api/experiments/%27%20OR%201%3D1", "/api/experiments/" + "a" * 300]:
            for method in ["GET", "POST"]:
                path = target if method == "GET" else target + "/promote"
                status, _, data = get(self.server.port, path, auth, method, b"{}" if method == "POST" else b"")
                self.assertIn(status, (400, 404), (path, data))
                self.assert_leaks_nothing({}, data)
        # A variant names a message, never a file: a path, a partial or an unknown name is refused.
        for name in ["../../etc/passwd", "/etc/passwd", "winback-1\u0000", "{{> x}}", "nope", "a" * 300]:
            body = dict(good, variants=[{"message": "winback-1"}, {"message": name}])
            status, _, data = get(self.server.port, "/api/experiments", auth, "POST", json.dumps(body).encode())
            self.assertEqual((status, json.loads(data)["field"]), (400, "variants[1].message"), name)
        for body in [dict(good, variants=[{"message": "winback-1"}] * 6), dict(good, name="x" * 101),
                     dict(good, variants=[{"message": "winback-1", "weight": 1e308}, {"message": "winback-2"}]),
                     dict(good, threshold=0.5), dict(good, minRecipients=-1), dict(good, admin=True)]:
            status, _, data = get(self.server.port, "/api/experiments", auth, "POST", json.dumps(body).encode())
            self.assertEqual(status, 400, (body, data))
        self.assertEqual(int(store_query(self.server.env, "SELECT COUNT(*) FROM experiments")[0]), 0)

class KeylessServerAttackTest(AttackBase):
    """The keyless loopback default: a web page in the user's browser is the attacker."""
    server_env = {"RKD_WORKERS": "0"}

    def test_cross_site_writes_are_415_and_write_nothing(self):
        before = self.counts()
        user = b'{"email":"csrf@example.com","name":"CSRF"}'
        for content_type in [None, "text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
                             "multipart/form-data; boundary=x", "application/json-patch+json", "text/json"]:
            headers = {"Origin": "https://evil.test"}
            if content_type:
                headers["Content-Type"] = content_type
            for target, body in [("/api/users", user), ("/api/suppressions", b'{"email":"v@example.com"}'),
                                 ("/api/orders", b'{"userId":"u","totalValue":1,"items":[]}'),
                                 ("/api/sweep", b""), ("/api/queues/email-processor/redrive", b"")]:
                with self.subTest(content_type=content_type, target=target):
                    status, _, data = get(self.server.port, target, headers, "POST", body)
                    self.assertEqual(status, 415, data)
                    self.assertEqual(json.loads(data)["field"], "Content-Type")
        status, _, data = get(self.server.port, "/api/users/u1", {"Content-Type": "text/plain"}, "PUT",
                              b'{"name":"x"}')
        self.assertEqual(status, 415)
        self.assertEqual(self.counts(), before)
        # And JSON itself goes through, so the 415s are not a server refusing every write.
        status, _, data = get(self.server.port, "/api/users", {"Content-Type": "application/json"}, "POST", user)
        self.assertEqual(status, 201, data)

    def test_dns_rebinding_is_refused(self):
        before = self.counts()
        for target, method, body in [("/api/users", "GET", b""), ("/", "GET", b""),
                                     ("/api/users", "POST", b'{"email":"dns@example.com","name":"D"}')]:
            with self.subTest(target=target, method=method):
                data = (f"{method} {target} HTTP/1.1\r\nHost: attacker.test:{self.server.port}\r\n"
                        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
                        "Connection: close\r\n\r\n").encode() + body
                status, _, answer = raw_request(self.server.port, data)
                self.assertEqual(status, 400, answer)
        self.assertEqual(self.counts(), before)
        for host in ["localhost", f"localhost:{self.server.port}", "127.0.0.1", "[::1]:1"]:
            status, _, _ = raw_request(self.server.port,
                                       f"GET /health HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
            self.assertEqual(status, 200, host)

    def test_preflight_from_a_foreign_origin_is_refused(self):
        status, headers, _ = get(self.server.port, "/api/users", {
            "Origin": "https://evil.test", "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type"}, "OPTIONS")
        self.assertEqual(status, 403)
        self.assertNotIn("access-control-allow-origin", headers)


class WebDirAttackTest(AttackBase):
    """RKD_WEB_DIR (development): a folder with symlinks out of it serves only what is in it."""

    @classmethod
    def setUpClass(cls):
        cls.web = tempfile.mkdtemp(prefix="rkd-web-")
        os.makedirs(os.path.join(cls.web, "dist", "assets"))
        with open(os.path.join(cls.web, "dist", "index.html"), "w") as f:
            f.write("<!doctype html><title>dev</title>")
        with open(os.path.join(cls.web, "secret.txt"), "w") as f:
            f.write("root:x:0:0 outside the web root")
        os.symlink(os.path.join(cls.web, "secret.txt"), os.path.join(cls.web, "dist", "leak.txt"))
        os.symlink("/etc", os.path.join(cls.web, "dist", "assets", "etc"))
        cls.server_env = {"RKD_WEB_DIR": os.path.join(cls.web, "dist"), "RKD_WORKERS": "0"}
        super().setUpClass()

    def test_symlinks_out_of_the_root_serve_nothing(self):
        for target in ["/leak.txt", "/assets/etc/passwd", "/assets/etc/hostname"]:
            with self.subTest(target=target):
                status, headers, body = get(self.server.port, target)
                self.assertEqual(status, 404)
                self.assert_leaks_nothing(headers, body)
        status, _, body = get(self.server.port, "/clients")
        self.assertEqual(status, 200)
        self.assertIn(b"<title>dev</title>", body)


if __name__ == "__main__":
    unittest.main()
