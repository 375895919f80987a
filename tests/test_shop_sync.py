"""Keeping in step with a shop (issue 17, part 3) through the real binary: `rekindle sync
shopify|woocommerce` and POST /api/integrations/sync/:source read a shop's REST API
(tests/fake_shop.py: Shopify's cursor pages and WooCommerce's numbered pages, their
authentication and their faults) for what changed since the stored cursor, and write it
as the webhooks would: idempotent, exact, resumable."""
import json
import time
import unittest

from fake_shop import FakeShop
from harness import Server, run_cli, wait_for

DAY = 86400


def sync_state(s, source):
    status, body = s.call("GET", "/api/integrations/sync")
    assert status == 200, body
    return next(p for p in body["data"] if p["source"] == source)


class ShopSyncTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.shop = FakeShop()
        cls.s = Server({"RKD_SHOPIFY_SHOP_URL": cls.shop.url, "RKD_SHOPIFY_ACCESS_TOKEN": FakeShop.TOKEN,
                        "RKD_WOOCOMMERCE_URL": cls.shop.url + "/", "RKD_WOOCOMMERCE_CONSUMER_KEY": FakeShop.KEY,
                        "RKD_WOOCOMMERCE_CONSUMER_SECRET": FakeShop.SECRET, "RKD_SHOP_SYNC_INTERVAL_MINUTES": "0",
                        "RKD_WORKERS": "0"}, command="api")

    @classmethod
    def tearDownClass(cls):
        cls.s.stop()
        cls.shop.stop()

    def sync(self, source, expect=0):
        code, out, err = run_cli("sync", source, env=self.s.env, timeout=120)
        self.assertEqual(code, expect, out + err)
        return out, err

    def client(self, external_id):
        status, body = self.s.call("GET", f"/api/users?externalId={external_id}")
        self.assertEqual(status, 200, body)
        return body["data"][0] if body["data"] else None

    def test_1_shopify_history_then_only_what_changed(self):
        now = time.time()
        expected = {}
        for c in range(300):
            self.shop.shopify_customer(7000 + c, f"shopper{c}@example.com", now - 400 * DAY)
        for o in range(600):
            customer = 7000 + o % 300
            total = f"{10 + o % 7}.{o % 100:02d}"
            self.shop.shopify_order(50000 + o, customer, f"shopper{customer - 7000}@example.com", total,
                                    created=now - (200 - o % 180) * DAY, updated=now - 100 * DAY + o)
            expected[customer] = expected.get(customer, 0) + round(float(total) * 100)
        out, _ = self.sync("shopify")
        self.assertIn("shopify: succeeded", out)
        # 2 pages of customers and 3 of orders (250 a page); each customer named once more by their orders.
        self.assertIn("5 pages, 900 fetched, 900 imported, 0 updated", out)
        for customer in (7000, 7151, 7299):
            client = self.client(str(customer))
            self.assertEqual((client["orderCount"], round(client["totalSpent"] * 100)), (2, expected[customer]))
            self.assertEqual(client["name"], f"Shop Client {customer}")
        state = sync_state(self.s, "shopify")
        self.assertEqual((state["status"], state["trigger"], state["configured"]), ("succeeded", "cli", True))
        self.assertEqual(state["progress"]["rejected"], 0)
        newest = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(int(now - 100 * DAY + 599)))
        self.assertEqual(state["cursors"]["orders"], newest)
        # Cursor pages: only limit and page_info follow the first page.
        pages = self.shop.requests_to("/orders.json")
        self.assertEqual(len(pages), 3)
        self.assertTrue(all(set(q) == {"limit", "page_info"} for _, q in pages[1:]), pages)

        # Again: nothing new but the newest record, read again at its own time (inclusive).
        del self.shop.requests[:]
        out, _ = self.sync("shopify")
        self.assertIn("0 imported, 0 updated", out)
        first = self.shop.requests_to("/orders.json")[0][1]
        self.assertEqual(first["updated_at_min"], sync_state(self.s, "shopify")["cursors"]["orders"])

        # The shop cancels one order and takes a new one: only they come, and are applied.
        cancelled = dict(self.shop.shopify_orders[50000], cancelled_at=self.iso(now - 1),
                         updated_at=self.iso(now - 1))
        self.shop.shopify_orders[50000] = cancelled
        self.shop.shopify_order(59999, 7000, "shopper0@example.com", "99.00", created=now - 2 * DAY, updated=now - 1)
        out, _ = self.sync("shopify")
        self.assertIn("1 imported, 1 updated", out)
        client = self.client("7000")
        self.assertEqual((client["orderCount"], round(client["totalSpent"] * 100)),
                         (2, expected[7000] - round(float(cancelled["total_price"]) * 100) + 9900))

    @staticmethod
    def iso(t):
        return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(t))

    def test_2_faults_retry_and_failures_keep_the_cursor(self):
        now = time.time()
        self.shop.shopify_order(60001, 8001, "fault@example.com", "20.00", created=now - 5 * DAY, updated=time.time())
        # A 429 waits its Retry-After; a 502 backs off; the run still succeeds.
        self.shop.fail_next = [429, 502]
        out, _ = self.sync("shopify")
        self.assertIn("succeeded", out)
        self.assertEqual(self.client("8001")["orderCount"], 1)
        cursor = sync_state(self.s, "shopify")["cursors"]["orders"]
        # A refused token fails the run with the platform's answer; the cursor stays.
        self.shop.fail_next = [401]
        _, err = self.sync("shopify", expect=1)
        self.assertIn("401", err)
        state = sync_state(self.s, "shopify")
        self.assertEqual(state["status"], "failed")
        self.assertIn("RKD_SHOPIFY_ACCESS_TOKEN", state["error"])
        self.assertEqual(state["cursors"]["orders"], cursor)
        self.assertNotIn(FakeShop.TOKEN, json.dumps(state))
        # A next page on another host is never asked for: the token stays home.
        other = FakeShop()
        try:
            for o in range(300):
                self.shop.shopify_order(61000 + o, 8002, "many@example.com", "1.00", created=now - DAY, updated=time.time())
            self.shop.next_link_host = other.url.removeprefix("http://")
            _, err = self.sync("shopify", expect=1)
            self.assertIn("not followed", err)
            self.assertEqual(other.requests, [])
            self.assertEqual(sync_state(self.s, "shopify")["field"], "link")
        finally:
            self.shop.next_link_host = None
            other.stop()
        # Run again: it resumes from the old cursor and finishes what the failure left.
        self.sync("shopify")
        self.assertEqual(self.client("8002")["orderCount"], 300)
        self.assertNotIn(FakeShop.TOKEN, "".join(self.s.log))

    def test_3_woocommerce_pages_and_basic_auth(self):
        now = time.time()
        for c in range(150):
            self.shop.woo_customer(300 + c, f"woo{c}@example.com", now - 300 * DAY)
        for o in range(250):
            self.shop.woo_order(9000 + o, 300 + o % 150, f"woo{o % 150}@example.com", "12.50",
                                created=now - (100 + o % 50) * DAY, modified=now - 50 * DAY + o)
        self.shop.woo_order(9999, 0, "guest@example.com", "5.00", created=now - 3 * DAY)  # a guest
        self.shop.woo_order(9998, 301, "woo1@example.com", "7.00", created=now - 2 * DAY, status="pending")
        out, _ = self.sync("woocommerce")
        self.assertIn("woocommerce: succeeded", out)
        self.assertEqual(self.client("300")["orderCount"], 2)
        self.assertEqual(self.client("301")["orderCount"], 2)  # the pending order is not one yet
        status, body = self.s.call("GET", "/api/users?search=guest%40example.com")
        self.assertEqual([u["orderCount"] for u in body["data"]], [1])
        orders = self.shop.requests_to("/wc/v3/orders")
        self.assertEqual([q["page"] for _, q in orders], ["1", "2", "3"])
        # Again: orders after the cursor only, customers not changed since are skipped.
        del self.shop.requests[:]
        out, _ = self.sync("woocommerce")
        self.assertIn("0 imported, 0 updated", out)
        self.assertIn("modified_after", self.shop.requests_to("/wc/v3/orders")[0][1])

    def test_4_the_dashboard_starts_one_at_a_time(self):
        self.shop.delay = 0.5
        try:
            status, body = self.s.call("POST", "/api/integrations/sync/shopify")
            self.assertEqual(status, 202, body)
            self.assertEqual((body["data"]["status"], body["data"]["trigger"]), ("running", "api"))
            status, body = self.s.call("POST", "/api/integrations/sync/shopify")
            self.assertEqual((status, body["code"]), (409, "conflict"))
            code, out, err = run_cli("sync", "shopify", env=self.s.env)
            self.assertEqual(code, 1)
            self.assertIn("already running", err)
        finally:
            self.shop.delay = 0
        state = wait_for(lambda: (st := sync_state(self.s, "shopify"))["status"] != "running" and st, timeout=60)
        self.assertEqual(state["status"], "succeeded", state)
        self.assertIsNone(state["nextRunAt"])  # no schedule
        status, body = self.s.call("POST", "/api/integrations/sync/magento")
        self.assertEqual(status, 404)


class ShopSyncScheduleTest(unittest.TestCase):
    def test_a_connected_shop_is_synced_on_start_and_then_on_schedule(self):
        shop = FakeShop()
        shop.shopify_order(70001, 9001, "sched@example.com", "33.00", created=time.time() - 9 * DAY)
        s = Server({"RKD_SHOPIFY_SHOP_URL": shop.url, "RKD_SHOPIFY_ACCESS_TOKEN": FakeShop.TOKEN,
                    "RKD_SHOP_SYNC_INTERVAL_MINUTES": "60", "RKD_WORKERS": "0"}, command="api")
        try:
            state = wait_for(lambda: (st := sync_state(s, "shopify"))["status"] == "succeeded" and st, timeout=30)
            self.assertEqual((state["trigger"], state["intervalMinutes"]), ("schedule", 60))
            self.assertEqual(sync_state(s, "woocommerce")["configured"], False)
            started = time.mktime(time.strptime(state["startedAt"][:19], "%Y-%m-%dT%H:%M:%S"))
            next_run = time.mktime(time.strptime(state["nextRunAt"][:19], "%Y-%m-%dT%H:%M:%S"))
            self.assertEqual(next_run - started, 3600)
            status, body = s.call("GET", "/api/users?externalId=9001")
            self.assertEqual(body["data"][0]["orderCount"], 1)
        finally:
            s.stop()
            shop.stop()

    def test_settings_refuse_a_shop_in_clear_or_without_its_key(self):
        for env, words in [({"RKD_SHOPIFY_SHOP_URL": "http://shop.example.com", "RKD_SHOPIFY_ACCESS_TOKEN": "t"},
                            "https://"),
                           ({"RKD_SHOPIFY_SHOP_URL": "https://user:pw@shop.example.com",
                             "RKD_SHOPIFY_ACCESS_TOKEN": "t"}, "https://"),
                           ({"RKD_SHOPIFY_SHOP_URL": "https://shop.example.com"}, "RKD_SHOPIFY_ACCESS_TOKEN"),
                           ({"RKD_WOOCOMMERCE_URL": "https://shop.example.com",
                             "RKD_WOOCOMMERCE_CONSUMER_KEY": "ck"}, "RKD_WOOCOMMERCE_CONSUMER_SECRET")]:
            code, out, err = run_cli("config", env=env)
            self.assertNotEqual(code, 0, (env, out))
            self.assertIn(words, out + err)
        code, out, err = run_cli("sync", "woocommerce", env={"RKD_DATABASE_URL": "sqlite::memory:"})
        self.assertEqual(code, 1)
        self.assertIn("RKD_WOOCOMMERCE_URL", err)


if __name__ == "__main__":
    unittest.main()
