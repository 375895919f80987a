#include "integrations/cdp_events.h"

#include "integrations/shop_json.h"

namespace rkd {
namespace {

using nlohmann::json;

// The traits' name: `name`, else firstName and lastName.
Result<std::string> NameOf(const json& traits) {
  RKD_ASSIGN_OR_RETURN(std::string name, ShopText(traits, "name"));
  if (!name.empty()) return name;
  RKD_ASSIGN_OR_RETURN(std::string first, ShopText(traits, "firstName"));
  RKD_ASSIGN_OR_RETURN(std::string last, ShopText(traits, "lastName"));
  return JoinName(first, last);
}

Result<ShopChanges> Identify(const json& body, Millis now) {
  const json& traits = Member(body, "traits");
  ClientRow row;
  row.line = 1;
  RKD_ASSIGN_OR_RETURN(row.external_id, ShopId(body, "userId"));
  RKD_ASSIGN_OR_RETURN(row.email, ShopText(traits, "email"));
  if (row.external_id.empty() && row.email.empty())
    return Status::InvalidArgument("userId or traits.email is required: the event names no client", "userId");
  RKD_ASSIGN_OR_RETURN(row.name, NameOf(traits));
  RKD_ASSIGN_OR_RETURN(row.created_at, ShopTime(traits, "createdAt", now));
  ShopChanges changes;
  changes.clients.push_back(std::move(row));
  return changes;
}

Result<ShopChanges> OrderCompleted(const json& body, Millis now) {
  const json& props = Member(body, "properties");
  const json& traits = Member(Member(body, "context"), "traits");
  OrderRow row;
  RKD_ASSIGN_OR_RETURN(row.external_id, RequiredShopId(props, "order_id"));
  RKD_ASSIGN_OR_RETURN(row.client_external_id, ShopId(body, "userId"));
  RKD_ASSIGN_OR_RETURN(row.client_email, ShopText(traits, "email"));
  if (row.client_email.empty()) {
    RKD_ASSIGN_OR_RETURN(row.client_email, ShopText(props, "email"));
  }
  if (row.client_external_id.empty() && row.client_email.empty())
    return Status::InvalidArgument("userId or context.traits.email is required: the order names no client", "userId");
  RKD_ASSIGN_OR_RETURN(row.client_name, NameOf(traits));
  RKD_ASSIGN_OR_RETURN(std::optional<Millis> at, ShopTime(body, "timestamp", now));
  row.order_date = at.value_or(now);
  RKD_ASSIGN_OR_RETURN(int64_t revenue, ShopCents(props, "revenue", int64_t{-1}));
  RKD_ASSIGN_OR_RETURN(row.total_cents, ShopCents(props, "total", revenue < 0 ? std::nullopt : std::optional(revenue)));
  RKD_ASSIGN_OR_RETURN(row.items, ShopItems(props, "products", "name"));
  return OrderChanges(std::move(row));
}

}  // namespace

Result<ShopChanges> CdpChanges(const json& body, Millis now) {
  if (!body.is_object()) return Status::InvalidArgument("the body must be a JSON object", "body");
  RKD_ASSIGN_OR_RETURN(std::string type, ShopText(body, "type"));
  if (type == "identify") return Identify(body, now);
  if (type != "track") return Status::InvalidArgument("type must be identify or track", "type");
  RKD_ASSIGN_OR_RETURN(std::string event, ShopText(body, "event"));
  if (event == "Order Completed") return OrderCompleted(body, now);
  if (event == "Order Cancelled" || event == "Order Refunded") {
    const json& props = Member(body, "properties");
    const json& products = Member(props, "products");
    if (event == "Order Refunded" && products.is_array() && !products.empty())
      return IgnoredChanges("a partial refund: send Order Completed again with the total that was kept");
    ShopChanges changes;
    RKD_ASSIGN_OR_RETURN(std::string id, RequiredShopId(props, "order_id"));
    changes.cancel_orders.push_back(id);
    return changes;
  }
  return IgnoredChanges("event \"" + event.substr(0, 64) + "\" is not one Rekindle uses");
}

}  // namespace rkd
