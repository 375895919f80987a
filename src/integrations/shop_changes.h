// What one delivery from a shop's platform asks of the store, once read: clients and
// orders to upsert (matched by the shop's ids, as an import matches them), clients to
// forget, addresses to suppress. The readers (shopify_events.h, woocommerce_events.h)
// are pure; the hook applier (hook_applier.h) writes the changes.
#pragma once

#include <string>
#include <vector>

#include "domain/import_rows.h"

namespace rkd {

struct ShopChanges {
  std::vector<ClientRow> clients;  // upserted by externalId, else address
  std::vector<OrderRow> orders;    // upserted by externalId (the platform's order id)
  // Orders known only by their id (a deletion): cancelled if the store has them.
  std::vector<std::string> cancel_orders;
  // Clients to delete with their orders and emails (a deletion, a redact request): by
  // the shop's customer id, else by address.
  std::vector<std::string> forget_external_ids;
  std::vector<std::string> forget_emails;
  std::vector<std::string> suppress;  // addresses whose marketing consent was withdrawn
  // Nothing to do, and why (a topic Rekindle has no use for, an unpaid order…): the
  // delivery is recorded as ignored with this reason.
  std::string ignored;
};

// Nothing to do, and why.
ShopChanges IgnoredChanges(std::string why);
// One order, with its customer as a client row too where the platform names the customer
// by id: a client Rekindle knows by address only (typed in, imported without ids) then
// takes the shop's id instead of the order being refused.
ShopChanges OrderChanges(OrderRow order);

}  // namespace rkd
