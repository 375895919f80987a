#include "store/list_query.h"

#include "store/cursor.h"

namespace rkd {

using nlohmann::json;

const char* SortName(UserSort s) {
  switch (s) {
    case UserSort::kCreatedAt:
      return "createdAt";
    case UserSort::kScore:
      return "score";
    case UserSort::kLastOrderDate:
      return "lastOrderDate";
    case UserSort::kName:
      return "name";
    case UserSort::kChurnProbability:
      return "churnProbability";
  }
  return "createdAt";
}

const char* SortColumn(UserSort s) {
  switch (s) {
    case UserSort::kCreatedAt:
      return "created_at";
    case UserSort::kScore:
      return "engagement_score";
    case UserSort::kLastOrderDate:
      return "COALESCE(last_order_date, -1)";
    case UserSort::kName:
      return "name";
    case UserSort::kChurnProbability:  // the predictions' column (issue 11; model_store.cc)
      return "churn_probability";
  }
  return "created_at";
}

json SortKey(const User& u, UserSort sort) {
  switch (sort) {
    case UserSort::kCreatedAt:
      return u.created_at;
    case UserSort::kScore:
      return u.engagement_score;
    case UserSort::kLastOrderDate:
      return u.last_order_date.value_or(-1);
    case UserSort::kName:
      return u.name;
    case UserSort::kChurnProbability:  // not a user's field: model_store.cc keeps its own cursor
      return nullptr;
  }
  return nullptr;
}

Result<json> DecodeUserCursor(const UserQuery& q) {
  if (q.cursor.empty()) return json(nullptr);
  auto decoded = DecodeCursor(q.cursor);
  if (!decoded.ok()) return decoded.status();
  const json& after = *decoded;
  // Check every member's type before reading it: a well-encoded cursor is still client
  // input, and a wrong type must be a 400, not an exception.
  auto member = [&after](const char* name) { return after.contains(name) ? after[name] : json(); };
  const json s = member("s"), d = member("d"), k = member("k"), i = member("i");
  if (!s.is_string() || !d.is_boolean() || !i.is_string() ||
      !(q.sort == UserSort::kName ? k.is_string() : k.is_number()))
    return Status::InvalidArgument("cursor is not valid", "cursor");
  if (s.get<std::string>() != SortName(q.sort) || d.get<bool>() != q.descending)
    return Status::InvalidArgument("cursor belongs to a different sort order", "cursor");
  return after;
}

std::string EncodeUserCursor(const User& last, const UserQuery& q) {
  return EncodeCursor(
      {{"s", SortName(q.sort)}, {"d", q.descending}, {"k", SortKey(last, q.sort)}, {"i", last.user_id}});
}

Result<std::optional<std::pair<int64_t, std::string>>> DecodeKeyCursor(const std::string& cursor) {
  if (cursor.empty()) return std::optional<std::pair<int64_t, std::string>>();
  auto decoded = DecodeCursor(cursor);
  if (!decoded.ok()) return decoded.status();
  const json& j = *decoded;
  if (!j.contains("k") || !j["k"].is_number_integer() || !j.contains("i") || !j["i"].is_string())
    return Status::InvalidArgument("cursor is not valid", "cursor");
  return std::optional(std::pair{j["k"].get<int64_t>(), j["i"].get<std::string>()});
}

std::string EncodeKeyCursor(int64_t key, const std::string& id) { return EncodeCursor({{"k", key}, {"i", id}}); }

std::string ContainsPattern(const std::string& text) {
  std::string p = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') p += '\\';
    p += c;
  }
  return p + "%";
}

std::string ReplaceAll(std::string s, const std::string& from, const std::string& to) {
  for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size())
    s.replace(pos, from.size(), to);
  return s;
}

}  // namespace rkd
