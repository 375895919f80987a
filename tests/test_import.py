"""Issue 10 against the real binary: `rekindle import|export` as a subprocess on the store
of a running `rekindle serve` (the same environment), and /api/imports, /api/exports over
TCP. Files are written by the tests into temporary folders; every case counts the store
before and after, so "nothing written" is measured, not assumed.
"""
import csv
import datetime
import io
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import unittest
import urllib.parse

from harness import BIN, Server, run_cli, store_query, wait_for

HERE = os.path.dirname(os.path.abspath(__file__))
CDNOW_EXCERPT = os.path.join(HERE, "data", "cdnow_sample_excerpt.txt")
NOTHING_WRITTEN = "nothing from the file was written"


def iso(day, time_of_day="00:00:00"):
    """'2021-05-10' -> the API's form of that moment, '2021-05-10T00:00:00.000Z'."""
    return f"{day}T{time_of_day}.000Z"


def cents(amount_text):
    """'12.345' -> 1235: the import's own rule (a third decimal rounds half away from zero)."""
    whole, _, frac = amount_text.partition(".")
    frac = (frac + "000")[:3]
    c = int(whole or "0") * 100 + int(frac[:2])
    return c + (1 if int(frac[2]) >= 5 else 0)


def average_cents(total, count):
    q, r = divmod(total, count)
    return q + (1 if 2 * r >= count else 0)


def summary_figures(summary):
    """'imported 1,234, updated 0, unchanged 5, rejected 0; …' -> {"imported": 1234, …}."""
    return {name: int(n.replace(",", ""))
            for name, n in re.findall(r"(imported|updated|unchanged|rejected) ([\d,]*\d)", summary.split(";")[0])}


def parse_csv(text):
    return list(csv.DictReader(io.StringIO(text, newline="")))


class ImportCase(unittest.TestCase):
    """A server of the class's own (workers on, sending configured: the harness's default)
    and a scratch folder for the files the tests write."""
    server_env = {}

    @classmethod
    def setUpClass(cls):
        cls.s = Server(cls.server_env)
        cls.dir = tempfile.mkdtemp(prefix="rkd-import-")

    @classmethod
    def tearDownClass(cls):
        cls.s.stop()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def file(self, name, content):
        path = os.path.join(self.dir, name)
        with open(path, "wb") as f:
            f.write(content if isinstance(content, bytes) else content.encode())
        return path

    def cli(self, *args, server=None, timeout=120):
        return run_cli(*args, env=(server or self.s).env, timeout=timeout)

    def imported(self, *args, server=None):
        """`rekindle import ARGS` that must succeed; its summary line."""
        code, out, err = self.cli("import", *args, server=server)
        self.assertEqual(code, 0, err[-2000:])
        return out

    def counts(self, server=None):
        env = (server or self.s).env
        return tuple(int(store_query(env, f"SELECT COUNT(*) FROM {t}")[0]) for t in ("users", "orders"))

    def client(self, external_id, server=None):
        status, body = (server or self.s).call("GET", "/api/users?externalId=" + urllib.parse.quote(external_id))
        self.assertEqual(status, 200, body)
        self.assertEqual(len(body["data"]), 1, body)
        return body["data"][0]

    def orders_of(self, user_id, server=None):
        status, body = (server or self.s).call("GET", f"/api/users/{user_id}/orders?limit=100")
        self.assertEqual(status, 200, body)
        return body["data"]


class CliImportTest(ImportCase):
    def test_csv_clients_bom_crlf_quotes_map_and_reimport(self):
        before = self.counts()
        path = self.file("clients.csv", (
            "\ufeffExternal ID,E-mail,Full Name,time_zone,Preferred Categories\r\n"
            'csv-1,Ada@Example.com,"Lovelace, Ada",Europe/London,books|music\r\n'
            'csv-2,grace@example.com,"Grace ""Amazing""\r\nHopper",,\r\n'
            "\r\n"
            "csv-3,alan@example.com,Alan Turing,America/New_York,\r\n").encode("utf-8"))
        out = self.imported("clients", path, "--map", "name=Full Name")
        self.assertTrue(out.startswith("imported 3, updated 0, unchanged 0, rejected 0"), out)
        self.assertEqual(self.counts(), (before[0] + 3, before[1]))
        ada = self.client("csv-1")
        self.assertEqual((ada["externalId"], ada["email"], ada["name"], ada["timeZone"], ada["preferredCategories"]),
                         ("csv-1", "Ada@Example.com", "Lovelace, Ada", "Europe/London", ["books", "music"]))
        self.assertEqual((ada["orderCount"], ada["totalSpent"], ada["firstOrderDate"], ada["lastOrderDate"]),
                         (0, 0, None, None))
        # A quoted line break is kept as written (CRLF inside quotes is data, not a line end).
        self.assertEqual(self.client("csv-2")["name"], 'Grace "Amazing"\r\nHopper')
        self.assertEqual(self.client("csv-3")["timeZone"], "America/New_York")
        # The same file again changes nothing; matched by externalId, and by address
        # (case-insensitively) for a row that names no id.
        out = self.imported("clients", path, "--map", "name=Full Name")
        self.assertTrue(out.startswith("imported 0, updated 0, unchanged 3, rejected 0"), out)
        by_address = self.file("by-address.csv", "email,name\nADA@example.com,Ada King\n")
        out = self.imported("clients", by_address)
        self.assertTrue(out.startswith("imported 0, updated 1, unchanged 0"), out)
        self.assertEqual(self.client("csv-1")["name"], "Ada King")
        self.assertEqual(self.counts(), (before[0] + 3, before[1]))
        # A column matched by name only: without --map, "Full Name" is unknown.
        code, _, err = self.cli("import", "clients", path)
        self.assertEqual(code, 2)
        self.assertIn("Full Name", err)

    def test_jsonl_orders_with_items(self):
        lines = [
            {"externalId": "jl-o1", "clientExternalId": "jl-c1", "email": "jl1@example.com", "name": "Jo Lines",
             "orderDate": "2021-03-04T10:20:30Z", "totalValue": 59.5, "status": "DELIVERED",
             "items": [{"productId": "p1", "name": "Kettle", "category": "kitchen", "price": 29.75, "quantity": 2}]},
            {"externalId": "jl-o2", "clientExternalId": "jl-c1", "orderDate": "2021-01-02", "totalValue": "10.25"},
            {"externalId": "jl-o3", "email": "jl2@example.com", "orderDate": "2020-12-31", "totalValue": 5,
             "items": [{"productId": "p2", "name": "Mug", "category": "kitchen", "price": 5, "quantity": 1}]},
        ]
        path = self.file("orders.jsonl", "\n".join(json.dumps(l) for l in lines) + "\n\n")
        before = self.counts()
        out = self.imported("orders", path)
        self.assertTrue(out.startswith("imported 3, updated 0, unchanged 0, rejected 0; 2 new clients"), out)
        self.assertEqual(self.counts(), (before[0] + 2, before[1] + 3))
        jo = self.client("jl-c1")
        self.assertEqual((jo["email"], jo["name"], jo["orderCount"], jo["totalSpent"], jo["averageOrderValue"]),
                         ("jl1@example.com", "Jo Lines", 2, 69.75, 34.88))
        self.assertEqual((jo["firstOrderDate"], jo["lastOrderDate"]),
                         (iso("2021-01-02"), "2021-03-04T10:20:30.000Z"))
        orders = {o["externalId"]: o for o in self.orders_of(jo["userId"])}
        self.assertEqual(set(orders), {"jl-o1", "jl-o2"})
        self.assertEqual(orders["jl-o1"]["status"], "DELIVERED")
        self.assertEqual([(i["productId"], i["name"], i["category"], i["price"], i["quantity"])
                          for i in orders["jl-o1"]["items"]], [("p1", "Kettle", "kitchen", 29.75, 2)])
        self.assertEqual(orders["jl-o1"]["totalValue"], 59.5)
        status, body = self.s.call("GET", "/api/users?search=jl2%40example.com")
        self.assertEqual([u["email"] for u in body["data"]], ["jl2@example.com"])
        self.assertIsNone(body["data"][0]["externalId"])
        out = self.imported("orders", path)
        self.assertTrue(out.startswith("imported 0, updated 0, unchanged 3, rejected 0"), out)
        self.assertEqual(self.counts(), (before[0] + 2, before[1] + 3))

    def test_cdnow_excerpt(self):
        expected = {}
        with open(CDNOW_EXCERPT, newline="") as f:
            for line in f:
                master, _sample, day, _items, amount = line.split()
                e = expected.setdefault(master, {"count": 0, "cents": 0, "days": []})
                e["count"] += 1
                e["cents"] += cents(amount)
                e["days"].append(f"{day[:4]}-{day[4:6]}-{day[6:]}")
        self.assertGreater(len(expected), 2)
        before = self.counts()
        out = self.imported("orders", CDNOW_EXCERPT, "--format", "cdnow")
        self.assertTrue(out.startswith(f"imported 20, updated 0, unchanged 0, rejected 0; {len(expected)} new clients"),
                        out)
        self.assertEqual(self.counts(), (before[0] + len(expected), before[1] + 20))
        for master, e in expected.items():
            with self.subTest(client=master):
                c = self.client(master)
                self.assertEqual(c["externalId"], master)  # leading zeros kept: an id, not a number
                self.assertTrue(c["email"].endswith("@no-address.invalid"), c["email"])
                self.assertEqual((c["orderCount"], round(c["totalSpent"] * 100)), (e["count"], e["cents"]))
                self.assertEqual(c["averageOrderValue"], average_cents(e["cents"], e["count"]) / 100)
                self.assertEqual((c["firstOrderDate"], c["lastOrderDate"]), (iso(min(e["days"])), iso(max(e["days"]))))
        self.assertEqual(self.client("00004")["email"], "client-00004@no-address.invalid")
        self.assertEqual(self.client("00004")["totalSpent"], 100.5)
        status, body = self.s.call("GET", "/api/users?externalId=99999999")
        self.assertEqual((status, body["data"]), (200, []))
        # The .txt extension is CDNOW's; the same file again writes nothing new.
        out = self.imported("orders", CDNOW_EXCERPT)
        self.assertTrue(out.startswith("imported 0, updated 0, unchanged 20"), out)
        code, _, err = self.cli("import", "clients", CDNOW_EXCERPT, "--format", "cdnow")
        self.assertEqual(code, 2)
        self.assertIn("--format cdnow reads orders only", err)

    def test_shopify_orders_export(self):
        # Admin → Orders → Export: one row per line item, the order's fields on its first row,
        # numbers behind an apostrophe, Created at with its offset.
        header = ("Name,Email,Financial Status,Accepts Marketing,Currency,Total,Created at,Lineitem quantity,"
                  "Lineitem name,Lineitem price,Lineitem sku,Billing Name,Billing Zip,Cancelled at,Refunded Amount,Id")
        rows = [
            "#2001,shop1@example.com,paid,no,USD,56.29,2026-09-03 10:14:00 -0400,2,\"Fern Print, Large\",16.00,"
            "FERN-1,Sho Pify,'02134,,,'7001",
            "#2001,shop1@example.com,,,,,,1,Mug,15.00,MUG,,,,,",
            "#2002,shop1@example.com,partially_refunded,no,USD,100.00,2026-10-01 08:00:00 +0200,1,Lamp,100.00,,"
            "Sho Pify,,,30.00,7002",
            "#2003,shop1@example.com,paid,no,USD,20.00,2026-11-02 09:00:00 +0000,1,Mug,20.00,MUG,Sho Pify,,"
            "2026-11-03 10:00:00 +0000,,7003",
            "#2004,shop2@example.com,paid,yes,USD,12.00,2026-11-04 09:00:00 +0000,3,Tea,4.00,TEA,Two Shop,,,,7004",
        ]
        path = self.file("orders_export_1.csv", (header + "\r\n" + "\r\n".join(rows) + "\r\n").encode())
        before = self.counts()
        out = self.imported("orders", path, "--format", "shopify")
        self.assertTrue(out.startswith("imported 4, updated 0, unchanged 0, rejected 0; 2 new clients"), out)
        self.assertEqual(self.counts(), (before[0] + 2, before[1] + 4))
        status, body = self.s.call("GET", "/api/users?search=shop1%40example.com")
        shop1 = body["data"][0]
        self.assertEqual(shop1["name"], "Sho Pify")
        # The cancelled order (#2003) counts for nothing; #2002 counts what was not refunded.
        self.assertEqual((shop1["orderCount"], shop1["totalSpent"]), (2, 126.29))
        self.assertEqual((shop1["firstOrderDate"], shop1["lastOrderDate"]),
                         ("2026-09-03T14:14:00.000Z", "2026-10-01T06:00:00.000Z"))
        orders = {o["externalId"]: o for o in self.orders_of(shop1["userId"])}
        self.assertEqual(set(orders), {"7001", "7002", "7003"})  # Shopify's order ids, apostrophes off
        self.assertEqual([(i["productId"], i["name"], i["quantity"]) for i in orders["7001"]["items"]],
                         [("FERN-1", "Fern Print, Large", 2), ("MUG", "Mug", 1)])
        self.assertEqual(orders["7003"]["status"], "CANCELLED")
        # The same export again changes nothing; a customers file cannot be read so.
        out = self.imported("orders", path, "--format", "shopify")
        self.assertTrue(out.startswith("imported 0, updated 0, unchanged 4"), out)
        code, _, err = self.cli("import", "clients", path, "--format", "shopify")
        self.assertEqual(code, 2)
        self.assertIn("--format shopify reads orders only", err)
        plain = self.file("not_shopify.csv", "email,orderDate,totalValue\na@example.com,2026-01-01,1\n")
        code, _, err = self.cli("import", "orders", plain, "--format", "shopify")
        self.assertNotEqual(code, 0)
        self.assertIn("has no Name, Created at, Total", err)
        self.assertEqual(self.counts(), (before[0] + 2, before[1] + 4))

    def test_derived_fields_exact_whatever_the_order_and_batches(self):
        header = "externalId,clientExternalId,orderDate,totalValue\n"
        files = [
            [("dv-3", "2021-05-10", "19.99"), ("dv-1", "2020-02-01", "10.00"), ("dv-5", "2022-12-31T23:59:59Z", "0.01")],
            [("dv-2", "2020-01-15", "33.33"), ("dv-1", "2020-02-01", "10.00"), ("dv-4", "2021-07-04", "7.77"),
             ("dv-7", "2021-07-04", "0.335")],
            [("dv-6", "2019-03-03", "100.10"), ("dv-8", "2022-01-01", "0.01"), ("dv-9", "2019-03-04", "12.34")],
        ]
        seen = {}
        for n, rows in enumerate(files):
            path = self.file(f"derived-{n}.csv", header + "".join(f"{o},dv-client,{d},{v}\n" for o, d, v in rows))
            out = self.imported("orders", path, "--batch-size", "2")
            new = sum(1 for o, _, _ in rows if o not in seen)
            self.assertTrue(out.startswith(f"imported {new}, updated 0, unchanged {len(rows) - new}"), out)
            for o, d, v in rows:
                seen[o] = (d, cents(v))
            total = sum(c for _, c in seen.values())
            days = sorted(d if "T" in d else d + "T00:00:00Z" for d, _ in seen.values())
            c = self.client("dv-client")
            with self.subTest(after_file=n):
                self.assertEqual(c["orderCount"], len(seen))
                self.assertEqual(round(c["totalSpent"] * 100), total)
                self.assertEqual(c["averageOrderValue"], average_cents(total, len(seen)) / 100)
                self.assertEqual(c["firstOrderDate"], days[0].replace("Z", ".000Z"))
                self.assertEqual(c["lastOrderDate"], days[-1].replace("Z", ".000Z"))
        # 9 orders, 18389 cents: the average is 20.43 (20.4322...), never a drifted 20.42 or 20.44.
        self.assertEqual((c["orderCount"], c["totalSpent"], c["averageOrderValue"]), (9, 183.89, 20.43))
        # An order changed in the shop (a refund) is updated, and the fields follow it.
        path = self.file("derived-fix.csv", header + "dv-5,dv-client,2022-12-31T23:59:59Z,0.00\n"
                                                     "dv-8,dv-client,2018-06-06,0.01\n")
        out = self.imported("orders", path)
        self.assertTrue(out.startswith("imported 0, updated 2, unchanged 0"), out)
        c = self.client("dv-client")
        self.assertEqual((c["orderCount"], c["totalSpent"], c["averageOrderValue"]), (9, 183.88, 20.43))
        self.assertEqual((c["firstOrderDate"], c["lastOrderDate"]), (iso("2018-06-06"), iso("2022-12-31", "23:59:59")))

    def assert_refused(self, kind, content, *wants, args=(), name="bad.csv"):
        """The import stops (exit 2) with a message holding every one of `wants`, and the
        store holds exactly what it held before."""
        path = self.file(name, content)
        before = self.counts()
        code, out, err = self.cli("import", kind, path, "--batch-size", "1", *args)
        self.assertEqual(code, 2, (out, err))
        for want in wants:
            self.assertIn(want, err)
        self.assertIn(NOTHING_WRITTEN, err)
        self.assertNotIn("imported", out)
        self.assertEqual(self.counts(), before)

    def test_bad_input_is_named_and_nothing_is_written(self):
        good_orders = "clientExternalId,orderDate,totalValue\nbad-c1,2021-01-01,5\nbad-c2,2021-01-02,6\n"
        good_clients = "externalId,email,name\nbad-k1,bad-k1@example.com,K One\nbad-k2,bad-k2@example.com,K Two\n"
        cases = {
            "semicolons": ("clients", "externalId;email;name\nbad-s1;s1@example.com;S\n",
                           ("line 1", "delimiter", "';'")),
            "missing column": ("orders", "clientExternalId,orderDate\nbad-c1,2021-01-01\n", ("no column for totalValue",)),
            "unknown column": ("clients", "externalId,email,Shoe Size\nbad-u1,u1@example.com,42\n",
                               ("unknown column", "Shoe Size", "ignore")),
            "unparseable date": ("orders", good_orders + "bad-c3,2021-13-45,7\n",
                                 ("line 4, orderDate", "2021-13-45 is not a date")),
            "unparseable amount": ("orders", good_orders + "bad-c3,2021-01-03,12.5.0\n",
                                   ("line 4, totalValue", "12.5.0 is not an amount")),
            "negative amount": ("orders", good_orders + "bad-c3,2021-01-03,-7.50\n",
                                ("line 4, totalValue", "-7.50 is negative")),
            "future date": ("orders", good_orders + "bad-c3,2099-01-01,7\n",
                            ("line 4, orderDate", "2099-01-01 is in the future")),
            "duplicate client id": ("clients", good_clients + "bad-k1,bad-k3@example.com,K Three\n",
                                    ("line 4, externalId", "bad-k1 appears again (first on line 2)")),
            "duplicate address": ("clients", good_clients + "bad-k3,BAD-K2@example.com,K Three\n",
                                  ("line 4, email", "appears again (first on line 3)")),
            "duplicate order id": ("orders", "externalId,clientExternalId,orderDate,totalValue\n"
                                             "bad-o1,bad-c1,2021-01-01,5\nbad-o1,bad-c1,2021-01-02,6\n",
                                   ("line 3, externalId", "bad-o1 appears again (first on line 2)")),
            "bad address": ("clients", good_clients + "bad-k3,not-an-address,K\n",
                            ("line 4, email", "not-an-address is not a valid email address")),
            "invalid UTF-8": ("clients", good_clients.encode() + b"bad-k3,bad-k3@example.com,K \xff\xfe Three\n",
                              ("line 4", "UTF-8")),
            "field count": ("orders", good_orders + "bad-c3,2021-01-03\n", ("line 4", "2 fields where the header has 3")),
            "unclosed quote": ("clients", good_clients + 'bad-k3,bad-k3@example.com,"K Three\n',
                               ("line 4", "never closed")),
            "empty file": ("clients", b"", ("the file is empty",)),
            "header only": ("clients", "externalId,email,name\r\n", ("no rows",)),
            "blank lines only": ("orders", "\n\r\n\n", ("the file is empty",)),
        }
        for name, (kind, content, wants) in cases.items():
            with self.subTest(case=name):
                self.assert_refused(kind, content, *wants)
        # --ignore-unknown accepts the unknown column (and reads the rest).
        path = self.file("unknown.csv", "externalId,email,Shoe Size\nbad-u1,u1@example.com,42\n")
        out = self.imported("clients", path, "--ignore-unknown")
        self.assertTrue(out.startswith("imported 1, updated 0"), out)
        self.assertEqual(self.client("bad-u1")["email"], "u1@example.com")
        # JSON Lines: a line that is not an object is named by its line.
        self.assert_refused("orders", '{"clientExternalId":"bad-j","orderDate":"2021-01-01","totalValue":1}\n[1,2]\n',
                            "line 2", "not a JSON object", name="bad.jsonl")
        self.assert_refused("orders", '{"clientExternalId":"bad-j","orderDate":"2021-01-01","totalValue":1,'
                                      '"items":[{"productId":"p","price":-1,"quantity":1}]}\n', "line 1, items",
                            name="bad-items.jsonl")

    def test_invalid_utf8_names_its_column(self):
        # The issue: a bad row stops the import "with its line number, field and reason".
        self.assert_refused("clients", b"externalId,email,name\nbad-v1,bad-v1@example.com,K \xff Three\n",
                            "line 2", "name", "UTF-8")

    def test_a_row_the_store_refuses_stops_the_import_and_says_what_was_written(self):
        # Rows that parse but that the store refuses (a userId no client has, an address
        # another shop id holds). In the batch of the refused row nothing is written; the
        # batches before it stand, the message says so, and the same command run again on
        # the fixed file finishes the import with those rows unchanged.
        code, out, err = self.cli("import", "clients", self.file("owner.csv", "externalId,email\nst-own,own@example.com\n"))
        self.assertEqual(code, 0, err)
        own = self.client("st-own")["userId"]
        self.assert_refused("orders", "userId,orderDate,totalValue\nno-such-user,2021-01-01,5\n" + own +
                            ",2021-01-02,6\n", "line 2, userId", "no-such-user")
        before = self.counts()
        path = self.file("refused.csv", "externalId,userId,orderDate,totalValue\nst-o1," + own +
                         ",2021-01-01,5\nst-o2,no-such-user,2021-01-01,5\n")
        code, out, err = self.cli("import", "orders", path, "--batch-size", "1")
        self.assertEqual(code, 2, (out, err))
        self.assertIn("line 3, userId", err)
        self.assertIn("the 1 rows before it were written", err)
        self.assertNotIn(NOTHING_WRITTEN, err)
        self.assertEqual(self.counts(), (before[0], before[1] + 1))
        fixed = self.file("fixed.csv", "externalId,userId,orderDate,totalValue\nst-o1," + own +
                          ",2021-01-01,5\nst-o2," + own + ",2021-01-01,5\n")
        out = self.imported("orders", fixed, "--batch-size", "1")
        self.assertTrue(out.startswith("imported 1, updated 0, unchanged 1, rejected 0"), out)
        self.assertEqual(self.client("st-own")["orderCount"], 2)
        self.assert_refused("clients", "externalId,email\nst-other,own@example.com\nst-new,st-new@example.com\n",
                            "line 2, email", "st-own")

    def test_skip_invalid_imports_the_good_rows_and_lists_the_rest(self):
        path = self.file("mixed.csv", "externalId,clientExternalId,orderDate,totalValue\n"
                                      "sk-1,sk-client,2021-01-01,10\n"
                                      "sk-2,sk-client,2021-02-30,11\n"
                                      "sk-3,sk-client,2021-03-01,12.50\n"
                                      "sk-4,sk-client,2021-04-01,-1\n"
                                      "sk-1,sk-client,2021-05-01,13\n"
                                      "sk-6,sk-client,2021-06-01,14\n")
        rejects = os.path.join(self.dir, "rejects.csv")
        before = self.counts()
        out = self.imported("orders", path, "--skip-invalid", "--rejects", rejects, "--batch-size", "2")
        self.assertTrue(out.startswith("imported 3, updated 0, unchanged 0, rejected 3"), out)
        self.assertEqual(self.counts(), (before[0] + 1, before[1] + 3))
        c = self.client("sk-client")
        self.assertEqual((c["orderCount"], c["totalSpent"]), (3, 36.5))
        with open(rejects, newline="") as f:
            rows = list(csv.reader(f))
        self.assertEqual(rows[0], ["line", "field", "reason"])
        self.assertEqual([(r[0], r[1]) for r in rows[1:]], [("3", "orderDate"), ("5", "totalValue"), ("6", "externalId")])
        self.assertIn("2021-02-30", rows[1][2])
        self.assertIn("negative", rows[2][2])
        self.assertIn("first on line 2", rows[3][2])
        # Without --rejects the first reasons go to the summary.
        out = self.imported("orders", path, "--skip-invalid")
        self.assertTrue(out.startswith("imported 0, updated 0, unchanged 3, rejected 3"), out)
        self.assertIn("rejected line 3, orderDate:", out)
        code, _, err = self.cli("import", "orders", path, "--rejects", rejects)
        self.assertEqual(code, 2)
        self.assertIn("--skip-invalid", err)


class DryRunTest(ImportCase):
    def test_dry_run_writes_nothing_but_counts(self):
        path = self.file("dry.csv", "externalId,clientExternalId,email,orderDate,totalValue\n"
                                    "dr-1,dr-a,dra@example.com,2020-01-01,10\n"
                                    "dr-2,dr-a,dra@example.com,2020-02-01,20\n"
                                    "dr-3,dr-b,,2019-05-05,5\n"
                                    f"dr-4,dr-c,drc@example.com,{datetime.date.today().isoformat()},50\n")
        before = self.counts()
        changes = store_query(self.s.env, "SELECT COUNT(*) FROM user_changes")
        out = self.imported("orders", path, "--dry-run")
        self.assertEqual(out.rsplit(" (", 1)[0], "dry run (nothing written): would import 4, updated 0, unchanged 0, "
                                            "rejected 0; 3 new clients; 2 clients would be at risk")
        self.assertEqual(self.counts(), before)
        self.assertEqual(store_query(self.s.env, "SELECT COUNT(*) FROM user_changes"), changes)
        status, body = self.s.call("GET", "/api/users?externalId=dr-a")
        self.assertEqual(body["data"], [])
        # The real run gives the figures the dry run announced.
        out = self.imported("orders", path)
        self.assertTrue(out.startswith("imported 4, updated 0, unchanged 0, rejected 0; 3 new clients; "
                                       "2 clients are now at risk"), out)
        self.assertEqual(self.counts(), (before[0] + 3, before[1] + 4))
        out = self.imported("orders", path, "--dry-run")
        self.assertTrue(out.startswith("dry run (nothing written): would import 0, updated 0, unchanged 4"), out)


class BackfillTest(ImportCase):
    """A backfill on a running `serve`: it emails nobody and publishes nothing until a sweep."""

    def emails(self):
        status, body = self.s.call("GET", "/api/emails?limit=100")
        self.assertEqual(status, 200, body)
        return body["data"]

    def test_backfill_emails_nobody_until_a_sweep(self):
        changes = store_query(self.s.env, "SELECT COUNT(*) FROM user_changes")
        clients = self.file("bf-clients.csv", "externalId,email,name\nbf-1,bf1@example.com,Bea Lapsed\n"
                                              "bf-2,bf2@example.com,Bo Lapsed\nbf-3,bf3@example.com,Bix Recent\n")
        today = datetime.date.today().isoformat()
        orders = self.file("bf-orders.csv", "clientExternalId,orderDate,totalValue\n"
                                            "bf-1,2020-03-01,40\nbf-1,2020-04-01,45\nbf-2,2019-11-11,12\n"
                                            f"bf-3,{today},30\nbf-cdnow,2019-01-01,25\n")
        self.imported("clients", clients)
        out = self.imported("orders", orders)
        self.assertIn("3 clients are now at risk", out)
        self.assertIn("nothing was emailed", out)
        ids = {e: self.client(e)["userId"] for e in ("bf-1", "bf-2", "bf-3", "bf-cdnow")}
        self.assertTrue(self.client("bf-cdnow")["email"].endswith(".invalid"))
        self.assertLess(self.client("bf-1")["engagementScore"], 75)
        time.sleep(3)  # what the running pipeline would have done with events, it had time to do
        self.assertEqual(self.emails(), [])
        self.assertEqual(store_query(self.s.env, "SELECT COUNT(*) FROM user_changes"), changes)
        # A sweep (here the import's --sweep) queues emails for the clients at risk with an
        # address, never for the placeholder one.
        out = self.imported("orders", orders, "--sweep")
        self.assertTrue(out.startswith("imported 0, updated 0, unchanged 5"), out)
        emailed = wait_for(lambda: {e["userId"] for e in self.emails()} == {ids["bf-1"], ids["bf-2"]}, timeout=30)
        self.assertTrue(emailed, self.emails())
        time.sleep(1)
        self.assertEqual(sorted(e["userId"] for e in self.emails()), sorted([ids["bf-1"], ids["bf-2"]]))
        status, body = self.s.call("POST", "/api/sweep")
        self.assertEqual(status, 200, body)
        time.sleep(1)
        self.assertNotIn(ids["bf-cdnow"], {e["userId"] for e in self.emails()})
        # /api/exports/emails: the emails as a file, with the clients' addresses.
        resp, data = self.s.raw("GET", "/api/exports/emails")
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.getheader("Content-Type"), "text/csv; charset=utf-8")
        self.assertRegex(resp.getheader("Content-Disposition"), r'^attachment; filename="emails-\d{8}\.csv"$')
        rows = parse_csv(data.decode())
        self.assertEqual(sorted(r["userEmail"] for r in rows), ["bf1@example.com", "bf2@example.com"])
        resp, data = self.s.raw("GET", "/api/exports/emails?q=" + urllib.parse.quote("Bea Lapsed"))
        self.assertEqual([r["userName"] for r in parse_csv(data.decode())], ["Bea Lapsed"])


class RoundTripTest(ImportCase):
    def test_export_then_import_reproduces_clients_and_orders(self):
        clients = self.file("rt-clients.csv", (
            "externalId,email,name,preferredCategories,timeZone,createdAt\n"
            'rt-1,rt1@example.com,"Comma, Quote "" and\nbreak",books|music,Europe/Berlin,2019-01-02T03:04:05Z\n'
            "rt-2,rt2@example.com,=SUM(A1:A9),,,2018-05-05\n"
            "rt-3,rt3@example.com,Zoë Ünïcode 東京,garden,,\n"
            "rt-4,rt4@example.com,-minus and +plus,,,\n"))
        orders = self.file("rt-orders.jsonl", "\n".join(json.dumps(o) for o in [
            {"externalId": "rt-o1", "clientExternalId": "rt-1", "orderDate": "2021-01-05T12:00:00Z",
             "totalValue": 20.5, "status": "DELIVERED",
             "items": [{"productId": "p1", "name": "Book, \"rare\"", "category": "books", "price": 10.25,
                        "quantity": 2}]},
            {"externalId": "rt-o2", "clientExternalId": "rt-1", "orderDate": "2022-02-06", "totalValue": 7.1},
            {"email": "rt3@example.com", "orderDate": "2020-07-07", "totalValue": 3.33},
            {"email": "rt3@example.com", "orderDate": "2020-07-07", "totalValue": 4.44},
            {"clientExternalId": "rt-5", "orderDate": "2019-09-09", "totalValue": 99.99},
            {"email": "rt6@example.com", "name": "Sixth", "orderDate": "2023-03-03", "totalValue": 0.01},
        ]) + "\n")
        self.imported("clients", clients)
        self.imported("orders", orders)
        want_clients, want_orders = self.snapshot(self.s)
        self.assertEqual(len(want_clients), 6)
        self.assertEqual(len(want_orders), 6)
        for fmt in ("csv", "jsonl"):
            with self.subTest(format=fmt):
                exported = {}
                for kind in ("clients", "orders"):
                    exported[kind] = os.path.join(self.dir, f"export-{kind}.{fmt}")
                    code, _, err = self.cli("export", kind, "--format", fmt, exported[kind])
                    self.assertEqual(code, 0, err)
                fresh = Server()
                try:
                    out = self.imported("clients", exported["clients"], server=fresh)
                    self.assertTrue(out.startswith("imported 6, updated 0, unchanged 0, rejected 0"), out)
                    out = self.imported("orders", exported["orders"], server=fresh)
                    self.assertTrue(out.startswith("imported 6, updated 0, unchanged 0, rejected 0"), out)
                    got_clients, got_orders = self.snapshot(fresh)
                    self.assertEqual(got_clients, want_clients)
                    self.assertEqual(got_orders, want_orders)
                    # And the export of the copy imports into the copy as unchanged.
                    out = self.imported("clients", exported["clients"], server=fresh)
                    self.assertTrue(out.startswith("imported 0, updated 0, unchanged 6"), out)
                finally:
                    fresh.stop()

    def snapshot(self, server):
        """Every client and order as the API shows them, keyed by what survives a copy."""
        status, body = server.call("GET", "/api/users?limit=100")
        self.assertEqual(status, 200, body)
        users = body["data"]
        clients = {}
        by_id = {}
        for u in users:
            by_id[u["userId"]] = u["email"]
            clients[u["email"]] = {k: u[k] for k in (
                "externalId", "name", "orderCount", "totalSpent", "averageOrderValue", "firstOrderDate",
                "lastOrderDate", "preferredCategories", "timeZone", "createdAt", "engagementScore")}
        orders = {}
        for u in users:
            for o in self.orders_of(u["userId"], server=server):
                orders[o["externalId"]] = (by_id[o["userId"]], o["orderDate"], o["totalValue"], o["status"],
                                           json.dumps(o["items"], sort_keys=True))
        return clients, orders


class CrashTest(ImportCase):
    def test_sigkill_mid_import_then_the_same_command_finishes(self):
        n, clients = 120_000, 3000
        start = datetime.date(2020, 1, 1)
        expected = {}
        lines = ["clientExternalId,orderDate,totalValue\n"]
        for i in range(n):
            client = f"kill-{i % clients}"
            day = (start + datetime.timedelta(days=(i * 7) % 700)).isoformat()
            value = f"{(i * 37) % 10000 / 100:.2f}"
            lines.append(f"{client},{day},{value}\n")
            e = expected.setdefault(client, [0, 0, day, day])
            e[0] += 1
            e[1] += cents(value)
            e[2], e[3] = min(e[2], day), max(e[3], day)
        path = self.file("big.csv", "".join(lines))
        args = [BIN, "import", "orders", path, "--batch-size", "5000"]
        with tempfile.TemporaryDirectory(prefix="rkd-cli-") as cwd:
            proc = subprocess.Popen(args, env=self.s.env, cwd=cwd, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            try:
                some = wait_for(lambda: self.counts()[1] > 0 or proc.poll() is not None, timeout=60, interval=0.02)
                self.assertTrue(some)
                proc.send_signal(signal.SIGKILL)
            finally:
                proc.wait()
        self.assertEqual(proc.returncode, -signal.SIGKILL, "the import ended before it was killed")
        written = self.counts()[1]
        self.assertGreater(written, 0)
        self.assertLess(written, n, "the kill came after the import had written everything")
        out = self.imported("orders", path, "--batch-size", "5000")
        figures = summary_figures(out)
        self.assertEqual(figures["imported"] + figures["unchanged"], n, out)
        self.assertEqual((figures["updated"], figures["rejected"]), (0, 0), out)
        self.assertEqual(self.counts(), (clients, n))
        for k in (0, 1, 7, 1234, clients - 1):
            client = f"kill-{k}"
            with self.subTest(client=client):
                c = self.client(client)
                count, total, first, last = expected[client]
                self.assertEqual((c["orderCount"], round(c["totalSpent"] * 100)), (count, total))
                self.assertEqual(c["averageOrderValue"], average_cents(total, count) / 100)
                self.assertEqual((c["firstOrderDate"], c["lastOrderDate"]), (iso(first), iso(last)))
        self.assertEqual(int(store_query(self.s.env, "SELECT COUNT(*) FROM orders o JOIN users u "
                                                     "ON u.user_id = o.user_id")[0]), n)


class ApiCase(ImportCase):
    def post_file(self, target, body, content_type="text/csv"):
        resp, data = self.s.raw("POST", target, body.encode() if isinstance(body, str) else body,
                                {"Content-Type": content_type})
        return resp, (json.loads(data) if data else None)

    def finished(self, import_id):
        def done():
            status, body = self.s.call("GET", f"/api/imports/{import_id}")
            self.assertEqual(status, 200, body)
            return body["data"] if body["data"]["status"] != "running" else None
        job = wait_for(done, timeout=30)
        self.assertTrue(job, f"import {import_id} still running")
        return job


class ImportApiTest(ApiCase):
    def test_preview(self):
        sample = "External ID,Email,Customer Name,Time Zone\r\n" + "".join(
            f'api-p{i},p{i}@example.com,"Name, {i}",Europe/Paris\r\n' for i in range(12))
        resp, body = self.post_file("/api/imports/preview?kind=clients", sample)
        self.assertEqual(resp.status, 200, body)
        p = body["data"]
        self.assertEqual(p["format"], "csv")
        self.assertEqual(p["columns"], ["External ID", "Email", "Customer Name", "Time Zone"])
        self.assertEqual(p["mapping"], {"externalId": "External ID", "email": "Email", "timeZone": "Time Zone"})
        self.assertEqual((p["unknown"], p["missing"]), (["Customer Name"], []))
        self.assertEqual(p["fields"][:3], ["externalId", "email", "name"])
        self.assertEqual(len(p["rows"]), 10)
        self.assertEqual(p["rows"][3], ["api-p3", "p3@example.com", "Name, 3", "Europe/Paris"])
        resp, body = self.post_file("/api/imports/preview?kind=clients&map=" +
                                    urllib.parse.quote("name=Customer Name"), sample)
        self.assertEqual(body["data"]["mapping"]["name"], "Customer Name")
        self.assertEqual(body["data"]["unknown"], [])
        # A detected field un-mapped with "field=" is read from no column.
        resp, body = self.post_file("/api/imports/preview?kind=clients&map=timeZone%3D", sample)
        self.assertEqual(resp.status, 200, body)
        self.assertNotIn("timeZone", body["data"]["mapping"])
        resp, body = self.post_file("/api/imports/preview?kind=orders", "clientExternalId,when\nx,2021-01-01\n")
        self.assertEqual(body["data"]["missing"], ["orderDate", "totalValue"])
        self.assertEqual(body["data"]["unknown"], ["when"])
        jsonl = '{"externalId":"a","email":"a@example.com"}\n{"externalId":"b","shoe":42}\n'
        resp, body = self.post_file("/api/imports/preview?kind=clients&format=jsonl", jsonl, "application/x-ndjson")
        self.assertEqual(resp.status, 200, body)
        self.assertEqual(body["data"]["columns"], ["email", "externalId", "shoe"])
        self.assertEqual(body["data"]["rows"], [["a@example.com", "a", ""], ["", "b", "42"]])
        self.assertEqual(body["data"]["unknown"], ["shoe"])
        # A sample cut mid-record (the page sends the first 64 KiB) shows what came before.
        resp, body = self.post_file("/api/imports/preview?kind=clients", 'externalId,name\nc1,"A\nc2,"B')
        self.assertIn(resp.status, (200, 400), body)
        resp, body = self.post_file("/api/imports/preview?kind=clients", "a;b;c\n1;2;3\n")
        self.assertEqual(resp.status, 400, body)
        self.assertIn("delimiter", body["error"])

    def test_import_job_lifecycle_and_list(self):
        before = self.counts()
        body_csv = "External ID,Email,Customer Name\n" + "".join(
            f"api-j{i},j{i}@example.com,Jay {i}\n" for i in range(5))
        resp, body = self.post_file("/api/imports?kind=clients&map=" + urllib.parse.quote("name=Customer Name"),
                                    body_csv)
        self.assertEqual(resp.status, 202, body)
        job = body["data"]
        self.assertEqual(resp.getheader("Location"), "/api/imports/" + job["id"])
        self.assertEqual((job["kind"], job["format"], job["dryRun"]), ("clients", "csv", False))
        job = self.finished(job["id"])
        self.assertEqual((job["status"], job["phase"], job["imported"], job["updated"], job["unchanged"],
                          job["rejected"], job["rows"], job["error"], job["rejects"]),
                         ("done", "done", 5, 0, 0, 0, 5, None, []))
        self.assertEqual(job["totalBytes"], len(body_csv))
        self.assertTrue(job["finishedAt"])
        self.assertEqual(self.client("api-j3")["name"], "Jay 3")
        self.assertEqual(self.counts(), (before[0] + 5, before[1]))
        # The same upload again: unchanged.
        resp, body = self.post_file("/api/imports?kind=clients&map=" + urllib.parse.quote("name=Customer Name"),
                                    body_csv)
        self.assertEqual(resp.status, 202, body)
        job2 = self.finished(body["data"]["id"])
        self.assertEqual((job2["imported"], job2["updated"], job2["unchanged"]), (0, 0, 5))
        # Orders with bad rows: skipped and listed; without skipInvalid, a failure that names them.
        orders = ("externalId,clientExternalId,orderDate,totalValue\napi-o1,api-j1,2021-01-01,10\n"
                  "api-o2,api-j1,2021-01-02,-3\napi-o3,api-j2,yesterday,4\napi-o4,api-new,2021-01-04,5\n")
        resp, body = self.post_file("/api/imports?kind=orders&skipInvalid=true", orders)
        self.assertEqual(resp.status, 202, body)
        job3 = self.finished(body["data"]["id"])
        self.assertEqual((job3["status"], job3["imported"], job3["rejected"], job3["clientsCreated"]),
                         ("done", 2, 2, 1))
        self.assertEqual([(r["line"], r["field"]) for r in job3["rejects"]], [(3, "totalValue"), (4, "orderDate")])
        self.assertIn("negative", job3["rejects"][0]["reason"])
        self.assertEqual(self.client("api-j1")["orderCount"], 1)
        before = self.counts()
        resp, body = self.post_file("/api/imports?kind=orders", orders.replace("api-o", "api-q"))
        self.assertEqual(resp.status, 202, body)
        job4 = self.finished(body["data"]["id"])
        self.assertEqual(job4["status"], "failed")
        self.assertEqual(job4["error"], "line 3, totalValue: -3 is negative")  # nothing was written
        self.assertEqual(self.counts(), before)
        # dryRun: figures, nothing written.
        resp, body = self.post_file("/api/imports?kind=orders&dryRun=true",
                                    "clientExternalId,orderDate,totalValue\napi-dry,2020-01-01,9\n")
        job5 = self.finished(body["data"]["id"])
        self.assertEqual((job5["status"], job5["dryRun"], job5["imported"], job5["clientsCreated"]),
                         ("done", True, 1, 1))
        self.assertEqual(self.counts(), before)
        # The list: newest first, no rejects.
        status, body = self.s.call("GET", "/api/imports?limit=3")
        self.assertEqual(status, 200, body)
        self.assertEqual([j["id"] for j in body["data"]], [job5["id"], job4["id"], job3["id"]])
        self.assertNotIn("rejects", body["data"][2])
        self.assertEqual(body["data"][2]["rejected"], 2)
        status, body = self.s.call("GET", "/api/imports")
        self.assertGreaterEqual(len(body["data"]), 5)
        self.assertEqual(self.s.call("GET", "/api/imports/no-such-import")[0], 404)

    def test_bad_parameters_and_content_types(self):
        before = self.counts()
        good = "externalId,email\napi-bad,api-bad@example.com\n"
        for target, field in [("/api/imports?kind=bad", "kind"), ("/api/imports", "kind"),
                              ("/api/imports?kind=clients&format=bad", "format"),
                              ("/api/imports?kind=clients&format=cdnow", "kind"),
                              ("/api/imports?kind=clients&skipInvalid=yes", "skipInvalid"),
                              ("/api/imports?kind=clients&map=shoe%3DexternalId", "map"),
                              ("/api/imports/preview?kind=bad", "kind"),
                              ("/api/imports/preview?kind=orders&format=xml", "format"),
                              ("/api/imports?limit=0", None)]:
            with self.subTest(target=target):
                if "limit" in target:
                    status, body = self.s.call("GET", target)
                    self.assertEqual((status, body["field"]), (400, "limit"))
                    continue
                resp, body = self.post_file(target, good)
                self.assertEqual(resp.status, 400, body)
                self.assertEqual(body["field"], field)
        for content_type in ("text/plain", "application/json", "application/x-www-form-urlencoded"):
            with self.subTest(content_type=content_type):
                resp, body = self.post_file("/api/imports?kind=clients", good, content_type)
                self.assertEqual(resp.status, 415, body)
                resp, body = self.post_file("/api/imports/preview?kind=clients", good, content_type)
                self.assertEqual(resp.status, 415, body)
        resp, body = self.post_file("/api/imports?kind=clients", "")
        self.assertEqual((resp.status, body["field"]), (400, "body"))
        self.assertEqual(self.counts(), before)

    def test_exports(self):
        self.imported("clients", self.file("ex-clients.csv", "externalId,email,name\nex-1,ex1@example.com,Ex One\n"
                                                             "ex-2,ex2@example.com,Ex Two\n"))
        self.imported("orders", self.file("ex-orders.csv", "externalId,clientExternalId,orderDate,totalValue\n"
                                                           "ex-o1,ex-1,2020-01-01,12.34\n"))
        resp, data = self.s.raw("GET", "/api/exports/clients?state=neverOrdered")
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.getheader("Content-Type"), "text/csv; charset=utf-8")
        self.assertRegex(resp.getheader("Content-Disposition"), r'^attachment; filename="clients-\d{8}\.csv"$')
        rows = parse_csv(data.decode())
        status, body = self.s.call("GET", "/api/users?state=neverOrdered&limit=100")
        self.assertEqual(sorted(r["userId"] for r in rows), sorted(u["userId"] for u in body["data"]))
        self.assertIn("ex-2", [r["externalId"] for r in rows])
        self.assertNotIn("ex-1", [r["externalId"] for r in rows])
        self.assertTrue(all(r["orderCount"] == "0" for r in rows))
        resp, data = self.s.raw("GET", "/api/exports/clients?search=ex1%40example.com")
        rows = parse_csv(data.decode())
        self.assertEqual([(r["externalId"], r["orderCount"], r["totalSpent"], r["firstOrderDate"]) for r in rows],
                         [("ex-1", "1", "12.34", "2020-01-01T00:00:00.000Z")])
        resp, data = self.s.raw("GET", "/api/exports/clients?state=bogus")
        self.assertEqual(resp.status, 400)
        resp, data = self.s.raw("GET", "/api/exports/orders?format=jsonl")
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.getheader("Content-Type"), "application/x-ndjson")
        self.assertRegex(resp.getheader("Content-Disposition"), r'filename="orders-\d{8}\.jsonl"')
        orders = [json.loads(l) for l in data.decode().splitlines()]
        self.assertEqual(len(orders), self.counts()[1])
        ex = [o for o in orders if o.get("externalId") == "ex-o1"]
        self.assertEqual(len(ex), 1)
        self.assertEqual((ex[0]["clientExternalId"], ex[0]["email"], float(ex[0]["totalValue"])),
                         ("ex-1", "ex1@example.com", 12.34))
        resp, data = self.s.raw("GET", "/api/exports/orders?format=xml")
        self.assertEqual(resp.status, 400)


class ImportBusyTest(ApiCase):
    """An import that runs long enough to be seen running (on a server of its own, so that
    a hung import cannot take the other API tests down with it)."""

    def test_one_import_at_a_time(self):
        good = "externalId,email\napi-next,api-next@example.com\n"
        # One at a time: a second upload while one runs is 409.
        big = "clientExternalId,orderDate,totalValue\n" + "".join(
            f"api-busy-{i % 500},2021-01-{1 + i % 28:02d},{i % 90}.5\n" for i in range(30000))
        self.assertLess(len(big), 1 << 20)
        resp, body = self.post_file("/api/imports?kind=orders", big)
        self.assertEqual(resp.status, 202, body)
        resp2, body2 = self.post_file("/api/imports?kind=clients", good)
        self.assertEqual(resp2.status, 409, body2)
        self.assertEqual(self.finished(body["data"]["id"])["imported"], 30000)
        # Once it is done, the next starts (and the derived fields of its clients are exact).
        resp, body = self.post_file("/api/imports?kind=clients", good)
        self.assertEqual(resp.status, 202, body)
        self.assertEqual(self.finished(body["data"]["id"])["status"], "done")
        c = self.client("api-busy-7")
        rows = [i for i in range(30000) if i % 500 == 7]
        self.assertEqual((c["orderCount"], round(c["totalSpent"] * 100)),
                         (len(rows), sum((i % 90) * 100 + 50 for i in rows)))


if __name__ == "__main__":
    unittest.main()
