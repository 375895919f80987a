#include "integrations/woocommerce_events.h"

#include "integrations/shop_json.h"

namespace rkd {
namespace {

using nlohmann::json;

Result<ShopChanges> ReadOrder(const json& order, Millis now) {
  RKD_ASSIGN_OR_RETURN(std::string status, ShopText(order, "status"));
  if (status == "pending" || status == "checkout-draft") return IgnoredChanges("order not paid yet (" + status + ")");
  OrderRow row;
  RKD_ASSIGN_OR_RETURN(row.external_id, RequiredShopId(order, "id"));
  RKD_ASSIGN_OR_RETURN(row.client_external_id, ShopId(order, "customer_id"));  // 0: a guest
  const json& billing = Member(order, "billing");
  RKD_ASSIGN_OR_RETURN(row.client_email, ShopText(billing, "email"));
  if (row.client_external_id.empty() && row.client_email.empty())
    return Status::InvalidArgument("customer_id or billing.email is required: the order names no client",
                                   "customer_id");
  RKD_ASSIGN_OR_RETURN(std::string first, ShopText(billing, "first_name"));
  RKD_ASSIGN_OR_RETURN(std::string last, ShopText(billing, "last_name"));
  row.client_name = JoinName(first, last);
  RKD_ASSIGN_OR_RETURN(std::optional<Millis> paid, ShopTime(order, "date_paid_gmt", now));
  RKD_ASSIGN_OR_RETURN(std::optional<Millis> created, ShopTime(order, "date_created_gmt", now));
  if (!paid && !created) return Status::InvalidArgument("date_created_gmt is required", "date_created_gmt");
  row.order_date = created ? *created : *paid;
  RKD_ASSIGN_OR_RETURN(int64_t total, ShopCents(order, "total", std::nullopt));
  // Refunds carry negative totals ("-5.00"); the order is worth what was kept.
  const json& refunds = Member(order, "refunds");
  if (refunds.is_array())
    for (const json& refund : refunds) {
      RKD_ASSIGN_OR_RETURN(int64_t r, ShopCents(refund, "total", int64_t{0}, true));
      total -= r < 0 ? -r : r;
    }
  row.total_cents = std::max<int64_t>(total, 0);
  RKD_ASSIGN_OR_RETURN(row.items, ShopItems(order, "line_items", "name"));
  row.status = status == "cancelled" || status == "refunded" || status == "failed" || status == "trash"
                   ? kOrderCancelled
                   : kOrderCreated;
  return OrderChanges(std::move(row));
}

Result<ShopChanges> CustomerChanges(const json& customer, Millis now) {
  RKD_ASSIGN_OR_RETURN(ClientRow row, ShopCustomer(customer, "date_created_gmt", now));
  ShopChanges changes;
  changes.clients.push_back(std::move(row));
  return changes;
}

}  // namespace

Result<ShopChanges> WooCommerceChanges(const std::string& topic, const json& body, Millis now) {
  if (!body.is_object()) return Status::InvalidArgument("the body must be a JSON object", "body");
  if (topic == "order.created" || topic == "order.updated" || topic == "order.restored") return ReadOrder(body, now);
  if (topic == "order.deleted") {
    ShopChanges changes;
    RKD_ASSIGN_OR_RETURN(std::string id, RequiredShopId(body, "id"));
    changes.cancel_orders.push_back(id);
    return changes;
  }
  if (topic == "customer.created" || topic == "customer.updated") return CustomerChanges(body, now);
  if (topic == "customer.deleted") {
    ShopChanges changes;
    RKD_ASSIGN_OR_RETURN(std::string id, RequiredShopId(body, "id"));
    changes.forget_external_ids.push_back(id);
    return changes;
  }
  return IgnoredChanges("topic " + topic + " is not one Rekindle uses");
}

}  // namespace rkd
