// A shop platform's REST API as the reconciliation reads it (issue 17): the first page's
// URL for what changed since a cursor, and each page's records and next page. Shopify:
// the Admin REST API (`/admin/api/<version>/orders.json`, `customers.json`; up to 250 a
// page, in updated_at order from `updated_at_min`; the next page in the `Link` header's
// rel="next" with its page_info). WooCommerce: `/wp-json/wc/v3/orders` (up to 100 a
// page, in modified order after `modified_after`) and `/customers` (no such filter: the
// sync skips those not modified since the cursor); the next page by its number, up to
// X-WP-TotalPages. Pure; thread-safe.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "integrations/shop_changes.h"

namespace rkd {

enum class ShopResource { kOrders, kCustomers };
const char* ResourceName(ShopResource r);  // "orders", "customers"

// One platform's API, as configured: never shown (its headers carry the credentials).
struct ShopConnection {
  std::string source;                     // "shopify", "woocommerce"
  std::string name;                       // "Shopify", "WooCommerce"
  std::string url;                        // the shop's address, without a trailing '/'
  std::string api_version;                // Shopify's Admin API version
  std::vector<std::string> auth_headers;  // "Name: value"
  int page_size = 0;                      // records asked for a page
};

ShopConnection ShopifyConnection(const std::string& shop_url, const std::string& access_token,
                                 const std::string& api_version);
ShopConnection WooCommerceConnection(const std::string& site_url, const std::string& consumer_key,
                                     const std::string& consumer_secret);

// The first page of what changed at or after `cursor` (RFC 3339; empty: everything).
std::string FirstPageUrl(const ShopConnection& c, ShopResource r, Millis cursor_or_zero);

struct ShopPage {
  std::vector<nlohmann::json> records;
  std::optional<std::string> next_url;  // nullopt: the last page
};

// A 200 answer read: its records (InvalidArgument when the body is not the platform's
// list) and the next page, which must be on the shop's own address (an answer cannot
// send the credentials elsewhere: InvalidArgument).
Result<ShopPage> ReadShopPage(const ShopConnection& c, ShopResource r, const std::string& url,
                              const std::map<std::string, std::string>& headers, const std::string& body);

// The URL of rel="next" in a Link header (RFC 8288), if any.
std::optional<std::string> LinkNext(const std::string& link_header);

// When a record last changed, as the platform says (Shopify updated_at, WooCommerce
// date_modified_gmt): InvalidArgument when missing or not a time.
Result<Millis> RecordModifiedAt(const ShopConnection& c, const nlohmann::json& record);
// Its id, for messages ("order 450789469").
std::string RecordId(const nlohmann::json& record);
// The record read as the same platform's webhook for it would be (orders/updated,
// customer.updated…): the two paths write the same thing.
Result<ShopChanges> RecordChanges(const ShopConnection& c, ShopResource r, const nlohmann::json& record, Millis now);

}  // namespace rkd
