// The platforms' payloads read into ShopChanges: Shopify's and WooCommerce's documented
// webhook bodies (trimmed to the fields Rekindle reads, plus some it must ignore).
#include <gtest/gtest.h>

#include "base/time.h"
#include "integrations/cdp_events.h"
#include "integrations/shopify_events.h"
#include "integrations/woocommerce_events.h"

namespace rkd {
namespace {

using nlohmann::json;

const Millis kNow = *ParseRfc3339("2026-06-01T00:00:00Z");

json ShopifyOrder() {
  return json::parse(R"({
    "id": 820982911946154508, "name": "#9999", "email": "jon@example.com",
    "created_at": "2026-05-20T12:00:00-04:00", "processed_at": "2026-05-20T12:01:00-04:00",
    "total_price": "199.65", "current_total_price": "189.65", "financial_status": "partially_refunded",
    "cancelled_at": null, "currency": "USD",
    "customer": {"id": 115310627314723954, "email": "jon@example.com", "first_name": "Jon", "last_name": "Snow"},
    "line_items": [{"id": 866550311766439020, "product_id": 632910392, "title": "IPod Nano", "price": "199.00",
                    "quantity": 1, "sku": "IPOD"}]
  })");
}

TEST(ShopifyEvents, AnOrderIsUpsertedByItsIdAtItsNetValue) {
  auto changes = ShopifyChanges("orders/create", ShopifyOrder(), kNow);
  ASSERT_TRUE(changes.ok()) << changes.status().ToString();
  ASSERT_EQ(changes->orders.size(), 1u);
  const OrderRow& o = changes->orders[0];
  EXPECT_EQ(o.external_id, "820982911946154508");
  EXPECT_EQ(o.client_external_id, "115310627314723954");
  EXPECT_EQ(o.client_email, "jon@example.com");
  EXPECT_EQ(o.client_name, "Jon Snow");
  EXPECT_EQ(o.order_date, *ParseRfc3339("2026-05-20T16:01:00Z"));  // processed_at, in UTC
  EXPECT_EQ(o.total_cents, 18965);                                 // current_total_price: after the refund
  EXPECT_EQ(o.status, kOrderCreated);
  ASSERT_EQ(o.items.size(), 1u);
  EXPECT_EQ(o.items[0].name, "IPod Nano");
  EXPECT_EQ(o.items[0].product_id, "632910392");
  EXPECT_DOUBLE_EQ(o.items[0].price, 199.0);
  EXPECT_TRUE(changes->ignored.empty());
  // Its customer is upserted too (a client known only by address takes the shop's id).
  ASSERT_EQ(changes->clients.size(), 1u);
  EXPECT_EQ(changes->clients[0].external_id, "115310627314723954");
  EXPECT_EQ(changes->clients[0].email, "jon@example.com");
}

TEST(ShopifyEvents, CancelledRefundedAndVoidedOrdersCountForNothing) {
  json cancelled = ShopifyOrder();
  cancelled["cancelled_at"] = "2026-05-21T10:00:00Z";
  json refunded = ShopifyOrder();
  refunded["financial_status"] = "refunded";
  json voided = ShopifyOrder();
  voided["financial_status"] = "voided";
  for (const json& body : {cancelled, refunded, voided}) {
    auto changes = ShopifyChanges("orders/updated", body, kNow);
    ASSERT_TRUE(changes.ok());
    EXPECT_EQ(changes->orders.at(0).status, kOrderCancelled) << body.dump();
  }
}

TEST(ShopifyEvents, AGuestOrderNamesItsClientByAddress) {
  json guest = ShopifyOrder();
  guest.erase("customer");
  auto changes = ShopifyChanges("orders/paid", guest, kNow);
  ASSERT_TRUE(changes.ok());
  EXPECT_EQ(changes->orders[0].client_external_id, "");
  EXPECT_EQ(changes->orders[0].client_email, "jon@example.com");
  guest.erase("email");
  auto nobody = ShopifyChanges("orders/paid", guest, kNow);
  EXPECT_EQ(nobody.status().code(), Code::kInvalidArgument);
}

TEST(ShopifyEvents, BadValuesAreRefusedNamingTheField) {
  const std::vector<std::pair<json, std::string>> cases = {
      {{{"total_price", "-5.00"}}, "total_price"},
      {{{"total_price", "ten"}}, "total_price"},
      {{{"created_at", "yesterday"}}, "created_at"},
      {{{"processed_at", "2999-01-01T00:00:00Z"}}, "processed_at"},
      {{{"id", nullptr}}, "id"},
      {{{"id", -4}}, "id"},
      {{{"line_items", "many"}}, "line_items"},
      {{{"email", 42}}, "email"},
  };
  for (const auto& [patch, field] : cases) {
    json body = ShopifyOrder();
    body.merge_patch(patch);
    if (field == "created_at") body.erase("processed_at");
    auto changes = ShopifyChanges("orders/create", body, kNow);
    ASSERT_FALSE(changes.ok()) << patch.dump();
    EXPECT_EQ(changes.status().field(), field) << patch.dump() << ": " << changes.status().ToString();
  }
  EXPECT_FALSE(ShopifyChanges("orders/create", json::array(), kNow).ok());
}

TEST(ShopifyEvents, CustomersConsentAndPrivacyTopics) {
  auto created = ShopifyChanges(
      "customers/create",
      json::parse(R"({"id": 706405506930370084, "email": "bob@example.com", "first_name": "Bob", "last_name": null,
                      "created_at": "2026-05-01T00:00:00Z", "email_marketing_consent": {"state": "unsubscribed"}})"),
      kNow);
  ASSERT_TRUE(created.ok());
  ASSERT_EQ(created->clients.size(), 1u);
  EXPECT_EQ(created->clients[0].external_id, "706405506930370084");
  EXPECT_EQ(created->clients[0].name, "Bob");
  EXPECT_EQ(created->suppress, std::vector<std::string>{"bob@example.com"});

  auto withdrawn = ShopifyChanges("customers_email_marketing_consent/update",
                                  json::parse(R"({"customer_id": 1, "email_address": "bob@example.com",
                      "email_marketing_consent": {"state": "unsubscribed", "opt_in_level": null}})"),
                                  kNow);
  ASSERT_TRUE(withdrawn.ok());
  EXPECT_EQ(withdrawn->suppress, std::vector<std::string>{"bob@example.com"});
  auto subscribed = ShopifyChanges(
      "customers_email_marketing_consent/update",
      json::parse(
          R"({"customer_id": 1, "email_address": "bob@example.com", "email_marketing_consent": {"state": "subscribed"}})"),
      kNow);
  ASSERT_TRUE(subscribed.ok());
  EXPECT_TRUE(subscribed->suppress.empty());
  EXPECT_FALSE(subscribed->ignored.empty());

  auto redact = ShopifyChanges("customers/redact", json::parse(R"({"shop_id": 954889, "shop_domain": "x.myshopify.com",
                      "customer": {"id": 191167, "email": "john@example.com", "phone": "555-625-1199"},
                      "orders_to_redact": [1, 2]})"),
                               kNow);
  ASSERT_TRUE(redact.ok());
  EXPECT_EQ(redact->forget_external_ids, std::vector<std::string>{"191167"});
  EXPECT_EQ(redact->forget_emails, std::vector<std::string>{"john@example.com"});
  auto deleted = ShopifyChanges("customers/delete", json::parse(R"({"id": 191167})"), kNow);
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(deleted->forget_external_ids, std::vector<std::string>{"191167"});

  for (const char* topic : {"customers/data_request", "shop/redact", "refunds/create", "products/update"}) {
    auto ignored = ShopifyChanges(topic, json::parse(R"({"shop_id": 1})"), kNow);
    ASSERT_TRUE(ignored.ok()) << topic;
    EXPECT_FALSE(ignored->ignored.empty()) << topic;
    EXPECT_TRUE(ignored->orders.empty() && ignored->clients.empty() && ignored->forget_external_ids.empty());
  }
}

json WooOrder() {
  return json::parse(R"({
    "id": 727, "number": "727", "status": "processing", "customer_id": 26,
    "date_created_gmt": "2026-05-19T19:40:00", "date_paid_gmt": "2026-05-19T19:45:00", "total": "29.35",
    "billing": {"first_name": "John", "last_name": "Doe", "email": "john.doe@example.com"},
    "line_items": [{"id": 315, "name": "Woo Single #1", "product_id": 93, "quantity": 2, "price": 3}],
    "refunds": [{"id": 728, "reason": "", "total": "-5.00"}]
  })");
}

TEST(WooCommerceEvents, AnOrderIsWorthWhatWasKept) {
  auto changes = WooCommerceChanges("order.created", WooOrder(), kNow);
  ASSERT_TRUE(changes.ok()) << changes.status().ToString();
  const OrderRow& o = changes->orders.at(0);
  EXPECT_EQ(o.external_id, "727");
  EXPECT_EQ(o.client_external_id, "26");
  EXPECT_EQ(o.client_email, "john.doe@example.com");
  EXPECT_EQ(o.client_name, "John Doe");
  EXPECT_EQ(o.order_date, *ParseRfc3339("2026-05-19T19:40:00Z"));  // *_gmt: UTC without an offset
  EXPECT_EQ(o.total_cents, 2435);                                  // 29.35 less the 5.00 refunded
  EXPECT_EQ(o.status, kOrderCreated);
  EXPECT_EQ(o.items.at(0).quantity, 2);
}

TEST(WooCommerceEvents, StatusesGuestsAndDeletions) {
  for (const char* status : {"cancelled", "refunded", "failed", "trash"}) {
    json body = WooOrder();
    body["status"] = status;
    auto changes = WooCommerceChanges("order.updated", body, kNow);
    ASSERT_TRUE(changes.ok());
    EXPECT_EQ(changes->orders.at(0).status, kOrderCancelled) << status;
  }
  json pending = WooOrder();
  pending["status"] = "pending";
  auto unpaid = WooCommerceChanges("order.created", pending, kNow);
  ASSERT_TRUE(unpaid.ok());
  EXPECT_TRUE(unpaid->orders.empty());
  EXPECT_FALSE(unpaid->ignored.empty());

  json guest = WooOrder();
  guest["customer_id"] = 0;  // a guest checkout
  auto by_address = WooCommerceChanges("order.created", guest, kNow);
  ASSERT_TRUE(by_address.ok());
  EXPECT_EQ(by_address->orders.at(0).client_external_id, "");
  EXPECT_EQ(by_address->orders.at(0).client_email, "john.doe@example.com");

  auto deleted = WooCommerceChanges("order.deleted", json::parse(R"({"id": 727})"), kNow);
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(deleted->cancel_orders, std::vector<std::string>{"727"});
  auto gone = WooCommerceChanges("customer.deleted", json::parse(R"({"id": 26})"), kNow);
  ASSERT_TRUE(gone.ok());
  EXPECT_EQ(gone->forget_external_ids, std::vector<std::string>{"26"});
  auto customer = WooCommerceChanges(
      "customer.updated", json::parse(R"({"id": 26, "email": "j@example.com", "first_name": "J", "last_name": "D",
                      "date_created_gmt": "2026-01-01T00:00:00"})"),
      kNow);
  ASSERT_TRUE(customer.ok());
  EXPECT_EQ(customer->clients.at(0).external_id, "26");
  EXPECT_EQ(customer->clients.at(0).name, "J D");
  json bad = WooOrder();
  bad["refunds"][0]["total"] = "lots";
  EXPECT_EQ(WooCommerceChanges("order.created", bad, kNow).status().field(), "total");
}

// The Segment spec's examples (segment.com/docs/connections/spec/ecommerce/v2/).
TEST(CdpEvents, IdentifyAndOrderCompleted) {
  auto identify = CdpChanges(json::parse(R"({"type": "identify", "userId": "97980cfea0067", "messageId": "m1",
      "traits": {"email": "peter@example.com", "firstName": "Peter", "lastName": "Gibbons",
                 "createdAt": "2026-01-05T12:00:00Z"}})"),
                             kNow);
  ASSERT_TRUE(identify.ok()) << identify.status().ToString();
  ASSERT_EQ(identify->clients.size(), 1u);
  EXPECT_EQ(identify->clients[0].external_id, "97980cfea0067");
  EXPECT_EQ(identify->clients[0].name, "Peter Gibbons");
  EXPECT_EQ(identify->clients[0].created_at, ParseRfc3339("2026-01-05T12:00:00Z"));

  auto order = CdpChanges(json::parse(R"({"type": "track", "event": "Order Completed", "userId": "97980cfea0067",
      "timestamp": "2026-05-30T10:00:00Z", "context": {"traits": {"email": "peter@example.com"}},
      "properties": {"order_id": "50314b8e9bcf000000000000", "total": 27.50, "revenue": 25.00, "currency": "USD",
                     "products": [{"product_id": "507f1f77bcf86cd799439011", "sku": "45790-32", "name": "Monopoly",
                                   "price": 19, "quantity": 1, "category": "Games"}]}})"),
                          kNow);
  ASSERT_TRUE(order.ok()) << order.status().ToString();
  const OrderRow& o = order->orders.at(0);
  EXPECT_EQ(o.external_id, "50314b8e9bcf000000000000");
  EXPECT_EQ(o.client_external_id, "97980cfea0067");
  EXPECT_EQ(o.client_email, "peter@example.com");
  EXPECT_EQ(o.total_cents, 2750);  // total, not revenue (which leaves out shipping and tax)
  EXPECT_EQ(o.order_date, *ParseRfc3339("2026-05-30T10:00:00Z"));
  EXPECT_EQ(o.items.at(0).name, "Monopoly");
  EXPECT_EQ(order->clients.at(0).external_id, "97980cfea0067");

  auto revenue_only = CdpChanges(json::parse(R"({"type": "track", "event": "Order Completed", "userId": "u1",
      "properties": {"order_id": "o2", "revenue": 12.5}})"),
                                 kNow);
  ASSERT_TRUE(revenue_only.ok());
  EXPECT_EQ(revenue_only->orders.at(0).total_cents, 1250);
  EXPECT_EQ(revenue_only->orders.at(0).order_date, kNow);  // no timestamp: now
}

TEST(CdpEvents, CancellationsOtherEventsAndBadInput) {
  auto cancelled = CdpChanges(
      json::parse(R"({"type": "track", "event": "Order Cancelled", "properties": {"order_id": "o1"}})"), kNow);
  ASSERT_TRUE(cancelled.ok());
  EXPECT_EQ(cancelled->cancel_orders, std::vector<std::string>{"o1"});
  auto partial = CdpChanges(json::parse(R"({"type": "track", "event": "Order Refunded",
      "properties": {"order_id": "o1", "products": [{"product_id": "p", "price": 1}]}})"),
                            kNow);
  ASSERT_TRUE(partial.ok());
  EXPECT_TRUE(partial->cancel_orders.empty());
  EXPECT_FALSE(partial->ignored.empty());
  auto viewed = CdpChanges(json::parse(R"({"type": "track", "event": "Product Viewed", "userId": "u"})"), kNow);
  ASSERT_TRUE(viewed.ok());
  EXPECT_FALSE(viewed->ignored.empty());
  const std::vector<std::pair<std::string, std::string>> bad = {
      {R"({"type": "page"})", "type"},
      {R"({"type": "identify", "traits": {}})", "userId"},
      {R"({"type": "track", "event": "Order Completed", "userId": "u", "properties": {"total": 3}})", "order_id"},
      {R"({"type": "track", "event": "Order Completed", "userId": "u", "properties": {"order_id": "o"}})", "total"},
      {R"({"type": "track", "event": "Order Completed", "userId": "u",
          "properties": {"order_id": "o", "total": -3}})",
       "total"},
      {R"({"type": "track", "event": "Order Completed", "userId": "u", "timestamp": "soon",
          "properties": {"order_id": "o", "total": 3}})",
       "timestamp"},
  };
  for (const auto& [body, field] : bad) {
    auto r = CdpChanges(json::parse(body), kNow);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.status().field(), field) << body << ": " << r.status().ToString();
  }
}

}  // namespace
}  // namespace rkd
