#include "integrations/shop_json.h"

#include "import/row_parser.h"

namespace rkd {
namespace {

using nlohmann::json;

const json* Find(const json& object, const char* field) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(field);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

Status Bad(const char* field, const std::string& why) {
  return Status::InvalidArgument(std::string(field) + " " + why, field);
}

}  // namespace

const json& Member(const json& object, const char* field) {
  static const json kNull;
  if (!object.is_object()) return kNull;
  auto it = object.find(field);
  return it == object.end() ? kNull : *it;
}

Result<std::string> ShopId(const json& object, const char* field) {
  const json* v = Find(object, field);
  if (!v) return std::string();
  if (v->is_number_unsigned() || v->is_number_integer()) {
    const int64_t n = v->get<int64_t>();
    if (n < 0) return Bad(field, "must not be negative");
    return n == 0 ? std::string() : std::to_string(n);
  }
  if (!v->is_string()) return Bad(field, "must be an id (a number or a string)");
  const std::string s = v->get<std::string>();
  if (s.size() > 128) return Bad(field, "is longer than 128 characters");
  for (unsigned char c : s)
    if (c < 0x21 || c > 0x7e) return Bad(field, "must be printable ASCII");
  return s;
}

Result<std::string> RequiredShopId(const json& object, const char* field) {
  auto id = ShopId(object, field);
  if (id.ok() && id->empty()) return Bad(field, "is required");
  return id;
}

Result<int64_t> ShopCents(const json& object, const char* field, std::optional<int64_t> fallback, bool allow_negative) {
  const json* v = Find(object, field);
  if (!v) {
    if (fallback) return *fallback;
    return Bad(field, "is required");
  }
  std::string text;
  if (v->is_string()) {
    text = v->get<std::string>();
  } else if (v->is_number()) {
    text = v->dump();
  } else {
    return Bad(field, "must be an amount such as \"12.50\"");
  }
  const bool negative = allow_negative && !text.empty() && text.front() == '-';
  int64_t cents = 0;
  if (auto why = ParseCents(negative ? std::string_view(text).substr(1) : std::string_view(text), &cents))
    return Bad(field, *why);
  return negative ? -cents : cents;
}

Result<std::optional<Millis>> ShopTime(const json& object, const char* field, Millis now) {
  const json* v = Find(object, field);
  if (!v) return std::optional<Millis>();
  if (!v->is_string()) return Bad(field, "must be a time such as 2026-01-31T12:00:00Z");
  std::string text = v->get<std::string>();
  // WooCommerce's *_gmt times carry no offset: they are UTC.
  if (text.size() == 19 && text[10] == 'T') text += "Z";
  Millis t = 0;
  if (auto why = ParseDate(text, now, &t)) return Bad(field, *why);
  return std::optional<Millis>(t);
}

std::string AsciiLower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

Result<std::string> ShopText(const json& object, const char* field) {
  const json* v = Find(object, field);
  if (!v) return std::string();
  if (!v->is_string()) return Bad(field, "must be a string");
  return v->get<std::string>();
}

Result<ClientRow> ShopCustomer(const json& customer, const char* created_field, Millis now) {
  ClientRow row;
  row.line = 1;
  RKD_ASSIGN_OR_RETURN(row.external_id, RequiredShopId(customer, "id"));
  RKD_ASSIGN_OR_RETURN(row.email, ShopText(customer, "email"));
  RKD_ASSIGN_OR_RETURN(std::string first, ShopText(customer, "first_name"));
  RKD_ASSIGN_OR_RETURN(std::string last, ShopText(customer, "last_name"));
  row.name = JoinName(first, last);
  RKD_ASSIGN_OR_RETURN(row.created_at, ShopTime(customer, created_field, now));
  return row;
}

std::string JoinName(const std::string& first, const std::string& last) {
  if (first.empty()) return last;
  if (last.empty()) return first;
  return first + " " + last;
}

Result<std::vector<OrderItem>> ShopItems(const json& object, const char* field, const char* name_field) {
  std::vector<OrderItem> items;
  const json* v = Find(object, field);
  if (!v) return items;
  if (!v->is_array()) return Bad(field, "must be an array");
  for (const json& line : *v) {
    OrderItem item;
    RKD_ASSIGN_OR_RETURN(item.item_id, ShopId(line, "id"));
    RKD_ASSIGN_OR_RETURN(item.product_id, ShopId(line, "product_id"));
    RKD_ASSIGN_OR_RETURN(item.name, ShopText(line, name_field));
    RKD_ASSIGN_OR_RETURN(int64_t cents, ShopCents(line, "price", int64_t{0}));
    item.price = static_cast<double>(cents) / 100.0;
    const json* q = Find(line, "quantity");
    item.quantity = q && q->is_number_integer() && q->get<int64_t>() > 0 ? q->get<int64_t>() : 1;
    items.push_back(std::move(item));
  }
  return items;
}

}  // namespace rkd
