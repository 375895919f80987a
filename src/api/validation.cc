#include "api/validation.h"

#include <charconv>
#include <cmath>
#include <set>

#include "base/time_zone.h"

namespace rkd {
namespace {

using nlohmann::json;

Status Invalid(const std::string& field, const std::string& why) {
  return Status::InvalidArgument(field + " " + why, field);
}

// Any field not listed is a client mistake (a typo would otherwise be silently lost).
// Read-only fields get their own message.
Status CheckFields(const json& body, const std::set<std::string>& allowed, const std::string& prefix = {}) {
  static const std::set<std::string> kReadOnly = {"engagementScore", "createdAt", "updatedAt"};
  for (const auto& [key, value] : body.items()) {
    if (allowed.count(key)) continue;
    if (prefix.empty() && kReadOnly.count(key)) return Invalid(key, "is computed by the server and cannot be written");
    return Invalid(prefix + key, "is not a known field");
  }
  return Status::Ok();
}

Result<std::string> RequiredString(const json& body, const std::string& field, size_t max_len) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return Invalid(field, "is required");
  if (!it->is_string()) return Invalid(field, "must be a string");
  std::string v = it->get<std::string>();
  const size_t first = v.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return Invalid(field, "must not be empty");
  v = v.substr(first, v.find_last_not_of(" \t\r\n") - first + 1);
  if (v.size() > max_len) return Invalid(field, "must be at most " + std::to_string(max_len) + " characters");
  return v;
}

Result<double> NonNegativeNumber(const json& v, const std::string& field) {
  if (!v.is_number()) return Invalid(field, "must be a number");
  const double d = v.get<double>();
  if (!std::isfinite(d)) return Invalid(field, "must be a finite number");
  if (d < 0) return Invalid(field, "must not be negative");
  if (d > 1e12) return Invalid(field, "is too large");
  return d;
}

Result<int64_t> NonNegativeInteger(const json& v, const std::string& field) {
  if (v.is_number_float() && std::floor(v.get<double>()) == v.get<double>()) {
    if (v.get<double>() < 0) return Invalid(field, "must not be negative");
    if (v.get<double>() > 1e15) return Invalid(field, "is too large");
    return static_cast<int64_t>(v.get<double>());
  }
  if (!v.is_number_integer()) return Invalid(field, "must be a whole number");
  if (v.is_number_unsigned()) {
    if (v.get<uint64_t>() > 1'000'000'000'000'000ULL) return Invalid(field, "is too large");
    return static_cast<int64_t>(v.get<uint64_t>());
  }
  if (v.get<int64_t>() < 0) return Invalid(field, "must not be negative");
  return v.get<int64_t>();
}

// A past-or-present RFC 3339 date (null allowed when `nullable`).
Result<std::optional<Millis>> PastDate(const json& v, const std::string& field, Millis now, bool nullable) {
  if (v.is_null()) {
    if (nullable) return std::optional<Millis>();
    return Invalid(field, "is required");
  }
  if (!v.is_string()) return Invalid(field, "must be an RFC 3339 date string");
  auto t = ParseRfc3339(v.get<std::string>());
  if (!t) return Invalid(field, "must be an RFC 3339 date such as 2026-01-31T12:00:00Z");
  if (*t > now + kClockSkewAllowance) return Invalid(field, "must not be in the future");
  if (*t < 0) return Invalid(field, "must not be before 1970");
  return std::optional<Millis>(*t);
}

Result<std::vector<std::string>> Categories(const json& v) {
  const std::string field = "preferredCategories";
  if (!v.is_array()) return Invalid(field, "must be an array of strings");
  if (v.size() > 50) return Invalid(field, "must have at most 50 entries");
  std::vector<std::string> out;
  for (const auto& c : v) {
    if (!c.is_string() || c.get<std::string>().empty()) return Invalid(field, "must contain only non-empty strings");
    if (c.get<std::string>().size() > 100) return Invalid(field, "entries must be at most 100 characters");
    out.push_back(c.get<std::string>());
  }
  return out;
}

bool IsIdChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == ':';
}

// Fills the optional writable user fields present in `body` into `patch`.
Status ReadUserFields(const json& body, Millis now, UserPatch* patch) {
  if (auto it = body.find("email"); it != body.end()) {
    auto email = RequiredString(body, "email", 254);
    if (!email.ok()) return email.status();
    if (!IsValidEmailAddress(*email)) return Invalid("email", "is not a valid email address");
    patch->email = *email;
  }
  if (auto it = body.find("name"); it != body.end()) {
    auto name = RequiredString(body, "name", 200);
    if (!name.ok()) return name.status();
    patch->name = *name;
  }
  if (auto it = body.find("lastOrderDate"); it != body.end()) {
    auto d = PastDate(*it, "lastOrderDate", now, true);
    if (!d.ok()) return d.status();
    patch->last_order_date = *d;
  }
  if (auto it = body.find("lastEmailDate"); it != body.end()) {
    auto d = PastDate(*it, "lastEmailDate", now, true);
    if (!d.ok()) return d.status();
    patch->last_email_date = *d;
  }
  if (auto it = body.find("orderCount"); it != body.end()) {
    auto n = NonNegativeInteger(*it, "orderCount");
    if (!n.ok()) return n.status();
    patch->order_count = *n;
  }
  if (auto it = body.find("averageOrderValue"); it != body.end()) {
    auto v = NonNegativeNumber(*it, "averageOrderValue");
    if (!v.ok()) return v.status();
    patch->average_order_value = *v;
  }
  if (auto it = body.find("preferredCategories"); it != body.end()) {
    auto c = Categories(*it);
    if (!c.ok()) return c.status();
    patch->preferred_categories = *c;
  }
  if (auto it = body.find("timeZone"); it != body.end()) {
    // An IANA name the system's tzdata knows ("Europe/Berlin"); null: the shop's.
    if (it->is_null()) {
      patch->time_zone = "";
    } else {
      if (!it->is_string()) return Invalid("timeZone", "must be an IANA time zone name such as Europe/Berlin, or null");
      if (!TimeZone::Find(it->get<std::string>()))
        return Invalid("timeZone", "is not a known IANA time zone (such as Europe/Berlin)");
      patch->time_zone = it->get<std::string>();
    }
  }
  return Status::Ok();
}

const std::set<std::string> kWritableUserFields = {
    "email",         "name",    "lastOrderDate", "orderCount", "averageOrderValue", "preferredCategories",
    "lastEmailDate", "timeZone"};

}  // namespace

bool IsValidEmailAddress(const std::string& s) {
  if (s.size() > 254) return false;
  const size_t at = s.find('@');
  if (at == std::string::npos || at == 0 || at > 64 || s.find('@', at + 1) != std::string::npos) return false;
  const std::string local = s.substr(0, at), domain = s.substr(at + 1);
  static const std::string kLocalSpecials = "!#$%&'*+/=?^_`{|}~.-";
  for (char c : local)
    if (!std::isalnum(static_cast<unsigned char>(c)) && kLocalSpecials.find(c) == std::string::npos) return false;
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string::npos) return false;
  if (domain.size() < 3 || domain.find('.') == std::string::npos) return false;
  size_t label_start = 0;
  for (size_t i = 0; i <= domain.size(); ++i) {
    if (i == domain.size() || domain[i] == '.') {
      const size_t len = i - label_start;
      if (len == 0 || len > 63 || domain[label_start] == '-' || domain[i - 1] == '-') return false;
      label_start = i + 1;
    } else if (!std::isalnum(static_cast<unsigned char>(domain[i])) && domain[i] != '-') {
      return false;
    }
  }
  return true;
}

Result<json> ParseJsonObject(const std::string& body) {
  if (body.empty()) return Status::InvalidArgument("request body is empty; a JSON object is expected");
  // A key given twice has two meanings (parsers differ on which wins): refuse it.
  std::vector<std::set<std::string>> keys;  // the keys seen in each open object
  std::string duplicate;
  json j = json::parse(
      body,
      [&](int, json::parse_event_t event, json& parsed) {
        if (event == json::parse_event_t::object_start) keys.emplace_back();
        if (event == json::parse_event_t::object_end && !keys.empty()) keys.pop_back();
        if (event == json::parse_event_t::key && !keys.empty() &&
            !keys.back().insert(parsed.get<std::string>()).second && duplicate.empty())
          duplicate = parsed.get<std::string>();
        return true;
      },
      /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::InvalidArgument("request body is not valid JSON");
  if (!duplicate.empty())
    return Status::InvalidArgument("request body gives " + duplicate + " more than once", duplicate);
  if (!j.is_object()) return Status::InvalidArgument("request body must be a JSON object");
  return j;
}

Result<User> ParseNewUser(const json& body, Millis now) {
  std::set<std::string> allowed = kWritableUserFields;
  allowed.insert("userId");
  RKD_RETURN_IF_ERROR(CheckFields(body, allowed));
  for (const char* required : {"email", "name"})
    if (!body.contains(required) || body[required].is_null()) return Invalid(required, "is required");
  UserPatch patch;
  RKD_RETURN_IF_ERROR(ReadUserFields(body, now, &patch));
  User u;
  if (auto it = body.find("userId"); it != body.end() && !it->is_null()) {
    if (!it->is_string()) return Invalid("userId", "must be a string");
    const std::string id = it->get<std::string>();
    if (id.empty() || id.size() > 64 || !std::all_of(id.begin(), id.end(), IsIdChar))
      return Invalid("userId", "must be 1-64 characters of letters, digits, '-', '_', '.' or ':'");
    u.user_id = id;
  }
  ApplyPatch(patch, &u);
  return u;
}

Result<UserPatch> ParseUserPatch(const json& body, Millis now) {
  if (body.contains("userId")) return Invalid("userId", "cannot be changed");
  RKD_RETURN_IF_ERROR(CheckFields(body, kWritableUserFields));
  UserPatch patch;
  RKD_RETURN_IF_ERROR(ReadUserFields(body, now, &patch));
  if (patch.empty()) return Status::InvalidArgument("request body must contain at least one field to update");
  return patch;
}

Status CheckExternalId(const std::string& value, const std::string& field) {
  if (value.empty()) return Invalid(field, "must not be empty");
  if (value.size() > 128) return Invalid(field, "must be at most 128 characters");
  for (unsigned char c : value)
    if (c < 0x20 || c > 0x7e) return Invalid(field, "must contain only printable ASCII characters");
  if (value.front() == ' ' || value.back() == ' ') return Invalid(field, "must not begin or end with a space");
  return Status::Ok();
}

Result<Order> ParseNewOrder(const json& body, Millis now, const std::optional<std::string>& idempotency_key) {
  RKD_RETURN_IF_ERROR(CheckFields(body, {"userId", "totalValue", "items", "orderDate", "externalId"}));
  Order o;
  if (idempotency_key) {
    RKD_RETURN_IF_ERROR(CheckExternalId(*idempotency_key, "Idempotency-Key"));
    o.external_id = *idempotency_key;
  }
  if (auto it = body.find("externalId"); it != body.end() && !it->is_null()) {
    if (!it->is_string()) return Invalid("externalId", "must be a string");
    RKD_RETURN_IF_ERROR(CheckExternalId(it->get<std::string>(), "externalId"));
    if (idempotency_key && *idempotency_key != it->get<std::string>())
      return Invalid("externalId", "differs from the Idempotency-Key header; send one, or the same value in both");
    o.external_id = it->get<std::string>();
  }
  auto user_id = RequiredString(body, "userId", 64);
  if (!user_id.ok()) return user_id.status();
  o.user_id = *user_id;
  if (!body.contains("totalValue") || body["totalValue"].is_null()) return Invalid("totalValue", "is required");
  auto total = NonNegativeNumber(body["totalValue"], "totalValue");
  if (!total.ok()) return total.status();
  o.total_value = std::round(*total * 100.0) / 100.0;
  if (!body.contains("items") || body["items"].is_null()) return Invalid("items", "is required");
  const json& items = body["items"];
  if (!items.is_array()) return Invalid("items", "must be an array");
  if (items.size() > 1000) return Invalid("items", "must have at most 1000 entries");
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string prefix = "items[" + std::to_string(i) + "].";
    const json& it = items[i];
    if (!it.is_object()) return Invalid("items[" + std::to_string(i) + "]", "must be an object");
    RKD_RETURN_IF_ERROR(CheckFields(it, {"itemId", "productId", "name", "category", "price", "quantity"}, prefix));
    OrderItem item;
    for (auto [key, target] : {std::pair{"itemId", &item.item_id}, std::pair{"productId", &item.product_id},
                               std::pair{"name", &item.name}, std::pair{"category", &item.category}}) {
      auto f = it.find(key);
      if (f == it.end() || f->is_null()) continue;
      if (!f->is_string()) return Invalid(prefix + key, "must be a string");
      if (f->get<std::string>().size() > 200) return Invalid(prefix + key, "must be at most 200 characters");
      *target = f->get<std::string>();
    }
    if (auto f = it.find("price"); f != it.end()) {
      auto p = NonNegativeNumber(*f, prefix + "price");
      if (!p.ok()) return p.status();
      item.price = *p;
    }
    if (auto f = it.find("quantity"); f != it.end()) {
      auto q = NonNegativeInteger(*f, prefix + "quantity");
      if (!q.ok()) return q.status();
      if (*q == 0) return Invalid(prefix + "quantity", "must be at least 1");
      item.quantity = *q;
    }
    o.items.push_back(std::move(item));
  }
  o.order_date = now;
  o.order_date_given = false;
  if (auto it = body.find("orderDate"); it != body.end() && !it->is_null()) {
    auto d = PastDate(*it, "orderDate", now, false);
    if (!d.ok()) return d.status();
    o.order_date = **d;
    o.order_date_given = true;
  }
  return o;
}

Status ParseLimitAndCursor(const std::map<std::string, std::string>& query, const PageLimits& limits, int* limit,
                           std::string* cursor) {
  *limit = limits.default_limit;
  if (auto it = query.find("limit"); it != query.end()) {
    const std::string range = "must be a whole number from 1 to " + std::to_string(limits.max_limit);
    const std::string& s = it->second;
    if (s.empty() || s.size() > 6 || !std::all_of(s.begin(), s.end(), ::isdigit)) return Invalid("limit", range);
    *limit = std::stoi(s);
    if (*limit < 1 || *limit > limits.max_limit) return Invalid("limit", range);
  }
  if (auto it = query.find("cursor"); it != query.end()) *cursor = it->second;
  return Status::Ok();
}

Result<UserQuery> ParseUserQuery(const std::map<std::string, std::string>& query, double threshold,
                                 const PageLimits& limits) {
  UserQuery q;
  RKD_RETURN_IF_ERROR(ParseLimitAndCursor(query, limits, &q.limit, &q.cursor));
  if (auto it = query.find("sort"); it != query.end()) {
    static const std::map<std::string, UserSort> kSorts = {{"createdAt", UserSort::kCreatedAt},
                                                           {"score", UserSort::kScore},
                                                           {"engagementScore", UserSort::kScore},
                                                           {"lastOrderDate", UserSort::kLastOrderDate},
                                                           {"name", UserSort::kName},
                                                           {"churnProbability", UserSort::kChurnProbability}};
    auto s = kSorts.find(it->second);
    if (s == kSorts.end())
      return Invalid("sort", "must be one of createdAt, score, lastOrderDate, name, churnProbability");
    q.sort = s->second;
    // Newest first, and the likeliest to churn first; the others ascending.
    q.descending = q.sort == UserSort::kCreatedAt || q.sort == UserSort::kChurnProbability;
  }
  // Issue 11: the clients whose predicted churn probability is at least this (0..1); the
  // list is then sorted by churn probability (another sort cannot go with it).
  if (auto it = query.find("minChurnProbability"); it != query.end()) {
    const std::string& text = it->second;
    double v = -1;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, v);
    if (text.empty() || text.size() > 32 || ec != std::errc() || ptr != end || !(v >= 0 && v <= 1))
      return Invalid("minChurnProbability", "must be a number from 0 to 1");
    if (query.count("sort") && q.sort != UserSort::kChurnProbability)
      return Invalid("minChurnProbability", "goes with sort=churnProbability (or no sort)");
    if (!query.count("sort")) {
      q.sort = UserSort::kChurnProbability;
      q.descending = true;
    }
    q.min_churn_probability = v;
  }
  if (auto it = query.find("order"); it != query.end()) {
    if (it->second != "asc" && it->second != "desc") return Invalid("order", "must be asc or desc");
    q.descending = it->second == "desc";
  }
  if (auto it = query.find("atRisk"); it != query.end()) {
    if (it->second != "true" && it->second != "false") return Invalid("atRisk", "must be true or false");
    if (it->second == "true") q.score_below = threshold;
  }
  if (auto it = query.find("search"); it != query.end()) {
    if (it->second.size() > 200) return Invalid("search", "must be at most 200 characters");
    q.search = it->second;
  }
  return q;
}

}  // namespace rkd
