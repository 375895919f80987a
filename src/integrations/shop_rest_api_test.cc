// The REST APIs' paging as the reconciliation reads it (shop_rest_api.h): the first
// pages' URLs, the Link header, the page's records and the refusal to follow a next
// page off the shop's address.
#include "integrations/shop_rest_api.h"

#include <gtest/gtest.h>

namespace rkd {
namespace {

const ShopConnection kShopify = ShopifyConnection("https://demo.myshopify.com", "shpat_x", "2024-10");
const ShopConnection kWoo = WooCommerceConnection("https://shop.example", "ck_1", "cs_2");

TEST(ShopRestApi, FirstPagesAskForWhatChangedSinceTheCursor) {
  const Millis cursor = *ParseRfc3339("2026-03-01T10:00:00Z");
  EXPECT_EQ(FirstPageUrl(kShopify, ShopResource::kOrders, cursor),
            "https://demo.myshopify.com/admin/api/2024-10/orders.json?limit=250&order=updated_at%20asc&status=any"
            "&updated_at_min=2026-03-01T10%3A00%3A00.000Z");
  EXPECT_EQ(FirstPageUrl(kShopify, ShopResource::kCustomers, 0),
            "https://demo.myshopify.com/admin/api/2024-10/customers.json?limit=250&order=updated_at%20asc");
  // modified_after is exclusive: a second early.
  EXPECT_EQ(FirstPageUrl(kWoo, ShopResource::kOrders, cursor),
            "https://shop.example/wp-json/wc/v3/orders?per_page=100&page=1&orderby=modified&order=asc"
            "&dates_are_gmt=true&modified_after=2026-03-01T09%3A59%3A59.000Z");
  EXPECT_EQ(FirstPageUrl(kWoo, ShopResource::kCustomers, cursor),
            "https://shop.example/wp-json/wc/v3/customers?per_page=100&page=1&orderby=id&order=asc&role=all");
}

TEST(ShopRestApi, CredentialsTravelInHeadersOnly) {
  EXPECT_EQ(kShopify.auth_headers, std::vector<std::string>{"X-Shopify-Access-Token: shpat_x"});
  EXPECT_EQ(kWoo.auth_headers, std::vector<std::string>{"Authorization: Basic Y2tfMTpjc18y"});  // ck_1:cs_2
  EXPECT_EQ(FirstPageUrl(kWoo, ShopResource::kOrders, 0).find("ck_1"), std::string::npos);
}

TEST(ShopRestApi, LinkNextIsFoundAmongTheRelations) {
  EXPECT_EQ(LinkNext(R"(<https://a.example/o.json?page_info=abc&limit=250>; rel="next")"),
            "https://a.example/o.json?page_info=abc&limit=250");
  EXPECT_EQ(LinkNext(R"(<https://a/p?page_info=1>; rel="previous", <https://a/n?page_info=2>; rel="next")"),
            "https://a/n?page_info=2");
  EXPECT_EQ(LinkNext(R"(<https://a/p?page=1>; rel="prev")"), std::nullopt);
  EXPECT_EQ(LinkNext(R"(<https://a/n?page=3>; rel=next)"), "https://a/n?page=3");
  EXPECT_EQ(LinkNext(""), std::nullopt);
  EXPECT_EQ(LinkNext("garbage; rel=next"), std::nullopt);
  EXPECT_EQ(LinkNext(R"(<https://a/n?x=1>; title="a, b"; rel="prefetch next")"), "https://a/n?x=1");
  EXPECT_EQ(LinkNext(R"(<https://a/n>; rel="nextish")"), std::nullopt);
}

TEST(ShopRestApi, AHostileLinkHeaderIsReadInLinearTime) {
  // What curl lets through (100 KB a header) and more: no recursion to run off the stack.
  EXPECT_EQ(LinkNext("<" + std::string(1 << 20, 'a')), std::nullopt);
  std::string many;
  for (int i = 0; i < 50'000; ++i) many += "<https://a/p>; rel=\"prev\", ";
  EXPECT_EQ(LinkNext(many + R"(<https://a/last>; rel=next)"), "https://a/last");
  EXPECT_EQ(LinkNext(std::string(1 << 20, '"')), std::nullopt);
}

TEST(ShopRestApi, ShopifyPagesFollowTheLinkOnTheShopOnly) {
  const std::string url = FirstPageUrl(kShopify, ShopResource::kOrders, 0);
  auto page = ReadShopPage(kShopify, ShopResource::kOrders, url,
                           {{"link",
                             "<https://demo.myshopify.com/admin/api/2024-10/orders.json?page_info=x>; "
                             "rel=\"next\""}},
                           R"({"orders": [{"id": 1}, {"id": 2}]})");
  ASSERT_TRUE(page.ok()) << page.status().message();
  EXPECT_EQ(page->records.size(), 2u);
  EXPECT_EQ(page->next_url, "https://demo.myshopify.com/admin/api/2024-10/orders.json?page_info=x");

  // An answer cannot send the access token to another host.
  auto elsewhere =
      ReadShopPage(kShopify, ShopResource::kOrders, url,
                   {{"link", "<https://evil.example/steal?page_info=x>; rel=\"next\""}}, R"({"orders": []})");
  ASSERT_FALSE(elsewhere.ok());
  EXPECT_EQ(elsewhere.status().field(), "link");
  auto downgraded =
      ReadShopPage(kShopify, ShopResource::kOrders, url,
                   {{"link", "<http://demo.myshopify.com/admin?page_info=x>; rel=\"next\""}}, R"({"orders": []})");
  EXPECT_FALSE(downgraded.ok());

  EXPECT_FALSE(ReadShopPage(kShopify, ShopResource::kOrders, url, {}, R"({"customers": []})").ok());
  EXPECT_FALSE(ReadShopPage(kShopify, ShopResource::kOrders, url, {}, "<html>").ok());
  auto last = ReadShopPage(kShopify, ShopResource::kOrders, url, {}, R"({"orders": []})");
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->next_url, std::nullopt);
}

TEST(ShopRestApi, WooCommercePagesCountUpToTotalPagesWithoutALink) {
  const std::string url = FirstPageUrl(kWoo, ShopResource::kOrders, 0);
  auto page = ReadShopPage(kWoo, ShopResource::kOrders, url, {{"x-wp-totalpages", "3"}}, R"([{"id": 5}])");
  ASSERT_TRUE(page.ok());
  ASSERT_TRUE(page->next_url);
  EXPECT_NE(page->next_url->find("page=2&"), std::string::npos) << *page->next_url;
  auto third = ReadShopPage(kWoo, ShopResource::kOrders, "https://shop.example/wp-json/wc/v3/orders?page=3",
                            {{"x-wp-totalpages", "3"}}, R"([{"id": 5}])");
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->next_url, std::nullopt);
  EXPECT_FALSE(ReadShopPage(kWoo, ShopResource::kOrders, url, {}, R"({"orders": []})").ok());
  // Its Link header is not followed: behind a proxy it may name another address.
  auto linked = ReadShopPage(kWoo, ShopResource::kOrders, url,
                             {{"x-wp-totalpages", "1"}, {"link", "<http://internal:8080/x?page=2>; rel=\"next\""}},
                             R"([{"id": 5}])");
  ASSERT_TRUE(linked.ok()) << linked.status().message();
  EXPECT_EQ(linked->next_url, std::nullopt);
  // Without X-WP-TotalPages (a proxy dropped it): on while the pages come full.
  nlohmann::json hundred = nlohmann::json::array();
  for (int i = 0; i < 100; ++i) hundred.push_back({{"id", i}});
  auto more = ReadShopPage(kWoo, ShopResource::kOrders, url, {}, hundred.dump());
  ASSERT_TRUE(more.ok());
  EXPECT_TRUE(more->next_url);
  auto short_page = ReadShopPage(kWoo, ShopResource::kOrders, url, {}, R"([{"id": 1}])");
  ASSERT_TRUE(short_page.ok());
  EXPECT_EQ(short_page->next_url, std::nullopt);
}

TEST(ShopRestApi, RecordsReadAsTheirWebhooks) {
  const auto order = nlohmann::json::parse(R"({"id": 450789469, "updated_at": "2026-03-02T09:00:00-05:00",
      "created_at": "2026-03-01T09:00:00-05:00", "email": "bob@example.com", "total_price": "19.90",
      "customer": {"id": 207119551, "email": "bob@example.com", "first_name": "Bob", "last_name": "Norman"}})");
  auto modified = RecordModifiedAt(kShopify, order);
  ASSERT_TRUE(modified.ok());
  EXPECT_EQ(FormatRfc3339(*modified), "2026-03-02T14:00:00.000Z");
  EXPECT_EQ(RecordId(order), "450789469");
  auto changes = RecordChanges(kShopify, ShopResource::kOrders, order, *ParseRfc3339("2026-04-01T00:00:00Z"));
  ASSERT_TRUE(changes.ok()) << changes.status().message();
  ASSERT_EQ(changes->orders.size(), 1u);
  EXPECT_EQ(changes->orders[0].total_cents, 1990);
  EXPECT_EQ(changes->clients.at(0).external_id, "207119551");

  const auto customer = nlohmann::json::parse(R"({"id": 7, "date_modified_gmt": "2026-03-02T09:00:00"})");
  auto woo_modified = RecordModifiedAt(kWoo, customer);
  ASSERT_TRUE(woo_modified.ok());
  EXPECT_EQ(FormatRfc3339(*woo_modified), "2026-03-02T09:00:00.000Z");
  EXPECT_FALSE(RecordModifiedAt(kWoo, nlohmann::json::parse(R"({"id": 7})")).ok());
  EXPECT_FALSE(RecordModifiedAt(kShopify, nlohmann::json::parse(R"({"updated_at": "yesterday"})")).ok());
}

}  // namespace
}  // namespace rkd
