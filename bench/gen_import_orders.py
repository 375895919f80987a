#!/usr/bin/env python3
"""A synthetic order history for the import benchmark (bench/import_bench.sh): N order
lines for M clients, as a shop's CSV export (the shop's order number, its customer id,
the address and name, the date and the amount), deterministic for a seed.

    gen_import_orders.py --orders 1000000 --clients 200000 > orders.csv
    gen_import_orders.py --shopify ... > orders_export.csv   # Shopify's export: a row per line item
"""
import argparse
import random
import sys
from datetime import date, timedelta


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--orders", type=int, default=1_000_000)
    p.add_argument("--clients", type=int, default=200_000)
    p.add_argument("--seed", type=int, default=10)
    p.add_argument("--shopify", action="store_true")
    a = p.parse_args()
    if a.shopify:
        return shopify(a)
    rng = random.Random(a.seed)
    start = date(2023, 1, 1)
    out = sys.stdout
    out.write("Order Number,Customer ID,Email,Customer Name,Order Date,Total\r\n")
    write = out.write
    for n in range(1, a.orders + 1):
        c = rng.randrange(a.clients) + 1
        day = start + timedelta(days=rng.randrange(1000))
        cents = rng.randrange(500, 30000)
        write(f"#{n},C{c:07d},client{c}@example.com,\"Client {c}, Jr\",{day.isoformat()},{cents // 100}.{cents % 100:02d}\r\n")


def shopify(a):
    """Shopify's orders export: one to three line-item rows per order, the order's own
    fields on its first row only, the Id behind Shopify's apostrophe."""
    rng = random.Random(a.seed)
    start = date(2023, 1, 1)
    write = sys.stdout.write
    write("Name,Email,Financial Status,Accepts Marketing,Currency,Total,Created at,Lineitem quantity,Lineitem name,"
          "Lineitem price,Lineitem sku,Billing Name,Billing Zip,Cancelled at,Refunded Amount,Id\r\n")
    for n in range(1, a.orders + 1):
        c = rng.randrange(a.clients) + 1
        day = start + timedelta(days=rng.randrange(1000))
        lines = [(rng.randrange(1, 4), rng.randrange(100, 10000), rng.randrange(500)) for _ in range(rng.randrange(1, 4))]
        cents = sum(q * p for q, p, _ in lines)
        email = f"client{c}@example.com"
        for i, (q, p, sku) in enumerate(lines):
            price = f"{p // 100}.{p % 100:02d}"
            if i == 0:
                write(f"#{n},{email},paid,no,USD,{cents // 100}.{cents % 100:02d},{day.isoformat()} 10:00:00 -0500,"
                      f"{q},\"Product {sku}, blue\",{price},SKU-{sku},\"Client {c}, Jr\",'0{c % 10000:04d},,,'{n}\r\n")
            else:
                write(f"#{n},{email},,,,,,{q},Product {sku},{price},SKU-{sku},,,,,\r\n")


if __name__ == "__main__":
    main()
