"""A shop's REST API on loopback, as the reconciliation (`rekindle sync`) reads it, in the
platforms' own wire format:

- Shopify's Admin REST API: GET /admin/api/<version>/orders.json and customers.json, the
  X-Shopify-Access-Token header (401 with Shopify's body without it), limit up to 250,
  updated_at_min (inclusive), order=updated_at asc, and cursor pagination: the next page
  only in the Link header's rel="next" with a page_info that carries the query, where
  no other parameter but limit may be repeated (400 otherwise, as Shopify answers).
- WooCommerce's REST API: GET /wp-json/wc/v3/orders and /customers, HTTP Basic with the
  consumer key and secret (401 with WordPress's body without them), per_page up to 100,
  page, modified_after (exclusive) on orders, X-WP-Total, X-WP-TotalPages and a Link
  header.

Faults: `fail_next` answers the next requests with these statuses (429 with Retry-After:
1); `delay` holds every answer; `next_link_host` sends the next page to another host.
Every request is kept in `requests` (path and query, parsed)."""
import base64
import datetime
import http.server
import json
import secrets
import threading
import time
import urllib.parse


def iso(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def gmt(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


def parse_time(s):
    s = s.replace("Z", "+00:00")
    if len(s) == 19:
        s += "+00:00"
    return datetime.datetime.fromisoformat(s).timestamp()


class FakeShop:
    TOKEN = "shpat_test_token_0123456789"
    KEY, SECRET = "ck_test_key_0123456789", "cs_test_secret_0123456789"

    def __init__(self):
        self.lock = threading.Lock()
        self.shopify_orders, self.shopify_customers = {}, {}
        self.woo_orders, self.woo_customers = {}, {}
        self.requests = []
        self.fail_next = []
        self.delay = 0.0
        self.next_link_host = None
        self.cursors = {}  # page_info -> (records, offset)
        self.listings = {}  # WooCommerce: (resource, modified_after) -> its records in order
        shop = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go in two writes: without this, Nagle's algorithm and the
            # client's delayed ACK hold each kept-alive answer 40 ms (real servers set it too).
            disable_nagle_algorithm = True

            def do_GET(self):
                url = urllib.parse.urlsplit(self.path)
                query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
                with shop.lock:
                    shop.requests.append((url.path, {k: v[0] for k, v in query.items()},
                                          {k.lower(): v for k, v in self.headers.items()}))
                    fail = shop.fail_next.pop(0) if shop.fail_next else None
                if shop.delay:
                    time.sleep(shop.delay)
                if fail:
                    extra = {"Retry-After": "1"} if fail == 429 else {}
                    return self.answer(fail, {"errors": "fault injected"}, extra)
                if url.path.startswith("/admin/api/"):
                    return self.shopify(url, query)
                if url.path.startswith("/wp-json/wc/v3/"):
                    return self.woocommerce(url, query)
                return self.answer(404, {"errors": "Not Found"})

            def base(self):
                return "http://" + (shop.next_link_host or self.headers["Host"])

            def shopify(self, url, query):
                if self.headers.get("X-Shopify-Access-Token") != shop.TOKEN:
                    return self.answer(401, {"errors": "[API] Invalid API key or access token (unrecognized login "
                                                       "or wrong password)"})
                resource = url.path.rsplit("/", 1)[-1].removesuffix(".json")
                limit = int(query.get("limit", ["50"])[0])
                if limit > 250:
                    return self.answer(400, {"errors": {"limit": "must be at most 250"}})
                if "page_info" in query:
                    if set(query) - {"page_info", "limit"}:
                        return self.answer(400, {"errors": {"page_info": "Invalid value. Only limit may be repeated."}})
                    with shop.lock:
                        records, offset = shop.cursors.get(query["page_info"][0], (None, 0))
                    if records is None:
                        return self.answer(400, {"errors": {"page_info": "Invalid value."}})
                else:
                    with shop.lock:
                        table = shop.shopify_orders if resource == "orders" else shop.shopify_customers
                        records = list(table.values())
                    if "updated_at_min" in query:
                        since = parse_time(query["updated_at_min"][0])
                        records = [r for r in records if parse_time(r["updated_at"]) >= since]
                    records.sort(key=lambda r: (parse_time(r["updated_at"]), r["id"]))
                    offset = 0
                page = records[offset:offset + limit]
                headers = {}
                if offset + limit < len(records):
                    token = secrets.token_urlsafe(12)
                    with shop.lock:
                        shop.cursors[token] = (records, offset + limit)
                    headers["Link"] = f'<{self.base()}{url.path}?limit={limit}&page_info={token}>; rel="next"'
                return self.answer(200, {resource: page}, headers)

            def woocommerce(self, url, query):
                expected = "Basic " + base64.b64encode(f"{shop.KEY}:{shop.SECRET}".encode()).decode()
                if self.headers.get("Authorization") != expected:
                    return self.answer(401, {"code": "woocommerce_rest_cannot_view",
                                             "message": "Sorry, you cannot list resources.", "data": {"status": 401}})
                resource = url.path.rsplit("/", 1)[-1]
                per_page = int(query.get("per_page", ["10"])[0])
                page = int(query.get("page", ["1"])[0])
                if per_page > 100:
                    return self.answer(400, {"code": "rest_invalid_param", "message": "Invalid parameter(s): per_page"})
                key = (resource, query.get("modified_after", [""])[0])
                with shop.lock:
                    records = shop.listings.get(key)
                    if records is None:  # listed once per query until the data changes
                        table = shop.woo_orders if resource == "orders" else shop.woo_customers
                        records = list(table.values())
                if key not in shop.listings:
                    if resource == "orders":
                        if key[1]:
                            since = parse_time(key[1])
                            records = [r for r in records if parse_time(r["date_modified_gmt"]) > since]
                        records.sort(key=lambda r: (parse_time(r["date_modified_gmt"]), r["id"]))
                    else:
                        records.sort(key=lambda r: r["id"])
                    with shop.lock:
                        shop.listings[key] = records
                pages = max(1, -(-len(records) // per_page))
                headers = {"X-WP-Total": str(len(records)), "X-WP-TotalPages": str(pages)}
                if page < pages:
                    q = {k: v[0] for k, v in query.items()}
                    q["page"] = str(page + 1)
                    headers["Link"] = f'<{self.base()}{url.path}?{urllib.parse.urlencode(q)}>; rel="next"'
                return self.answer(200, records[(page - 1) * per_page:page * per_page], headers)

            def answer(self, status, body, headers=None):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    # ---- the shop's data, as each platform shapes it ----

    def shopify_order(self, order_id, customer_id, email, total, created, updated=None, **extra):
        order = {"id": order_id, "name": f"#{order_id}", "email": email, "created_at": iso(created),
                 "processed_at": iso(created), "updated_at": iso(updated or created), "total_price": total,
                 "current_total_price": total, "financial_status": "paid", "cancelled_at": None, "currency": "EUR",
                 "customer": {"id": customer_id, "email": email, "first_name": "Shop", "last_name": f"Client {customer_id}"},
                 "line_items": [{"id": order_id * 10, "product_id": 632910392, "title": "Wool Scarf", "price": total,
                                 "quantity": 1}]}
        order.update(extra)
        with self.lock:
            self.shopify_orders[order_id] = order
        return order

    def shopify_customer(self, customer_id, email, created, updated=None, consent="subscribed"):
        customer = {"id": customer_id, "email": email, "first_name": "Shop", "last_name": f"Client {customer_id}",
                    "created_at": iso(created), "updated_at": iso(updated or created),
                    "email_marketing_consent": {"state": consent, "opt_in_level": "single_opt_in"}}
        with self.lock:
            self.shopify_customers[customer_id] = customer
        return customer

    def woo_order(self, order_id, customer_id, email, total, created, modified=None, status="completed"):
        order = {"id": order_id, "number": str(order_id), "status": status, "customer_id": customer_id,
                 "date_created_gmt": gmt(created), "date_modified_gmt": gmt(modified or created), "total": total,
                 "billing": {"first_name": "Woo", "last_name": f"Client {customer_id}", "email": email},
                 "line_items": [{"id": order_id * 10, "name": "Woo Single", "product_id": 93, "quantity": 1,
                                 "price": float(total)}],
                 "refunds": []}
        with self.lock:
            self.woo_orders[order_id] = order
            self.listings.clear()
        return order

    def woo_customer(self, customer_id, email, created, modified=None):
        customer = {"id": customer_id, "email": email, "first_name": "Woo", "last_name": f"Client {customer_id}",
                    "date_created_gmt": gmt(created), "date_modified_gmt": gmt(modified or created), "role": "customer"}
        with self.lock:
            self.woo_customers[customer_id] = customer
            self.listings.clear()
        return customer

    def requests_to(self, fragment):
        with self.lock:
            return [(p, q) for p, q, _ in self.requests if fragment in p]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
