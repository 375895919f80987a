"""The REST API through the real binary over TCP: every endpoint and every bad input."""
import datetime
import json
import os
import re
import tempfile
import threading
import unittest

from harness import Server, run_cli, store_query


def iso_days_ago(days):
    t = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=days)
    return t.strftime("%Y-%m-%dT%H:%M:%S.000Z")


class ApiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Server()

    @classmethod
    def tearDownClass(cls):
        cls.s.stop()

    def create(self, email, name="Test User", **fields):
        status, body = self.s.call("POST", "/api/users", dict(email=email, name=name, **fields))
        self.assertEqual(status, 201, body)
        return body["data"]

    def count_users(self):
        n, cursor = 0, None
        while True:
            path = "/api/users?limit=500" + (f"&cursor={cursor}" if cursor else "")
            status, body = self.s.call("GET", path)
            self.assertEqual(status, 200)
            n += len(body["data"])
            cursor = body["nextCursor"]
            if not cursor:
                return n

    def assert_error(self, status, body, want_status, code=None, field=None):
        self.assertEqual(status, want_status, body)
        self.assertIs(body["success"], False)
        self.assertTrue(body["error"])
        self.assertIn("timestamp", body)
        if code:
            self.assertEqual(body["code"], code)
        if field:
            self.assertEqual(body.get("field"), field, body)

    # --- the seed's endpoints ----------------------------------------------------------

    def test_health(self):
        status, body = self.s.call("GET", "/health")
        self.assertEqual(status, 200)
        self.assertTrue(body["success"])
        self.assertEqual(body["data"]["status"], "ok")

    def test_user_lifecycle(self):
        u = self.create("life@example.com", "Life Cycle", lastOrderDate=iso_days_ago(120), orderCount=1,
                        averageOrderValue=40, preferredCategories=["Shoes"])
        self.assertEqual(u["engagementScore"], 100 - 40 + 1.5 + 2)
        self.assertEqual(u["preferredCategories"], ["Shoes"])
        for key in ("userId", "email", "name", "lastOrderDate", "orderCount", "averageOrderValue",
                    "preferredCategories", "engagementScore", "lastEmailDate", "createdAt", "updatedAt"):
            self.assertIn(key, u)
        status, body = self.s.call("GET", f"/api/users/{u['userId']}")
        self.assertEqual(status, 200)
        self.assertEqual(body["data"]["email"], "life@example.com")

        # A second order, as the seed's dashboard records one: the figures after it.
        status, body = self.s.call("PUT", f"/api/users/{u['userId']}", {"lastOrderDate": iso_days_ago(2), "orderCount": 2})
        self.assertEqual(status, 200, body)
        self.assertEqual(body["data"]["name"], "Life Cycle")  # merged, not replaced
        # Recomputed: 105 clamped to 100, or 95 when the pipeline has already emailed
        # this (at risk until now) client: the −10 for an email in the last week.
        expected = 95 if body["data"]["lastEmailDate"] else 100
        self.assertEqual(body["data"]["engagementScore"], expected)

        status, body = self.s.call("DELETE", f"/api/users/{u['userId']}")
        self.assertEqual((status, body["data"]), (200, {"deleted": True}))
        status, body = self.s.call("GET", f"/api/users/{u['userId']}")
        self.assert_error(status, body, 404, "not_found")

    def test_orders_update_user_statistics(self):
        # Not at risk, so the pipeline does not email them (and add its penalty) meanwhile.
        u = self.create("orders@example.com", orderCount=1, averageOrderValue=100, lastOrderDate=iso_days_ago(20))
        status, body = self.s.call("POST", "/api/orders", {
            "userId": u["userId"], "totalValue": 50.5,
            "items": [{"itemId": "i1", "productId": "p1", "name": "Scarf", "category": "Accessories",
                       "price": 50.5, "quantity": 1}]})
        self.assertEqual(status, 201, body)
        order = body["data"]
        self.assertEqual(order["status"], "CREATED")
        self.assertEqual(order["items"][0]["name"], "Scarf")
        for key in ("orderId", "userId", "orderDate", "totalValue", "items", "status", "createdAt"):
            self.assertIn(key, order)
        status, body = self.s.call("GET", f"/api/users/{u['userId']}")
        user = body["data"]
        self.assertEqual(user["orderCount"], 2)
        self.assertAlmostEqual(user["averageOrderValue"], 75.25)
        self.assertEqual(user["lastOrderDate"][:10], order["orderDate"][:10])
        self.assertEqual(user["engagementScore"], 100)  # ordered today: 100 + 3 + 3.76, clamped
        status, body = self.s.call("GET", f"/api/users/{u['userId']}/orders")
        self.assertEqual(status, 200)
        self.assertEqual([o["orderId"] for o in body["data"]], [order["orderId"]])

    def test_concurrent_orders_add_up_exactly(self):
        u = self.create("concurrent@example.com")
        threads, errors = [], []

        def post_orders():
            for _ in range(25):
                status, body = self.s.call("POST", "/api/orders",
                                           {"userId": u["userId"], "totalValue": 10, "items": []})
                if status != 201:
                    errors.append(body)

        for _ in range(8):
            threads.append(threading.Thread(target=post_orders))
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        status, body = self.s.call("GET", f"/api/users/{u['userId']}")
        self.assertEqual(body["data"]["orderCount"], 200)
        self.assertEqual(body["data"]["averageOrderValue"], 10)

    def test_list_pagination_filter_search_sort(self):
        ids = set()
        for i in range(12):
            ids.add(self.create(f"pager{i:02d}@pager.test", f"Pager {chr(ord('L') - i)}",
                                lastOrderDate=iso_days_ago(10 * i))["userId"])
        seen, cursor, pages = [], None, 0
        while True:
            path = "/api/users?limit=5&search=pager.test" + (f"&cursor={cursor}" if cursor else "")
            status, body = self.s.call("GET", path)
            self.assertEqual(status, 200, body)
            seen += [u["userId"] for u in body["data"]]
            pages += 1
            if pages == 1:  # inserts while paging do not shift later pages
                self.create("pager-late@pager.test", "Late")
            cursor = body["nextCursor"]
            if not cursor:
                break
        self.assertEqual(len(seen), len(set(seen)))
        self.assertTrue(ids <= set(seen))

        status, body = self.s.call("GET", "/api/users?search=PAGER.TEST&sort=name&limit=3")
        names = [u["name"] for u in body["data"]]
        self.assertEqual(names, sorted(names))
        status, body = self.s.call("GET", "/api/users?search=pager&atRisk=true&sort=score&order=desc&limit=100")
        scores = [u["engagementScore"] for u in body["data"]]
        self.assertTrue(scores and all(s < 75 for s in scores))
        self.assertEqual(scores, sorted(scores, reverse=True))
        status, body = self.s.call("GET", "/api/users?search=pager.test&sort=lastOrderDate&order=asc&limit=100")
        dates = [u["lastOrderDate"] for u in body["data"] if u["lastOrderDate"]]
        self.assertEqual(dates, sorted(dates))

    def test_emails_endpoints(self):
        status, body = self.s.call("GET", "/api/emails?limit=10")
        self.assertEqual(status, 200)
        self.assertIsInstance(body["data"], list)
        status, body = self.s.call("GET", "/api/emails/does-not-exist")
        self.assert_error(status, body, 404, "not_found")
        u = self.create("mailbox@example.com")
        status, body = self.s.call("GET", f"/api/users/{u['userId']}/emails")
        self.assertEqual((status, body["data"]), (200, []))
        status, body = self.s.call("GET", "/api/users/nobody/emails")
        self.assert_error(status, body, 404)
        status, body = self.s.call("GET", "/api/emails?status=LOST")
        self.assert_error(status, body, 400, field="status")

    # --- bad input: the right status, a clear error, nothing written --------------------

    def test_bad_user_input_writes_nothing(self):
        before = self.count_users()
        cases = [
            ("{not json", 400, None),
            ("[1,2]", 400, None),
            ({"name": "No Email"}, 400, "email"),
            ({"email": "a@b.co"}, 400, "name"),
            ({"email": "not-an-email", "name": "X"}, 400, "email"),
            ({"email": 42, "name": "X"}, 400, "email"),
            ({"email": "t@b.co", "name": ["X"]}, 400, "name"),
            ({"email": "t@b.co", "name": "X", "colour": "red"}, 400, "colour"),
            ({"email": "t@b.co", "name": "X", "engagementScore": 10}, 400, "engagementScore"),
            ({"email": "t@b.co", "name": "X", "orderCount": "3"}, 400, "orderCount"),
            ({"email": "t@b.co", "name": "X", "averageOrderValue": -5}, 400, "averageOrderValue"),
            ({"email": "t@b.co", "name": "X", "lastOrderDate": "last tuesday"}, 400, "lastOrderDate"),
            ({"email": "t@b.co", "name": "X", "lastOrderDate": "2999-01-01T00:00:00Z"}, 400, "lastOrderDate"),
            ({"email": "t@b.co", "name": "X", "preferredCategories": "Shoes"}, 400, "preferredCategories"),
        ]
        for payload, want, field in cases:
            with self.subTest(payload=payload):
                status, body = self.s.call("POST", "/api/users", payload)
                self.assert_error(status, body, want, field=field)
        self.assertEqual(self.count_users(), before)

    def test_duplicate_email_is_409(self):
        self.create("dup@example.com")
        before = self.count_users()
        status, body = self.s.call("POST", "/api/users", {"email": "DUP@example.com", "name": "Again"})
        self.assert_error(status, body, 409, "already_exists", "email")
        self.assertEqual(self.count_users(), before)
        other = self.create("dup2@example.com")
        status, body = self.s.call("PUT", f"/api/users/{other['userId']}", {"email": "dup@example.com"})
        self.assert_error(status, body, 409, field="email")

    def test_bad_update_input(self):
        u = self.create("upd@example.com", "Before")
        for payload, field in [({}, None), ({"name": ""}, "name"), ({"userId": "x"}, "userId"),
                               ({"createdAt": iso_days_ago(1)}, "createdAt"), ({"orderCount": -1}, "orderCount")]:
            with self.subTest(payload=payload):
                status, body = self.s.call("PUT", f"/api/users/{u['userId']}", payload)
                self.assert_error(status, body, 400, field=field)
        status, body = self.s.call("GET", f"/api/users/{u['userId']}")
        self.assertEqual(body["data"]["name"], "Before")
        self.assertEqual(body["data"]["updatedAt"], u["updatedAt"])
        status, body = self.s.call("PUT", "/api/users/nobody", {"name": "X"})
        self.assert_error(status, body, 404, "not_found")
        status, body = self.s.call("DELETE", "/api/users/nobody")
        self.assert_error(status, body, 404)

    def test_bad_order_input_writes_nothing(self):
        u = self.create("badorders@example.com")
        base = {"userId": u["userId"], "totalValue": 10, "items": [{"productId": "p", "price": 10, "quantity": 1}]}
        cases = [
            (dict(base, totalValue=-1), 400, "totalValue"),
            (dict(base, totalValue="10"), 400, "totalValue"),
            ({k: v for k, v in base.items() if k != "totalValue"}, 400, "totalValue"),
            ({k: v for k, v in base.items() if k != "userId"}, 400, "userId"),
            (dict(base, items="none"), 400, "items"),
            (dict(base, items=[{"productId": "p", "quantity": -2}]), 400, "items[0].quantity"),
            # A negative price is refused naming the item (a hand mutant that accepted it
            # went unnoticed: docs/mutation-testing.md).
            (dict(base, items=[{"productId": "p", "price": 10, "quantity": 1},
                               {"productId": "q", "price": -5, "quantity": 1}]), 400, "items[1].price"),
            (dict(base, orderDate="2024-02-30"), 400, "orderDate"),
            (dict(base, orderDate="2999-01-01T00:00:00Z"), 400, "orderDate"),
            (dict(base, coupon="FREE"), 400, "coupon"),
            (dict(base, userId="nobody"), 404, "userId"),
        ]
        for payload, want, field in cases:
            with self.subTest(payload=payload):
                status, body = self.s.call("POST", "/api/orders", payload)
                self.assert_error(status, body, want, field=field)
        status, body = self.s.call("GET", f"/api/users/{u['userId']}")
        self.assertEqual(body["data"]["orderCount"], 0)
        status, body = self.s.call("GET", f"/api/users/{u['userId']}/orders")
        self.assertEqual(body["data"], [])

    # --- idempotent orders (issue 13): a retry after a lost answer makes no second order --

    def post_order(self, payload, key=None):
        """POST /api/orders with an optional Idempotency-Key; (status, body, replayed header)."""
        headers = {"Content-Type": "application/json"}
        if key is not None:
            headers["Idempotency-Key"] = key
        resp, data = self.s.raw("POST", "/api/orders", json.dumps(payload), headers)
        return resp.status, json.loads(data), resp.getheader("Idempotent-Replayed")

    def changes_of(self, user_id):
        return int(store_query(self.s.env, f"SELECT count(*) FROM user_changes WHERE user_id = '{user_id}'")[0])

    def test_a_retried_order_with_the_same_idempotency_key_is_stored_once(self):
        u = self.create("retry@example.com")
        order = {"userId": u["userId"], "totalValue": 42.5,
                 "items": [{"productId": "p1", "name": "Boots", "price": 40, "quantity": 1},
                           {"productId": "p2", "name": "Laces", "price": 2.5, "quantity": 1}]}
        status, body, replayed = self.post_order(order, key="SO-1001")
        self.assertEqual(status, 201, body)
        self.assertIsNone(replayed)
        first = body["data"]
        self.assertEqual(first["externalId"], "SO-1001")
        self.assertEqual(first["user"]["orderCount"], 1)
        changes = self.changes_of(u["userId"])

        # The same request again, then with the key in the body instead of the header, then in both.
        for payload, key in ((order, "SO-1001"), (dict(order, externalId="SO-1001"), None),
                             (dict(order, externalId="SO-1001"), "SO-1001")):
            with self.subTest(payload=payload, key=key):
                status, body, replayed = self.post_order(payload, key=key)
                self.assertEqual(status, 200, body)
                self.assertEqual(replayed, "true")
                self.assertEqual(body["data"]["orderId"], first["orderId"])
                self.assertEqual(body["data"]["createdAt"], first["createdAt"])
                self.assertEqual(body["data"]["user"]["orderCount"], 1)
        status, body = self.s.call("GET", f"/api/users/{u['userId']}")
        self.assertEqual(body["data"]["orderCount"], 1)
        self.assertEqual(body["data"]["averageOrderValue"], 42.5)
        self.assertEqual(body["data"]["updatedAt"], first["user"]["updatedAt"])
        status, body = self.s.call("GET", f"/api/users/{u['userId']}/orders")
        self.assertEqual([o["orderId"] for o in body["data"]], [first["orderId"]])
        self.assertEqual(body["data"][0]["externalId"], "SO-1001")
        self.assertEqual(self.changes_of(u["userId"]), changes)  # no event for the pipeline

        # An order without a key is a new order each time, as before.
        status, body, _ = self.post_order(order)
        self.assertEqual(status, 201, body)
        self.assertIsNone(body["data"]["externalId"])
        self.assertEqual(body["data"]["user"]["orderCount"], 2)

    def test_concurrent_posts_with_one_idempotency_key_store_one_order(self):
        u = self.create("race@example.com")
        order = {"userId": u["userId"], "totalValue": 10, "items": [{"productId": "p", "price": 10, "quantity": 1}]}
        results = []

        def post():
            results.append(self.post_order(order, key="SO-RACE-1"))

        threads = [threading.Thread(target=post) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(status for status, _, _ in results), [200] * 7 + [201], results)
        self.assertEqual(len({body["data"]["orderId"] for _, body, _ in results}), 1)
        status, body = self.s.call("GET", f"/api/users/{u['userId']}")
        self.assertEqual(body["data"]["orderCount"], 1)

    def test_a_different_order_under_a_taken_key_is_409_and_writes_nothing(self):
        u = self.create("conflict@example.com")
        other = self.create("conflict2@example.com")
        order = {"userId": u["userId"], "totalValue": 10, "items": [{"productId": "p", "price": 10, "quantity": 1}],
                 "orderDate": iso_days_ago(3)}
        status, body, _ = self.post_order(order, key="SO-7")
        self.assertEqual(status, 201, body)
        changes = self.changes_of(u["userId"])
        for payload in (dict(order, totalValue=11), dict(order, orderDate=iso_days_ago(2)),
                        dict(order, items=[{"productId": "q", "price": 10, "quantity": 1}]),
                        dict(order, userId=other["userId"])):
            with self.subTest(payload=payload):
                status, body, replayed = self.post_order(payload, key="SO-7")
                self.assert_error(status, body, 409, "already_exists", "externalId")
                self.assertIsNone(replayed)
        for user in (u, other):
            status, body = self.s.call("GET", f"/api/users/{user['userId']}/orders")
            self.assertEqual(len(body["data"]), 1 if user is u else 0)
        self.assertEqual(self.changes_of(u["userId"]), changes)
        self.assertEqual(self.s.call("GET", f"/api/users/{other['userId']}")[1]["data"]["orderCount"], 0)

    def test_bad_idempotency_keys_and_external_ids_are_400(self):
        u = self.create("badkeys@example.com")
        order = {"userId": u["userId"], "totalValue": 10, "items": [{"productId": "p", "price": 10, "quantity": 1}]}
        cases = [
            (order, "", "Idempotency-Key"),
            (order, "k" * 129, "Idempotency-Key"),
            (order, "tab\there", "Idempotency-Key"),  # HTTP allows a tab in a header value; we do not
            (order, "caf\u00e9".encode("utf-8").decode("latin-1"), "Idempotency-Key"),  # UTF-8 bytes on the wire
            (dict(order, externalId=""), None, "externalId"),
            (dict(order, externalId="k" * 129), None, "externalId"),
            (dict(order, externalId="bell\u0007"), None, "externalId"),
            (dict(order, externalId="line\nbreak"), None, "externalId"),
            (dict(order, externalId=" padded"), None, "externalId"),
            (dict(order, externalId=1001), None, "externalId"),
            (dict(order, externalId="SO-1"), "SO-2", "externalId"),  # header and body disagree
        ]
        for payload, key, field in cases:
            with self.subTest(payload=payload, key=key):
                status, body, _ = self.post_order(payload, key=key)
                self.assert_error(status, body, 400, "invalid_argument", field)
        # 128 printable characters are fine.
        status, body, _ = self.post_order(order, key="K" * 127 + "~")
        self.assertEqual(status, 201, body)
        status, body = self.s.call("GET", f"/api/users/{u['userId']}")
        self.assertEqual(body["data"]["orderCount"], 1)

    def test_body_over_one_mebibyte_is_413(self):
        import socket
        before = self.count_users()
        body = json.dumps({"email": "big@example.com", "name": "x" * (1024 * 1024 + 10)}).encode()
        # A raw socket: the server may answer 413 and close before the whole body is
        # sent, which would break http.client's send.
        with socket.create_connection(("127.0.0.1", self.s.port), timeout=10) as sock:
            sock.sendall(b"POST /api/users HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                         b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n")
            try:
                sock.sendall(body)
            except (BrokenPipeError, ConnectionResetError):
                pass
            reply = b""
            try:
                while b"\r\n\r\n" not in reply or not reply.rstrip().endswith(b"}"):
                    chunk = sock.recv(65536)
                    if not chunk:
                        break
                    reply += chunk
            except ConnectionResetError:
                pass
        self.assertTrue(reply.startswith(b"HTTP/1.1 413"), reply[:200])
        self.assertEqual(json.loads(reply.split(b"\r\n\r\n", 1)[1])["code"], "payload_too_large")
        self.assertEqual(self.count_users(), before)

    def test_wrong_method_and_unknown_route(self):
        status, body = self.s.call("PATCH", "/api/users/x", {"name": "y"})
        self.assert_error(status, body, 405, "method_not_allowed")
        resp, _ = self.s.raw("DELETE", "/api/users")
        self.assertIn("POST", resp.getheader("Allow"))
        status, body = self.s.call("GET", "/api/nothing-here")
        self.assert_error(status, body, 404, "not_found")

    def test_bad_query_parameters(self):
        for path, field in [("/api/users?limit=0", "limit"), ("/api/users?limit=x", "limit"),
                            ("/api/users?sort=age", "sort"), ("/api/users?cursor=%21%21", "cursor"),
                            ("/api/users?atRisk=yes", "atRisk"), ("/api/emails?limit=9999", "limit")]:
            with self.subTest(path=path):
                status, body = self.s.call("GET", path)
                self.assert_error(status, body, 400, field=field)

    def test_request_log_lines(self):
        resp, _ = self.s.raw("GET", "/health")
        rid = resp.getheader("X-Request-Id")
        self.assertTrue(rid)
        for _ in range(50):
            lines = [json.loads(l) for l in list(self.s.log) if rid in l]
            if lines:
                break
            threading.Event().wait(0.05)
        entry = lines[0]
        self.assertEqual((entry["method"], entry["path"], entry["status"]), ("GET", "/health", 200))
        self.assertIn("durationMs", entry)
        self.assertIn("ts", entry)


class AccessTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Server({"RKD_API_KEYS": "alpha-key,beta-key", "RKD_CORS_ORIGINS": "https://dash.example"})

    @classmethod
    def tearDownClass(cls):
        cls.s.stop()

    def test_keys_required_on_api_not_health(self):
        status, body = self.s.call("GET", "/api/users")
        self.assertEqual((status, body["code"]), (401, "unauthenticated"))
        status, _ = self.s.call("GET", "/api/users", headers={"Authorization": "Bearer wrong"})
        self.assertEqual(status, 401)
        status, body = self.s.call("POST", "/api/users", {"email": "k@example.com", "name": "K"})
        self.assertEqual(status, 401)
        status, _ = self.s.call("GET", "/api/users", headers={"Authorization": "Bearer beta-key"})
        self.assertEqual(status, 200)
        status, _ = self.s.call("GET", "/health")
        self.assertEqual(status, 200)

    def test_cors_preflight_and_headers(self):
        resp, _ = self.s.raw("OPTIONS", "/api/users", headers={
            "Origin": "https://dash.example", "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type"})
        self.assertEqual(resp.status, 204)
        self.assertEqual(resp.getheader("Access-Control-Allow-Origin"), "https://dash.example")
        self.assertIn("Authorization", resp.getheader("Access-Control-Allow-Headers"))
        resp, _ = self.s.raw("OPTIONS", "/api/users", headers={
            "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
        self.assertEqual(resp.status, 403)
        self.assertIsNone(resp.getheader("Access-Control-Allow-Origin"))
        resp, _ = self.s.raw("GET", "/api/users", headers={"Origin": "https://dash.example",
                                                           "Authorization": "Bearer alpha-key"})
        self.assertEqual(resp.getheader("Access-Control-Allow-Origin"), "https://dash.example")


class StaticFilesTest(unittest.TestCase):
    def test_dashboard_files_caching_and_client_routes(self):
        import os
        web = tempfile.mkdtemp(prefix="rkd-web-")
        os.makedirs(os.path.join(web, "assets"))
        with open(os.path.join(web, "index.html"), "w") as f:
            f.write("<!doctype html><div id=root></div>")
        with open(os.path.join(web, "assets", "app-1a2b3c.js"), "w") as f:
            f.write("console.log(1)")
        s = Server({"RKD_WEB_DIR": web})
        try:
            resp, data = s.raw("GET", "/")
            self.assertEqual(resp.status, 200)
            self.assertIn(b"id=root", data)
            self.assertEqual(resp.getheader("Cache-Control"), "no-cache")
            self.assertTrue(resp.getheader("Content-Type").startswith("text/html"))
            resp, data = s.raw("GET", "/assets/app-1a2b3c.js")
            self.assertEqual(resp.status, 200)
            self.assertIn("immutable", resp.getheader("Cache-Control"))
            self.assertTrue(resp.getheader("Content-Type").startswith("text/javascript"))
            resp, data = s.raw("GET", "/clients/some-id")  # a client-side route
            self.assertEqual(resp.status, 200)
            self.assertIn(b"id=root", data)
            resp, _ = s.raw("GET", "/assets/missing.js")
            self.assertEqual(resp.status, 404)
            resp, _ = s.raw("GET", "/../../etc/passwd")  # a target with no normal form (test_attack has more)
            self.assertEqual(resp.status, 400)
            resp, _ = s.raw("GET", "/favicon-missing.ico")  # neither a file nor a dashboard route
            self.assertEqual(resp.status, 404)
            status, body = s.call("GET", "/api/unknown")  # the API never falls back to the app
            self.assertEqual((status, body["code"]), (404, "not_found"))
        finally:
            s.stop()


class EmbeddedDashboardTest(unittest.TestCase):
    def test_serve_from_any_folder_serves_the_dashboard_it_carries(self):
        # harness.Server starts the binary in a fresh temporary folder, with no RKD_WEB_DIR:
        # `make test` builds web/ before the binary, so the binary carries the dashboard.
        s = Server()
        try:
            resp, page = s.raw("GET", "/")
            self.assertEqual(resp.status, 200, page[:200])
            self.assertIn(b'<div id="root">', page)
            self.assertIn("default-src 'self'", resp.getheader("Content-Security-Policy"))
            resp, again = s.raw("GET", "/emails/some-id")
            self.assertEqual((resp.status, again), (200, page))
            scripts = re.findall(rb'src="(/assets/[^"]+\.js)"', page)
            self.assertTrue(scripts, page)
            resp, js = s.raw("GET", scripts[0].decode())
            self.assertEqual(resp.status, 200)
            self.assertTrue(resp.getheader("Content-Type").startswith("text/javascript"))
            self.assertIn("immutable", resp.getheader("Cache-Control"))
            self.assertGreater(len(js), 1000)
            for path in ("/.env", "/.git/config", "/metrics.json", "/index.htm"):
                resp, _ = s.raw("GET", path)
                self.assertEqual(resp.status, 404, path)
        finally:
            s.stop()


class CliTest(unittest.TestCase):
    def test_refuses_public_address_without_keys(self):
        code, out, err = run_cli("serve", env={"RKD_HTTP_ADDR": "0.0.0.0:0",
                                               "RKD_DATABASE_URL": "sqlite:/tmp/rkd-refuse-test.db"})
        self.assertNotEqual(code, 0)
        self.assertIn("RKD_API_KEYS", err)

    def test_version_and_help_everywhere(self):
        for args in (["--version"], ["serve", "--version"], ["seed", "--version"]):
            code, out, _ = run_cli(*args)
            self.assertEqual(code, 0)
            self.assertRegex(out, r"rekindle \d+\.\d+\.\d+")
        for args in (["--help"], ["seed", "--help"], ["serve", "--help"], ["config", "--help"], ["migrate", "--help"]):
            code, out, _ = run_cli(*args)
            self.assertEqual(code, 0)
            self.assertIn("Usage", out)

    def test_config_masks_secrets(self):
        code, out, _ = run_cli("config", env={"OPENAI_API_KEY": "sk-very-secret", "RKD_API_KEYS": "k1,k2",
                                              "RKD_SMTP_URL": "smtp://user:hunter2@mail.example:587",
                                              "RKD_SCORE_THRESHOLD": "70"})
        self.assertEqual(code, 0)
        self.assertNotIn("sk-very-secret", out)
        self.assertNotIn("hunter2", out)
        self.assertNotIn("k1", out)
        cfg = json.loads(out)
        self.assertEqual(cfg["RKD_SCORE_THRESHOLD"], 70)
        self.assertEqual(cfg["OPENAI_API_KEY"], "set")
        self.assertEqual(cfg["RKD_API_KEYS"], "set")
        self.assertEqual(cfg["RKD_SMTP_PASSWORD"], "unset")
        code, _, err = run_cli("config", env={"RKD_SCORE_THRESHOLD": "lots"})
        self.assertNotEqual(code, 0)
        self.assertIn("RKD_SCORE_THRESHOLD", err)

    def test_config_prints_the_generated_env_example_and_readme_table(self):
        # The files in the repository are what the binary generates (config_test.cc checks
        # the same through the library; this checks the command an operator runs).
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        code, out, err = run_cli("config", "--env-example")
        self.assertEqual(code, 0, err)
        with open(os.path.join(root, "deploy", "rekindle.env.example"), encoding="utf-8") as f:
            self.assertEqual(out, f.read())
        code, out, err = run_cli("config", "--markdown")
        self.assertEqual(code, 0, err)
        with open(os.path.join(root, "README.md"), encoding="utf-8") as f:
            readme = f.read()
        self.assertIn("<!-- config-table:begin -->\n" + out + "<!-- config-table:end -->", readme)

    def test_postgres_pool_and_statement_timeout_from_the_environment(self):
        code, out, err = run_cli("config")
        self.assertEqual(code, 0, err)
        cfg = json.loads(out)
        self.assertEqual((cfg["RKD_PG_POOL_SIZE"], cfg["RKD_PG_STATEMENT_TIMEOUT_MS"]), (8, 10000))
        code, out, err = run_cli("config", env={"RKD_PG_POOL_SIZE": "3", "RKD_PG_STATEMENT_TIMEOUT_MS": "2500"})
        self.assertEqual(code, 0, err)
        cfg = json.loads(out)
        self.assertEqual((cfg["RKD_PG_POOL_SIZE"], cfg["RKD_PG_STATEMENT_TIMEOUT_MS"]), (3, 2500))
        for name, value in (("RKD_PG_POOL_SIZE", "0"), ("RKD_PG_STATEMENT_TIMEOUT_MS", "ten")):
            code, _, err = run_cli("config", env={name: value})
            self.assertNotEqual(code, 0)
            self.assertIn(name, err)

    def test_seed_is_deterministic_and_has_a_share_at_risk(self):
        results = []
        for name in ("a", "b"):
            s = Server(seed_users=300)
            try:
                _, body = s.call("GET", "/api/users?limit=500&sort=name")
                results.append([(u["userId"], u["email"], u["engagementScore"]) for u in body["data"]])
                _, risky = s.call("GET", "/api/users?limit=500&atRisk=true")
                share = len(risky["data"]) / 300
                self.assertGreater(share, 0.15)
                self.assertLess(share, 0.6)
                _, orders = s.call("GET", f"/api/users/{body['data'][0]['userId']}/orders")
                self.assertIsInstance(orders["data"], list)
            finally:
                s.stop()
        self.assertEqual(len(results[0]), 300)
        self.assertEqual(results[0], results[1])

    def test_migrate(self):
        # A folder of its own: a shared fixed path keeps whatever schema the last binary left
        # there, and a newer one (another checkout) makes this binary refuse it.
        with tempfile.TemporaryDirectory(prefix="rkd-migrate-cli-") as folder:
            code, out, err = run_cli("migrate", env={"RKD_DATABASE_URL": f"sqlite:{folder}/x.db"})
        self.assertEqual(code, 0, err)
        self.assertIn("migrated", out)


if __name__ == "__main__":
    unittest.main()
