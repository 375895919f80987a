"""Shop webhooks (issue 17) through the real binary: Shopify's and WooCommerce's deliveries
as the platforms send them (the raw body signed with HMAC-SHA256, base64, in their headers;
their topic and delivery-id headers; their JSON shapes), verified, recorded once, answered
at once and applied: clients and orders upserted by the shop's ids, refunds and
cancellations kept exact down to the conversions, consent withdrawals suppressed, redact
requests deleting the client."""
import base64
import hashlib
import hmac
import json
import time
import unittest
import uuid

from harness import Server, wait_for
from test_http_api import iso_days_ago
from test_pipeline import sent_emails

SHOPIFY_SECRETS = ["shpss-old-secret", "shpss-new-secret"]
WOO_SECRET = "woo-secret-1"


def sign(secret, body):
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def shopify(s, topic, payload, event_id=None, secret=SHOPIFY_SECRETS[1], signature=None):
    """Delivers `payload` as Shopify does; returns (status, JSON body, seconds taken)."""
    body = json.dumps(payload).encode()
    headers = {"Content-Type": "application/json", "X-Shopify-Topic": topic,
               "X-Shopify-Hmac-Sha256": signature if signature is not None else sign(secret, body),
               "X-Shopify-Shop-Domain": "rekindle-test.myshopify.com", "X-Shopify-API-Version": "2025-10",
               "X-Shopify-Webhook-Id": str(uuid.uuid4()), "X-Shopify-Event-Id": event_id or str(uuid.uuid4()),
               "X-Shopify-Triggered-At": "2026-11-30T10:00:00Z"}
    t = time.perf_counter()
    resp, data = s.raw("POST", "/hooks/shopify", body, headers)
    return resp.status, json.loads(data), time.perf_counter() - t


def woocommerce(s, topic, payload, delivery_id=None, secret=WOO_SECRET):
    body = json.dumps(payload).encode()
    resource, event = topic.split(".")
    headers = {"Content-Type": "application/json", "X-WC-Webhook-Topic": topic, "X-WC-Webhook-Resource": resource,
               "X-WC-Webhook-Event": event, "X-WC-Webhook-Signature": sign(secret, body),
               "X-WC-Webhook-ID": "7", "X-WC-Webhook-Delivery-ID": delivery_id or uuid.uuid4().hex,
               "X-WC-Webhook-Source": "https://shop.example/"}
    resp, data = s.raw("POST", "/hooks/woocommerce", body, headers)
    return resp.status, json.loads(data)


def shopify_order(order_id, customer_id, email, total, days_ago=1, **extra):
    order = {"id": order_id, "name": f"#{order_id}", "email": email, "created_at": iso_days_ago(days_ago),
             "processed_at": iso_days_ago(days_ago), "total_price": total, "current_total_price": total,
             "financial_status": "paid", "cancelled_at": None, "currency": "EUR",
             "customer": {"id": customer_id, "email": email, "first_name": "Nora", "last_name": "Shopper"},
             "line_items": [{"id": order_id * 10, "product_id": 632910392, "title": "Wool Scarf", "price": total,
                             "quantity": 1}]}
    order.update(extra)
    return order


class ShopHooksTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Server({"RKD_SHOPIFY_WEBHOOK_SECRETS": ",".join(SHOPIFY_SECRETS),
                        "RKD_WOOCOMMERCE_WEBHOOK_SECRETS": WOO_SECRET})

    @classmethod
    def tearDownClass(cls):
        cls.s.stop()

    def client(self, external_id):
        status, body = self.s.call("GET", f"/api/users?externalId={external_id}")
        self.assertEqual(status, 200, body)
        return body["data"][0] if body["data"] else None

    def settled(self):
        """Every delivery recorded so far is applied, ignored or failed."""
        return wait_for(lambda: all(d["status"] != "pending" for d in
                                    self.s.call("GET", "/api/integrations/deliveries?limit=500")[1]["data"]))

    def delivery(self, topic):
        self.settled()
        return next(d for d in self.s.call("GET", "/api/integrations/deliveries?limit=500")[1]["data"]
                    if d["topic"] == topic)

    def test_orders_and_clients_come_in_once_each(self):
        status, body, seconds = shopify(self.s, "customers/create",
                                        {"id": 5001, "email": "nora@example.com", "first_name": "Nora",
                                         "last_name": "Shopper", "created_at": iso_days_ago(400),
                                         "email_marketing_consent": {"state": "subscribed"}})
        self.assertEqual((status, body["data"]["received"], body["data"]["duplicate"]), (200, True, False))
        self.assertLess(seconds, 1.0)
        event = str(uuid.uuid4())
        order = shopify_order(9001, 5001, "nora@example.com", "42.50", days_ago=3)
        self.assertEqual(shopify(self.s, "orders/create", order, event_id=event)[0], 200)
        nora = wait_for(lambda: (c := self.client("5001")) and c["orderCount"] == 1 and c)
        self.assertEqual((nora["name"], nora["email"], nora["totalSpent"]), ("Nora Shopper", "nora@example.com", 42.5))
        # Shopify delivers again (the same event), and sends orders/paid for the same order.
        status, body, _ = shopify(self.s, "orders/create", order, event_id=event)
        self.assertEqual((status, body["data"]["duplicate"]), (200, True))
        shopify(self.s, "orders/paid", order)
        self.settled()
        nora = self.client("5001")
        self.assertEqual((nora["orderCount"], nora["totalSpent"]), (1, 42.5))
        orders = self.s.call("GET", f"/api/users/{nora['userId']}/orders")[1]["data"]
        self.assertEqual([(o["externalId"], o["totalValue"], o["items"][0]["name"]) for o in orders],
                         [("9001", 42.5, "Wool Scarf")])

    def test_an_order_updated_before_it_was_created_and_a_guest(self):
        shopify(self.s, "orders/updated", shopify_order(9101, 5101, "early@example.com", "10.00"))
        early = wait_for(lambda: (c := self.client("5101")) and c["orderCount"] and c)
        self.assertEqual(early["orderCount"], 1)
        guest = shopify_order(9102, None, "guest@example.com", "15.00")
        del guest["customer"]
        shopify(self.s, "orders/create", guest)
        self.settled()
        status, body = self.s.call("GET", "/api/users?search=guest%40example.com")
        self.assertEqual([(u["email"], u["orderCount"]) for u in body["data"]], [("guest@example.com", 1)])

    def test_refunds_and_cancellations_undo_what_they_counted(self):
        # A client whose last order was 140 days ago: the sweep finds them at risk and emails.
        shopify(self.s, "orders/create", shopify_order(9200, 5201, "lapsed@example.com", "30.00", days_ago=140))
        user = wait_for(lambda: (c := self.client("5201")) and c["orderCount"] and c)
        self.assertEqual(self.s.call("POST", "/api/sweep")[0], 200)
        email = wait_for(lambda: sent_emails(self.s, user["userId"]), timeout=20)
        self.assertTrue(email, "the lapsed client was not emailed")
        order = shopify_order(9201, 5201, "lapsed@example.com", "80.00", days_ago=0)
        order["processed_at"] = order["created_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 1))
        time.sleep(1.1)  # the order comes after the email, to the second
        shopify(self.s, "orders/create", order)
        converted = wait_for(lambda: [e for e in sent_emails(self.s, user["userId"]) if e["convertedAt"]])
        self.assertEqual(converted[0]["conversionRevenue"], 80)
        # Shopify's orders/updated after a refund of 30.00 carries what was kept.
        shopify(self.s, "orders/updated", dict(order, current_total_price="50.00", financial_status="partially_refunded"))
        wait_for(lambda: self.client("5201")["totalSpent"] == 80)
        self.assertEqual(self.client("5201")["totalSpent"], 80)  # 30 before + 50 kept
        self.assertEqual(sent_emails(self.s, user["userId"])[0]["conversionRevenue"], 50)
        shopify(self.s, "orders/cancelled", dict(order, cancelled_at=order["created_at"], current_total_price="50.00"))
        wait_for(lambda: self.client("5201")["orderCount"] == 1)
        lara = self.client("5201")
        self.assertEqual((lara["orderCount"], lara["totalSpent"]), (1, 30))
        self.assertIsNone(sent_emails(self.s, user["userId"])[0]["convertedAt"])

    def test_consent_withdrawal_suppresses_and_redact_deletes(self):
        shopify(self.s, "customers/create", {"id": 5301, "email": "quiet@example.com", "first_name": "Quinn"})
        wait_for(lambda: self.client("5301"))
        shopify(self.s, "customers_email_marketing_consent/update",
                {"customer_id": 5301, "email_address": "quiet@example.com",
                 "email_marketing_consent": {"state": "unsubscribed", "opt_in_level": "single_opt_in",
                                             "consent_updated_at": iso_days_ago(0)}})
        self.settled()
        status, body = self.s.call("GET", "/api/suppressions/quiet%40example.com")
        self.assertEqual((status, body["data"]["reason"]), (200, "unsubscribed"))

        shopify(self.s, "customers/create", {"id": 5302, "email": "gone@example.com", "first_name": "Gia"})
        gia = wait_for(lambda: self.client("5302"))
        shopify(self.s, "orders/create", shopify_order(9302, 5302, "gone@example.com", "12.00"))
        wait_for(lambda: self.client("5302")["orderCount"] == 1)
        shopify(self.s, "customers/redact", {"shop_id": 1, "shop_domain": "rekindle-test.myshopify.com",
                                             "customer": {"id": 5302, "email": "gone@example.com", "phone": None},
                                             "orders_to_redact": [9302]})
        self.assertEqual(self.delivery("customers/redact")["status"], "applied")
        self.assertEqual(self.s.call("GET", f"/api/users/{gia['userId']}")[0], 404)
        self.assertIsNone(self.client("5302"))
        shopify(self.s, "customers/data_request", {"shop_id": 1, "customer": {"id": 5301}, "data_request": {"id": 9}})
        d = self.delivery("customers/data_request")
        self.assertEqual(d["status"], "ignored")
        self.assertIn("data request", d["error"])

    def test_signatures_rotation_and_bad_bodies(self):
        before = self.s.call("GET", "/api/integrations/deliveries?limit=500")[1]["data"]
        payload = {"id": 5401, "email": "sig@example.com", "first_name": "Sig"}
        for signature in ["", "bm90IGEgc2lnbmF0dXJl", sign("wrong-secret", json.dumps(payload).encode()),
                          sign(SHOPIFY_SECRETS[1], b"another body")]:
            status, body, _ = shopify(self.s, "customers/create", payload, signature=signature)
            self.assertEqual((status, body["code"]), (401, "unauthenticated"), signature)
        self.assertEqual(self.s.call("GET", "/api/integrations/deliveries?limit=500")[1]["data"], before)
        # Both secrets sign during a rotation.
        self.assertEqual(shopify(self.s, "customers/create", payload, secret=SHOPIFY_SECRETS[0])[0], 200)
        # Signed, but not what the topic needs: recorded, and failed with the reason.
        shopify(self.s, "orders/create", {"id": 9401, "total_price": "-3.00", "email": "x@example.com",
                                          "created_at": iso_days_ago(1)})
        self.settled()
        failed = [d for d in self.s.call("GET", "/api/integrations/deliveries?limit=500")[1]["data"]
                  if d["status"] == "failed"]
        self.assertTrue(any("total_price" in d["error"] for d in failed), failed)

    def test_woocommerce_ping_orders_refunds_and_deletions(self):
        resp, data = self.s.raw("POST", "/hooks/woocommerce", b"webhook_id=7",
                                {"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual((resp.status, json.loads(data)["data"]), (200, {"ping": True}))
        order = {"id": 727, "number": "727", "status": "processing", "customer_id": 26,
                 "date_created_gmt": iso_days_ago(2)[:19], "total": "29.35",
                 "billing": {"first_name": "John", "last_name": "Doe", "email": "john.doe@example.com"},
                 "line_items": [{"id": 315, "name": "Woo Single", "product_id": 93, "quantity": 1, "price": 29.35}],
                 "refunds": []}
        status, body = woocommerce(self.s, "order.created", order)
        self.assertEqual(status, 200, body)
        john = wait_for(lambda: (c := self.client("26")) and c["orderCount"] and c)
        self.assertEqual((john["name"], john["orderCount"], john["totalSpent"]), ("John Doe", 1, 29.35))
        woocommerce(self.s, "order.updated", dict(order, refunds=[{"id": 728, "total": "-9.35"}]))
        wait_for(lambda: self.client("26")["totalSpent"] == 20)
        self.assertEqual(self.client("26")["totalSpent"], 20)
        woocommerce(self.s, "order.deleted", {"id": 727})
        wait_for(lambda: self.client("26")["orderCount"] == 0)
        self.assertEqual(self.client("26")["orderCount"], 0)
        status, body = woocommerce(self.s, "customer.deleted", {"id": 26}, secret="not-the-secret")
        self.assertEqual(status, 401)
        woocommerce(self.s, "customer.deleted", {"id": 26})
        wait_for(lambda: self.client("26") is None)
        self.assertIsNone(self.client("26"))


class CdpEventsTest(unittest.TestCase):
    """A CDP's webhook destination (Segment spec) sending identify and track calls, with
    the API key it is configured with."""
    KEY = "cdp-key-0123456789abcdef"

    @classmethod
    def setUpClass(cls):
        cls.s = Server({"RKD_API_KEYS": "segment:" + cls.KEY})

    @classmethod
    def tearDownClass(cls):
        cls.s.stop()

    def send(self, route, event, key=None):
        return self.s.call("POST", route, event, headers={"Authorization": "Bearer " + (key or self.KEY)})

    def client(self, external_id):
        body = self.send_get(f"/api/users?externalId={external_id}")
        return body["data"][0] if body["data"] else None

    def send_get(self, path):
        status, body = self.s.call("GET", path, headers={"Authorization": "Bearer " + self.KEY})
        self.assertEqual(status, 200, body)
        return body

    def test_identify_then_order_completed_then_cancelled(self):
        status, body = self.send("/api/identify", {
            "type": "identify", "messageId": "msg-1", "userId": "seg-user-1",
            "traits": {"email": "peter@example.com", "firstName": "Peter", "lastName": "Gibbons"}})
        self.assertEqual((status, body["data"]), (200, {"received": True, "duplicate": False}))
        peter = wait_for(lambda: self.client("seg-user-1"))
        self.assertEqual((peter["name"], peter["email"]), ("Peter Gibbons", "peter@example.com"))
        order = {"type": "track", "event": "Order Completed", "messageId": "msg-2", "userId": "seg-user-1",
                 "timestamp": iso_days_ago(1), "context": {"traits": {"email": "peter@example.com"}},
                 "properties": {"order_id": "seg-order-1", "total": 27.5, "revenue": 25,
                                "products": [{"product_id": "p1", "name": "Monopoly", "price": 19, "quantity": 1}]}}
        self.assertEqual(self.send("/api/track", order)[0], 200)
        self.assertEqual(self.send("/api/track", order)[1]["data"]["duplicate"], True)  # a retry: once
        peter = wait_for(lambda: (c := self.client("seg-user-1")) and c["orderCount"] and c)
        self.assertEqual((peter["orderCount"], peter["totalSpent"]), (1, 27.5))
        self.send("/api/track", {"type": "track", "event": "Order Cancelled", "messageId": "msg-3",
                                 "userId": "seg-user-1", "properties": {"order_id": "seg-order-1"}})
        wait_for(lambda: self.client("seg-user-1")["orderCount"] == 0)
        self.assertEqual(self.client("seg-user-1")["orderCount"], 0)
        self.send("/api/track", {"type": "track", "event": "Product Viewed", "messageId": "msg-4",
                                 "userId": "seg-user-1", "properties": {"product_id": "p1"}})
        deliveries = wait_for(lambda: [d for d in self.send_get("/api/integrations/deliveries?source=cdp")["data"]
                                       if d["deliveryId"] == "msg-4" and d["status"] == "ignored"])
        self.assertIn("Product Viewed", deliveries[0]["error"])

    def test_bad_events_are_refused_and_write_nothing(self):
        before = self.send_get("/api/integrations/deliveries?source=cdp")["data"]
        for route, event, field in [
                ("/api/track", {"type": "identify", "messageId": "x1", "userId": "u"}, "type"),
                ("/api/track", {"type": "track", "event": "Order Completed", "userId": "u"}, "messageId"),
                ("/api/track", {"type": "track", "messageId": "x2", "userId": "u"}, "event"),
                ("/api/identify", {"type": "identify", "messageId": "x" * 200, "userId": "u"}, "messageId"),
                ("/api/identify", {"messageId": "bad id", "userId": "u"}, "messageId")]:
            with self.subTest(event=event):
                status, body = self.send(route, event)
                self.assertEqual((status, body["field"]), (400, field), body)
        status, _ = self.send("/api/track", {"type": "track", "event": "Order Completed", "messageId": "x3"},
                              key="not-the-key")
        self.assertEqual(status, 401)
        self.assertEqual(self.send_get("/api/integrations/deliveries?source=cdp")["data"], before)


if __name__ == "__main__":
    unittest.main()
