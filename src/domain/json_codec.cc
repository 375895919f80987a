#include "domain/json_codec.h"

#include <cmath>

namespace rkd {
namespace {

using nlohmann::json;

json OptionalTime(const std::optional<Millis>& t) { return t ? json(FormatRfc3339(*t)) : json(nullptr); }

std::optional<Millis> ReadOptionalTime(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return std::nullopt;
  return ParseRfc3339(it->get<std::string>());
}

}  // namespace

const char* ChangeOpName(ChangeOp op) {
  switch (op) {
    case ChangeOp::kInsert:
      return "INSERT";
    case ChangeOp::kModify:
      return "MODIFY";
    case ChangeOp::kRemove:
      return "REMOVE";
  }
  return "MODIFY";
}

json ToJson(const User& u) {
  return json{{"userId", u.user_id},
              {"email", u.email},
              {"name", u.name},
              {"lastOrderDate", OptionalTime(u.last_order_date)},
              {"orderCount", u.order_count},
              {"averageOrderValue", u.average_order_value},
              {"totalSpent", static_cast<double>(u.total_spent_cents) / 100.0},
              {"firstOrderDate", OptionalTime(u.first_order_date)},
              {"externalId", u.external_id.empty() ? json(nullptr) : json(u.external_id)},
              {"preferredCategories", u.preferred_categories},
              {"engagementScore", u.engagement_score},
              {"lastEmailDate", OptionalTime(u.last_email_date)},
              {"createdAt", FormatRfc3339(u.created_at)},
              {"updatedAt", FormatRfc3339(u.updated_at)},
              {"timeZone", u.time_zone.empty() ? nlohmann::json(nullptr) : nlohmann::json(u.time_zone)}};
}

json ToJson(const OrderItem& i) {
  return json{{"itemId", i.item_id},    {"productId", i.product_id}, {"name", i.name},
              {"category", i.category}, {"price", i.price},          {"quantity", i.quantity}};
}

json ToJson(const Order& o) {
  json items = json::array();
  for (const auto& i : o.items) items.push_back(ToJson(i));
  return json{{"orderId", o.order_id},
              {"userId", o.user_id},
              {"orderDate", FormatRfc3339(o.order_date)},
              {"totalValue", o.total_value},
              {"items", std::move(items)},
              {"status", o.status},
              {"createdAt", FormatRfc3339(o.created_at)},
              {"externalId", o.external_id.empty() ? json(nullptr) : json(o.external_id)},
              {"implied", o.implied}};
}

json ToJson(const Email& e) {
  return json{{"emailId", e.email_id},
              {"userId", e.user_id},
              {"subject", e.subject},
              {"content", e.content},
              {"html", e.html},
              {"generatedAt", FormatRfc3339(e.generated_at)},
              {"engagementScoreAtTime", e.engagement_score_at_time},
              {"status", e.status},
              {"writer", e.writer},
              {"promptTokens", e.prompt_tokens},
              {"completionTokens", e.completion_tokens},
              {"sentAt", OptionalTime(e.sent_at)},
              {"error", e.error.empty() ? json(nullptr) : json(e.error)},
              {"createdAt", FormatRfc3339(e.created_at)},
              {"openedAt", OptionalTime(e.opened_at)},
              {"clickedAt", OptionalTime(e.clicked_at)},
              {"convertedAt", OptionalTime(e.converted_at)},
              {"conversionRevenue", e.conversion_revenue ? json(*e.conversion_revenue) : json(nullptr)},
              {"episodeId", e.episode_id.empty() ? json(nullptr) : json(e.episode_id)},
              {"step", e.step > 0 ? json(e.step) : json(nullptr)},
              {"targetingRule", e.targeting_rule},
              {"experimentId", e.experiment_id.empty() ? json(nullptr) : json(e.experiment_id)},
              {"variant", e.variant >= 0 ? json(e.variant) : json(nullptr)}};
}

Result<User> UserFromJson(const json& j) {
  try {
    User u;
    u.user_id = j.at("userId").get<std::string>();
    u.email = j.value("email", "");
    u.name = j.value("name", "");
    u.last_order_date = ReadOptionalTime(j, "lastOrderDate");
    u.order_count = j.value("orderCount", int64_t{0});
    u.average_order_value = j.value("averageOrderValue", 0.0);
    if (auto it = j.find("preferredCategories"); it != j.end() && it->is_array())
      u.preferred_categories = it->get<std::vector<std::string>>();
    u.engagement_score = j.value("engagementScore", 0.0);
    u.last_email_date = ReadOptionalTime(j, "lastEmailDate");
    u.created_at = ReadOptionalTime(j, "createdAt").value_or(0);
    u.updated_at = ReadOptionalTime(j, "updatedAt").value_or(0);
    if (auto tz = j.find("timeZone"); tz != j.end() && tz->is_string()) u.time_zone = tz->get<std::string>();
    if (auto x = j.find("externalId"); x != j.end() && x->is_string()) u.external_id = x->get<std::string>();
    if (auto t = j.find("totalSpent"); t != j.end() && t->is_number())
      u.total_spent_cents = std::llround(t->get<double>() * 100.0);
    u.first_order_date = ReadOptionalTime(j, "firstOrderDate");
    return u;
  } catch (const json::exception& e) {
    return Status::Internal(std::string("malformed user image: ") + e.what());
  }
}

Result<std::vector<OrderItem>> OrderItemsFromJson(const json& j) {
  try {
    std::vector<OrderItem> items;
    for (const auto& e : j) {
      OrderItem i;
      i.item_id = e.value("itemId", "");
      i.product_id = e.value("productId", "");
      i.name = e.value("name", "");
      i.category = e.value("category", "");
      i.price = e.value("price", 0.0);
      i.quantity = e.value("quantity", int64_t{1});
      items.push_back(std::move(i));
    }
    return items;
  } catch (const json::exception& e) {
    return Status::Internal(std::string("malformed order items: ") + e.what());
  }
}

}  // namespace rkd
