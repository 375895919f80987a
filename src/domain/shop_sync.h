// A reconciliation of the store with a shop's platform (issue 17): `rekindle sync
// shopify|woocommerce` and its schedule page through the platform's REST API for what
// changed since the last sync (shop_sync.h in integrations/). One per platform: where
// it stands (its cursors), what its last run did, and whether one runs now.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/time.h"

namespace rkd {

// What a run read and wrote, so far or in all.
struct ShopSyncProgress {
  int64_t pages = 0;      // pages read from the platform
  int64_t fetched = 0;    // orders and customers in them
  int64_t imported = 0;   // rows new to the store
  int64_t updated = 0;    // rows that changed it
  int64_t unchanged = 0;  // rows it had already (a webhook brought them)
  int64_t rejected = 0;   // records the readers or the store refused (error says the last)
};

struct ShopSyncState {
  std::string source;            // "shopify", "woocommerce"
  std::string status = "never";  // never, running, succeeded, failed
  std::string trigger;           // schedule, api, cli; empty before the first run
  std::optional<Millis> started_at, finished_at, last_success_at;
  std::optional<Millis> lease_until;  // while running: the run is another's until then
  std::string error, field;           // why the run failed, or the last record refused
  // Where the next run starts: the platform's modification time (its own text, RFC 3339)
  // of the newest record on the last page applied; empty: from the beginning.
  std::string orders_cursor, customers_cursor;
  ShopSyncProgress progress;
};

}  // namespace rkd
