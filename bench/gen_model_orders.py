#!/usr/bin/env python3
"""A synthetic order history for the model benchmark (bench/model_bench.sh): clients drawn
from BG/NBD's process with CDNOW's published parameters (alpha in days), first orders
spread over 2023 and orders up to 2024-06-30, each order's value a Gamma-Gamma draw with
CDNOW's spend parameters, as a shop's CSV export (order number, customer id, date,
amount), deterministic for a seed. Stops once --orders lines are written.

    gen_model_orders.py --orders 1000000 > orders.csv
"""
import argparse
import random
import sys
from datetime import date, timedelta

R, ALPHA, A, B = 0.2426, 4.4136 * 7, 0.7929, 2.4259
P, Q, GAMMA = 6.249, 3.745, 15.448
START, END = date(2023, 1, 1), date(2024, 6, 30)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--orders", type=int, default=1_000_000)
    p.add_argument("--seed", type=int, default=11)
    a = p.parse_args()
    rng = random.Random(a.seed)
    out = sys.stdout
    out.write("Order Number,Customer ID,Order Date,Total\r\n")
    span = (END - START).days
    n = c = 0
    while n < a.orders:
        c += 1
        first = rng.randrange(365)
        lam = rng.gammavariate(R, 1 / ALPHA)
        pdrop = rng.betavariate(A, B)
        nu = rng.gammavariate(Q, 1 / GAMMA)
        t = float(first)
        while n < a.orders and t <= span:
            n += 1
            cents = max(1, round(rng.gammavariate(P, 1 / nu) * 100))
            out.write(f"#{n},C{c:07d},{(START + timedelta(days=int(t))).isoformat()},{cents // 100}.{cents % 100:02d}\r\n")
            if t > first and rng.random() < pdrop:
                break
            t += rng.expovariate(lam) if lam > 0 else span + 1


if __name__ == "__main__":
    main()
