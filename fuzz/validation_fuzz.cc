// Fuzzes the API's input validation (api/validation.h). The input is used twice: as a
// request body (ParseJsonObject, then ParseNewUser, ParseUserPatch, ParseNewOrder) and
// as a query string "a=1&b=2" (ParseUserQuery, ParseLimitAndCursor). Properties:
//   - nothing throws (a client mistake is a 400 with a message, never a 500);
//   - a rejected JSON object names the offending field (the exceptions: a patch that
//     names no field at all, and a field whose name is "");
//   - what is accepted holds what the API promises: a valid email, a non-empty trimmed
//     name, non-negative finite numbers, dates not before 1970 nor in the future, limits
//     in 1..500.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "api/validation.h"
#include "fuzz_check.h"

namespace {

constexpr rkd::Millis kNow = 1'795'000'000'000;  // 2026-11-18

bool Trimmed(const std::string& s) {
  return !s.empty() && s.front() != ' ' && s.back() != ' ' && s.front() != '\n' && s.back() != '\n' &&
         s.front() != '\t' && s.back() != '\t' && s.front() != '\r' && s.back() != '\r';
}

// A field named "" can only be named as "": such a rejection names no field.
bool HasEmptyKey(const nlohmann::json& j) {
  if (j.is_object())
    for (const auto& [key, value] : j.items())
      if (key.empty() || HasEmptyKey(value)) return true;
  if (j.is_array())
    for (const auto& value : j)
      if (HasEmptyKey(value)) return true;
  return false;
}

bool PastDateOk(const std::optional<rkd::Millis>& t) {
  return !t || (*t >= 0 && *t <= kNow + rkd::kClockSkewAllowance);
}

void CheckBody(const std::string& body) {
  auto parsed = rkd::ParseJsonObject(body);
  if (!parsed.ok()) {
    FUZZ_CHECK(parsed.status().code() == rkd::Code::kInvalidArgument, "a bad body is InvalidArgument");
    return;
  }
  const nlohmann::json& j = *parsed;
  FUZZ_CHECK(j.is_object(), "ParseJsonObject gives an object");
  const bool nameless = HasEmptyKey(j);

  auto user = rkd::ParseNewUser(j, kNow);
  if (!user.ok()) {
    FUZZ_CHECK(!user.status().field().empty() || nameless, "a rejected new user names a field");
  } else {
    FUZZ_CHECK(rkd::IsValidEmailAddress(user->email), "a new user's email is valid");
    FUZZ_CHECK(Trimmed(user->name) && user->name.size() <= 200, "a new user's name is trimmed and bounded");
    FUZZ_CHECK(user->order_count >= 0, "orderCount is not negative");
    FUZZ_CHECK(std::isfinite(user->average_order_value) && user->average_order_value >= 0, "averageOrderValue");
    FUZZ_CHECK(PastDateOk(user->last_order_date) && PastDateOk(user->last_email_date), "past dates");
    for (const auto& c : user->preferred_categories) FUZZ_CHECK(!c.empty() && c.size() <= 100, "categories");
  }

  auto patch = rkd::ParseUserPatch(j, kNow);
  if (!patch.ok()) {
    FUZZ_CHECK(!patch.status().field().empty() || j.empty() || nameless, "a rejected patch names a field");
  } else {
    FUZZ_CHECK(!patch->empty(), "an accepted patch changes something");
    if (patch->email) FUZZ_CHECK(rkd::IsValidEmailAddress(*patch->email), "a patched email is valid");
    if (patch->name) FUZZ_CHECK(Trimmed(*patch->name), "a patched name is trimmed");
    if (patch->last_order_date) FUZZ_CHECK(PastDateOk(*patch->last_order_date), "patched lastOrderDate");
    if (patch->last_email_date) FUZZ_CHECK(PastDateOk(*patch->last_email_date), "patched lastEmailDate");
  }

  auto order = rkd::ParseNewOrder(j, kNow);
  if (!order.ok()) {
    FUZZ_CHECK(!order.status().field().empty() || nameless, "a rejected order names a field");
  } else {
    FUZZ_CHECK(Trimmed(order->user_id), "an order's userId is trimmed");
    FUZZ_CHECK(std::isfinite(order->total_value) && order->total_value >= 0, "totalValue");
    FUZZ_CHECK(order->order_date >= 0 && order->order_date <= kNow + rkd::kClockSkewAllowance, "orderDate");
    FUZZ_CHECK(order->items.size() <= 1000, "at most 1000 items");
    for (const auto& item : order->items) {
      FUZZ_CHECK(item.quantity >= 1, "an item's quantity is at least 1");
      FUZZ_CHECK(std::isfinite(item.price) && item.price >= 0, "an item's price");
    }
  }
}

// "a=1&b=2" as the router would hand it over (no decoding: the fuzzer picks the bytes).
std::map<std::string, std::string> SplitQuery(const std::string& s) {
  std::map<std::string, std::string> q;
  size_t start = 0;
  while (start <= s.size()) {
    size_t amp = s.find('&', start);
    if (amp == std::string::npos) amp = s.size();
    const std::string pair = s.substr(start, amp - start);
    const size_t eq = pair.find('=');
    if (eq == std::string::npos)
      q.emplace(pair, "");
    else
      q.emplace(pair.substr(0, eq), pair.substr(eq + 1));
    start = amp + 1;
  }
  return q;
}

void CheckQuery(const std::string& s) {
  const auto query = SplitQuery(s);
  int limit = 0;
  std::string cursor;
  rkd::Status st =
      rkd::ParseLimitAndCursor(query, rkd::PageLimits{}, &limit, &cursor);  // the defaults: 50, at most 500
  if (st.ok())
    FUZZ_CHECK(limit >= 1 && limit <= 500, "an accepted limit is 1..500");
  else
    FUZZ_CHECK(st.field() == "limit", "a rejected limit names limit");

  auto q = rkd::ParseUserQuery(query, 75);
  if (!q.ok()) {
    FUZZ_CHECK(!q.status().field().empty(), "a rejected user query names a field");
  } else {
    FUZZ_CHECK(q->limit >= 1 && q->limit <= 500, "the user query's limit is 1..500");
    FUZZ_CHECK(q->search.size() <= 200, "search is bounded");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  FUZZ_NO_THROW(CheckBody(input));
  FUZZ_NO_THROW(CheckQuery(input));
  return 0;
}
