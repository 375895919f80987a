#include "integrations/shop_changes.h"

namespace rkd {

ShopChanges IgnoredChanges(std::string why) {
  ShopChanges changes;
  changes.ignored = std::move(why);
  return changes;
}

ShopChanges OrderChanges(OrderRow order) {
  ShopChanges changes;
  if (!order.client_external_id.empty()) {
    ClientRow client;
    client.line = 1;
    client.external_id = order.client_external_id;
    client.email = order.client_email;
    client.name = order.client_name;
    changes.clients.push_back(std::move(client));
  }
  changes.orders.push_back(std::move(order));
  return changes;
}

}  // namespace rkd
