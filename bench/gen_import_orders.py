#!/usr/bin/env python3
"""A synthetic order history for the import benchmark (bench/import_bench.sh): N order
lines for M clients, as a shop's CSV export (the shop's order number, its customer id,
the address and name, the date and the amount), deterministic for a seed.

    gen_import_orders.py --orders 1000000 --clients 200000 > orders.csv
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
    a = p.parse_args()
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


if __name__ == "__main__":
    main()
