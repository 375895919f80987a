// Writes what a shop's platform asked for (ShopChanges) into the store, as an import
// writes its rows: clients and orders matched by the shop's ids, idempotent, the derived
// fields and conversions kept exact, no email sent (the next sweep decides). One place
// for the webhooks' applier (hook_applier.h) and the REST API's reconciliation
// (shop_sync.h), so a delivery and a sync of the same order write the same thing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "integrations/shop_changes.h"
#include "store/store.h"

namespace rkd {

struct ShopChangesWritten {
  int64_t imported = 0, updated = 0, unchanged = 0;
  std::vector<RowError> rejects;  // rows the store refused (their `line` as given)
  std::string note;               // what a deletion did ("deleted 1 client(s)", "no such client")
};

// Clients first (so an order's client carries the shop's name and address), then
// orders, cancellations of orders known by id only, deletions, suppressions. A store
// that cannot be reached fails it (Unavailable); an invalid suppression address is
// InvalidArgument; a refused row is listed in `rejects`, and the rest written, unless
// `stop_at_reject` (one delivery, applied or failed as a whole): then nothing after the
// step that refused it is written. `why` names the source in the logs.
Result<ShopChangesWritten> WriteShopChanges(Store& store, ShopChanges changes, double at_risk_below,
                                            bool stop_at_reject, const std::string& why);

}  // namespace rkd
