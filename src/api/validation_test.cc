#include "api/validation.h"

#include <gtest/gtest.h>

namespace rkd {
namespace {

using nlohmann::json;
constexpr Millis kNow = 1'780'000'000'000;

std::string FieldOf(const Status& st) { return st.ok() ? "<ok>" : st.field(); }

TEST(ValidationTest, EmailAddresses) {
  for (const char* good : {"a@b.co", "first.last+tag@shop.example.com", "o'neil@x-y.org"})
    EXPECT_TRUE(IsValidEmailAddress(good)) << good;
  for (const char* bad :
       {"", "plain", "@x.com", "a@", "a@b", "a@@b.com", "a b@c.com", "a@-b.com", "a..b@c.com", "a@b..com", ".a@b.com"})
    EXPECT_FALSE(IsValidEmailAddress(bad)) << bad;
}

TEST(ValidationTest, NewUserNamesTheOffendingField) {
  EXPECT_TRUE(ParseNewUser(json{{"email", "a@b.co"}, {"name", "A"}}, kNow).ok());
  EXPECT_EQ(FieldOf(ParseNewUser(json{{"name", "A"}}, kNow).status()), "email");
  EXPECT_EQ(FieldOf(ParseNewUser(json{{"email", "a@b.co"}}, kNow).status()), "name");
  EXPECT_EQ(FieldOf(ParseNewUser(json{{"email", "nope"}, {"name", "A"}}, kNow).status()), "email");
  EXPECT_EQ(FieldOf(ParseNewUser(json{{"email", 5}, {"name", "A"}}, kNow).status()), "email");
  EXPECT_EQ(FieldOf(ParseNewUser(json{{"email", "a@b.co"}, {"name", "  "}}, kNow).status()), "name");
  EXPECT_EQ(FieldOf(ParseNewUser(json{{"email", "a@b.co"}, {"name", "A"}, {"nickname", "x"}}, kNow).status()),
            "nickname");
  EXPECT_EQ(FieldOf(ParseNewUser(json{{"email", "a@b.co"}, {"name", "A"}, {"engagementScore", 3}}, kNow).status()),
            "engagementScore");
  EXPECT_EQ(FieldOf(ParseNewUser(json{{"email", "a@b.co"}, {"name", "A"}, {"orderCount", -1}}, kNow).status()),
            "orderCount");
  EXPECT_EQ(FieldOf(ParseNewUser(json{{"email", "a@b.co"}, {"name", "A"}, {"orderCount", 1.5}}, kNow).status()),
            "orderCount");
  EXPECT_EQ(FieldOf(ParseNewUser(json{{"email", "a@b.co"}, {"name", "A"}, {"averageOrderValue", "12"}}, kNow).status()),
            "averageOrderValue");
  EXPECT_EQ(
      FieldOf(ParseNewUser(json{{"email", "a@b.co"}, {"name", "A"}, {"lastOrderDate", "2099-01-01"}}, kNow).status()),
      "lastOrderDate");
  EXPECT_EQ(
      FieldOf(ParseNewUser(json{{"email", "a@b.co"}, {"name", "A"}, {"preferredCategories", {1}}}, kNow).status()),
      "preferredCategories");
}

TEST(ValidationTest, PatchNeedsAField) {
  EXPECT_FALSE(ParseUserPatch(json::object(), kNow).ok());
  auto clear = ParseUserPatch(json{{"lastOrderDate", nullptr}}, kNow);
  ASSERT_TRUE(clear.ok());
  EXPECT_TRUE(clear->last_order_date.has_value());
  EXPECT_FALSE(clear->last_order_date->has_value());
  EXPECT_EQ(FieldOf(ParseUserPatch(json{{"userId", "x"}}, kNow).status()), "userId");
}

TEST(ValidationTest, Orders) {
  json good = {
      {"userId", "u1"}, {"totalValue", 19.99}, {"items", {{{"productId", "p"}, {"price", 19.99}, {"quantity", 1}}}}};
  auto o = ParseNewOrder(good, kNow);
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->order_date, kNow);
  EXPECT_EQ(o->items.size(), 1u);

  json neg = good;
  neg["totalValue"] = -1;
  EXPECT_EQ(FieldOf(ParseNewOrder(neg, kNow).status()), "totalValue");
  json str = good;
  str["totalValue"] = "19.99";
  EXPECT_EQ(FieldOf(ParseNewOrder(str, kNow).status()), "totalValue");
  json future = good;
  future["orderDate"] = "2100-01-01T00:00:00Z";
  EXPECT_EQ(FieldOf(ParseNewOrder(future, kNow).status()), "orderDate");
  json bad_date = good;
  bad_date["orderDate"] = "2024-02-30";
  EXPECT_EQ(FieldOf(ParseNewOrder(bad_date, kNow).status()), "orderDate");
  json bad_item = good;
  bad_item["items"][0]["quantity"] = 0;
  EXPECT_EQ(FieldOf(ParseNewOrder(bad_item, kNow).status()), "items[0].quantity");
  json extra_item = good;
  extra_item["items"][0]["colour"] = "red";
  EXPECT_EQ(FieldOf(ParseNewOrder(extra_item, kNow).status()), "items[0].colour");
  json no_items = good;
  no_items.erase("items");
  EXPECT_EQ(FieldOf(ParseNewOrder(no_items, kNow).status()), "items");
}

// An item's price is money the shop took: never negative (a hand mutant that accepted
// it went unnoticed, issue 14). The error names the item and the field; zero is a gift.
TEST(ValidationTest, AnItemPriceMustNotBeNegative) {
  json order = {{"userId", "u1"},
                {"totalValue", 10},
                {"items",
                 {{{"productId", "p"}, {"price", 10}, {"quantity", 1}},
                  {{"productId", "q"}, {"price", -0.01}, {"quantity", 1}}}}};
  Status st = ParseNewOrder(order, kNow).status();
  EXPECT_EQ(st.code(), Code::kInvalidArgument);
  EXPECT_EQ(st.field(), "items[1].price");
  order["items"][1]["price"] = -5;
  EXPECT_EQ(FieldOf(ParseNewOrder(order, kNow).status()), "items[1].price");
  order["items"][1]["price"] = "5";
  EXPECT_EQ(FieldOf(ParseNewOrder(order, kNow).status()), "items[1].price");
  order["items"][1]["price"] = 0;
  auto free_item = ParseNewOrder(order, kNow);
  ASSERT_TRUE(free_item.ok()) << free_item.status().ToString();
  EXPECT_EQ(free_item->items.at(1).price, 0);
}

TEST(ValidationTest, OrderExternalIdAndIdempotencyKey) {
  json good = {{"userId", "u1"}, {"totalValue", 5}, {"items", json::array()}};
  auto plain = ParseNewOrder(good, kNow);
  ASSERT_TRUE(plain.ok());
  EXPECT_TRUE(plain->external_id.empty());
  EXPECT_FALSE(plain->order_date_given);
  json dated = good;
  dated["orderDate"] = "2026-01-31T12:00:00Z";
  EXPECT_TRUE(ParseNewOrder(dated, kNow)->order_date_given);

  json with_id = good;
  with_id["externalId"] = "SO-1001/A #7";
  EXPECT_EQ(ParseNewOrder(with_id, kNow)->external_id, "SO-1001/A #7");
  EXPECT_EQ(ParseNewOrder(good, kNow, std::string("key-1"))->external_id, "key-1");
  EXPECT_EQ(ParseNewOrder(with_id, kNow, std::string("SO-1001/A #7"))->external_id, "SO-1001/A #7");
  EXPECT_EQ(FieldOf(ParseNewOrder(with_id, kNow, std::string("SO-1002")).status()), "externalId");
  EXPECT_TRUE(ParseNewOrder(good, kNow, std::string(128, 'k')).ok());

  for (const std::string& bad :
       {std::string(), std::string(129, 'k'), std::string("a\tb"), std::string("a\001b"), std::string("a\x7f"),
        std::string("caf\xc3\xa9"), std::string(" k"), std::string("k ")}) {
    EXPECT_EQ(FieldOf(ParseNewOrder(good, kNow, bad).status()), "Idempotency-Key") << bad;
    json body = good;
    body["externalId"] = bad;
    EXPECT_EQ(FieldOf(ParseNewOrder(body, kNow).status()), "externalId") << bad;
  }
  json number = good;
  number["externalId"] = 1001;
  EXPECT_EQ(FieldOf(ParseNewOrder(number, kNow).status()), "externalId");
}

TEST(ValidationTest, UserQuery) {
  auto q = ParseUserQuery({{"sort", "score"}, {"atRisk", "true"}, {"limit", "20"}}, 75);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->sort, UserSort::kScore);
  EXPECT_FALSE(q->descending);
  EXPECT_EQ(q->score_below, 75);
  EXPECT_EQ(q->limit, 20);
  EXPECT_EQ(FieldOf(ParseUserQuery({{"limit", "0"}}, 75).status()), "limit");
  EXPECT_EQ(FieldOf(ParseUserQuery({{"limit", "abc"}}, 75).status()), "limit");
  EXPECT_EQ(FieldOf(ParseUserQuery({{"sort", "age"}}, 75).status()), "sort");
  EXPECT_EQ(FieldOf(ParseUserQuery({{"atRisk", "maybe"}}, 75).status()), "atRisk");
}

TEST(ValidationTest, Bodies) {
  EXPECT_FALSE(ParseJsonObject("").ok());
  EXPECT_FALSE(ParseJsonObject("{").ok());
  EXPECT_FALSE(ParseJsonObject("[1]").ok());
  EXPECT_TRUE(ParseJsonObject("{}").ok());
}

}  // namespace
}  // namespace rkd
