#include "integrations/shopify_events.h"

#include "integrations/shop_json.h"

namespace rkd {
namespace {

using nlohmann::json;

Result<ShopChanges> ReadOrder(const json& order, Millis now) {
  OrderRow row;
  RKD_ASSIGN_OR_RETURN(row.external_id, RequiredShopId(order, "id"));
  const json& customer = Member(order, "customer");
  RKD_ASSIGN_OR_RETURN(row.client_external_id, ShopId(customer, "id"));
  RKD_ASSIGN_OR_RETURN(std::string email, ShopText(order, "email"));
  if (email.empty()) {
    RKD_ASSIGN_OR_RETURN(email, ShopText(customer, "email"));
  }
  row.client_email = email;
  if (row.client_external_id.empty() && row.client_email.empty())
    return Status::InvalidArgument("customer.id or email is required: the order names no client", "customer.id");
  RKD_ASSIGN_OR_RETURN(std::string first, ShopText(customer, "first_name"));
  RKD_ASSIGN_OR_RETURN(std::string last, ShopText(customer, "last_name"));
  row.client_name = JoinName(first, last);
  RKD_ASSIGN_OR_RETURN(std::optional<Millis> processed, ShopTime(order, "processed_at", now));
  RKD_ASSIGN_OR_RETURN(std::optional<Millis> created, ShopTime(order, "created_at", now));
  if (!processed && !created) return Status::InvalidArgument("created_at is required", "created_at");
  row.order_date = processed ? *processed : *created;
  RKD_ASSIGN_OR_RETURN(int64_t total, ShopCents(order, "total_price", std::nullopt));
  RKD_ASSIGN_OR_RETURN(row.total_cents, ShopCents(order, "current_total_price", total));
  RKD_ASSIGN_OR_RETURN(row.items, ShopItems(order, "line_items", "title"));
  RKD_ASSIGN_OR_RETURN(std::string financial, ShopText(order, "financial_status"));
  RKD_ASSIGN_OR_RETURN(std::optional<Millis> cancelled, ShopTime(order, "cancelled_at", now));
  row.status = cancelled || financial == "refunded" || financial == "voided" ? kOrderCancelled : kOrderCreated;
  return OrderChanges(std::move(row));
}

Result<ShopChanges> CustomerChanges(const json& customer, Millis now) {
  RKD_ASSIGN_OR_RETURN(ClientRow row, ShopCustomer(customer, "created_at", now));
  ShopChanges changes;
  RKD_ASSIGN_OR_RETURN(std::string consent, ShopText(Member(customer, "email_marketing_consent"), "state"));
  if ((consent == "unsubscribed" || consent == "redacted") && !row.email.empty()) changes.suppress.push_back(row.email);
  changes.clients.push_back(std::move(row));
  return changes;
}

Result<ShopChanges> Forget(const json& customer) {
  ShopChanges changes;
  RKD_ASSIGN_OR_RETURN(std::string id, ShopId(customer, "id"));
  RKD_ASSIGN_OR_RETURN(std::string email, ShopText(customer, "email"));
  if (id.empty() && email.empty()) return Status::InvalidArgument("customer id or email is required", "id");
  if (!id.empty()) changes.forget_external_ids.push_back(id);
  if (!email.empty()) changes.forget_emails.push_back(email);
  return changes;
}

}  // namespace

Result<ShopChanges> ShopifyChanges(const std::string& topic, const json& body, Millis now) {
  if (!body.is_object()) return Status::InvalidArgument("the body must be a JSON object", "body");
  if (topic == "orders/create" || topic == "orders/paid" || topic == "orders/updated" || topic == "orders/cancelled")
    return ReadOrder(body, now);
  if (topic == "customers/create" || topic == "customers/update") return CustomerChanges(body, now);
  if (topic == "customers/delete") return Forget(body);
  if (topic == "customers/redact") return Forget(Member(body, "customer"));
  if (topic == "customers_email_marketing_consent/update") {
    RKD_ASSIGN_OR_RETURN(std::string email, ShopText(body, "email_address"));
    RKD_ASSIGN_OR_RETURN(std::string state, ShopText(Member(body, "email_marketing_consent"), "state"));
    if (state != "unsubscribed" && state != "redacted")
      return IgnoredChanges("consent " + (state.empty() ? "unknown" : state));
    if (email.empty()) return Status::InvalidArgument("email_address is required", "email_address");
    ShopChanges changes;
    changes.suppress.push_back(email);
    return changes;
  }
  if (topic == "refunds/create") return IgnoredChanges("the refunded total arrives with orders/updated");
  if (topic == "customers/data_request")
    return IgnoredChanges("a data request: export the client's data with GET /api/users?externalId= and their orders");
  if (topic == "shop/redact") return IgnoredChanges("shop/redact: the shop's data is deleted by removing the store");
  return IgnoredChanges("topic " + topic + " is not one Rekindle uses");
}

}  // namespace rkd
