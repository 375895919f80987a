#!/usr/bin/env python3
"""Issue 17's reconciliation: `rekindle sync shopify` and `rekindle sync woocommerce` against
tests/fake_shop.py (loopback, the platforms' wire formats) holding BENCH_CUSTOMERS customers
(default 20,000) and BENCH_ORDERS orders (default 100,000), into an empty SQLite store:

1. first sync: the whole history (customers, then orders), wall time, records/s and the
   pages read;
2. again with nothing changed: only the newest record is read again;
3. after BENCH_CHANGED (default 1,000) orders changed at the shop: the incremental run.

The fake shop (Python, one process) serves the pages; its own cost is measured alone
(every page read with urllib, nothing written) and reported beside.

Usage: bench/shop_sync_bench.py   (after a build; env BUILD, BENCH_CUSTOMERS, BENCH_ORDERS, BENCH_CHANGED)."""
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
BIN = os.path.join(ROOT, os.environ.get("BUILD", "build"), "rekindle")
from fake_shop import FakeShop  # noqa: E402

CUSTOMERS = int(os.environ.get("BENCH_CUSTOMERS", "20000"))
ORDERS = int(os.environ.get("BENCH_ORDERS", "100000"))
CHANGED = int(os.environ.get("BENCH_CHANGED", "1000"))
DAY = 86400


def fill(shop, platform, now):
    for c in range(CUSTOMERS):
        if platform == "shopify":
            shop.shopify_customer(10_000 + c, f"c{c}@example.com", now - 800 * DAY, updated=now - 3 * DAY + c)
        else:
            shop.woo_customer(10_000 + c, f"c{c}@example.com", now - 800 * DAY, modified=now - 3 * DAY + c)
    for o in range(ORDERS):
        c = o % CUSTOMERS
        created = now - (700 - (o * 7) % 690) * DAY
        if platform == "shopify":
            shop.shopify_order(1_000_000 + o, 10_000 + c, f"c{c}@example.com", f"{10 + o % 90}.{o % 100:02d}",
                               created=created, updated=now - 2 * DAY + o)
        else:
            shop.woo_order(1_000_000 + o, 10_000 + c, f"c{c}@example.com", f"{10 + o % 90}.{o % 100:02d}",
                           created=created, modified=now - 2 * DAY + o)


def sync(env, platform):
    t = time.perf_counter()
    p = subprocess.run([BIN, "sync", platform], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - t
    if p.returncode != 0:
        sys.exit(p.stdout + p.stderr)
    return seconds, p.stdout.strip()


def serve_alone(shop, platform):
    """Every page read and parsed by a plain client, nothing written: the fake's own pace."""
    import json
    t = time.perf_counter()
    records = 0
    for resource in ("customers", "orders"):
        if platform == "shopify":
            url = f"{shop.url}/admin/api/2024-10/{resource}.json?limit=250&order=updated_at%20asc"
            headers = {"X-Shopify-Access-Token": FakeShop.TOKEN}
        else:
            import base64
            url = f"{shop.url}/wp-json/wc/v3/{resource}?per_page=100&page=1"
            headers = {"Authorization": "Basic " + base64.b64encode(f"{FakeShop.KEY}:{FakeShop.SECRET}".encode()).decode()}
        while url:
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as r:
                body = json.loads(r.read())
                records += len(body[resource] if platform == "shopify" else body)
                link = r.headers.get("Link") or ""
                m = re.search(r'<([^>]*)>;\s*rel="next"', link)
                url = m.group(1) if m else None
    return time.perf_counter() - t, records


def main():
    for platform in ("shopify", "woocommerce"):
        shop = FakeShop()
        now = time.time() - 60
        fill(shop, platform, now)
        alone, records = serve_alone(shop, platform)
        with tempfile.TemporaryDirectory(prefix="rkd-sync-bench-") as d:
            env = dict(os.environ, RKD_DATABASE_URL=f"sqlite:{d}/rekindle.db", RKD_LOG_LEVEL="warn",
                       RKD_SHOPIFY_SHOP_URL=shop.url, RKD_SHOPIFY_ACCESS_TOKEN=FakeShop.TOKEN,
                       RKD_WOOCOMMERCE_URL=shop.url, RKD_WOOCOMMERCE_CONSUMER_KEY=FakeShop.KEY,
                       RKD_WOOCOMMERCE_CONSUMER_SECRET=FakeShop.SECRET)
            subprocess.run([BIN, "migrate"], env=env, capture_output=True, check=True)
            first, out1 = sync(env, platform)
            again, out2 = sync(env, platform)
            for o in range(CHANGED):
                oid = 1_000_000 + o * (ORDERS // CHANGED)
                if platform == "shopify":
                    order = shop.shopify_orders[oid]
                    order["current_total_price"] = "1.00"
                    order["updated_at"] = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(time.time() + 1))
                else:
                    order = shop.woo_orders[oid]
                    order["total"] = "1.00"
                    shop.listings.clear()
                    order["date_modified_gmt"] = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(time.time() + 1))
            time.sleep(2)
            changed, out3 = sync(env, platform)
        shop.stop()
        print(f"{platform}: {CUSTOMERS:,} customers + {ORDERS:,} orders")
        print(f"  the fake shop alone (read every page, nothing written): {alone:.1f} s, {records / alone:,.0f} records/s")
        print(f"  first sync:   {first:.1f} s, {records / first:,.0f} records/s   [{out1}]")
        print(f"  nothing new:  {again:.2f} s   [{out2}]")
        print(f"  {CHANGED:,} changed: {changed:.2f} s   [{out3}]")


if __name__ == "__main__":
    main()
