// Reading the values the shop platforms' JSON carries, as an import checks them: ids that
// come as numbers or strings, amounts as decimal strings, RFC 3339 times. Each failure is
// InvalidArgument naming the field as the platform spells it. Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "base/status.h"
#include "base/time.h"
#include "domain/import_rows.h"
#include "domain/order.h"

namespace rkd {

// `object`'s member `field`, or null when `object` is not an object or has none.
const nlohmann::json& Member(const nlohmann::json& object, const char* field);
// An id (a positive integer or a non-empty string of at most 128 printable ASCII
// characters) as text; "" when absent or null (or 0, WooCommerce's guest customer).
Result<std::string> ShopId(const nlohmann::json& object, const char* field);
// A required id.
Result<std::string> RequiredShopId(const nlohmann::json& object, const char* field);
// An amount ("12.50" or 12.5) in cents; `fallback` when absent or null; negative refused
// unless `allow_negative` (a WooCommerce refund's total is "-5.00").
Result<int64_t> ShopCents(const nlohmann::json& object, const char* field, std::optional<int64_t> fallback,
                          bool allow_negative = false);
// A time (RFC 3339; WooCommerce's *_gmt fields have no offset and are UTC); nullopt when
// absent or null.
Result<std::optional<Millis>> ShopTime(const nlohmann::json& object, const char* field, Millis now);
// A string field, "" when absent or null; refused when not a string.
Result<std::string> ShopText(const nlohmann::json& object, const char* field);
// A customer object ({id, email, first_name, last_name, <created_field>}, as Shopify and
// WooCommerce both send it) as a client row; its id is required.
Result<ClientRow> ShopCustomer(const nlohmann::json& customer, const char* created_field, Millis now);
// `s` with A-Z lowered (ids, addresses and header words compared without case).
std::string AsciiLower(std::string s);
// "First Last", either part may be empty.
std::string JoinName(const std::string& first, const std::string& last);
// An order's line items ([{id, product_id, title|name, price, quantity}]), as the store
// keeps them.
Result<std::vector<OrderItem>> ShopItems(const nlohmann::json& object, const char* field, const char* name_field);

}  // namespace rkd
