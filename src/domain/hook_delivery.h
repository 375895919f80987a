// A delivery from a shop's platform (issue 17): a Shopify or WooCommerce webhook as it
// was received and verified, and what became of it. Kept so that a delivery the platform
// sends twice is applied once, the request is answered before the work is done, and the
// dashboard can show what came in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/time.h"

namespace rkd {

struct HookDelivery {
  std::string hook_id;      // Rekindle's id
  std::string source;       // "shopify", "woocommerce"
  std::string delivery_id;  // the platform's (X-Shopify-Event-Id, X-WC-Webhook-Delivery-ID)
  std::string topic;        // "orders/create", "order.updated"…
  std::string body;         // the JSON as received (empty in lists)
  Millis received_at = 0;
  std::string status = "pending";  // pending, applied, ignored, failed
  int64_t attempts = 0;
  std::string error;  // why it failed, or why it was ignored
  std::optional<Millis> applied_at;
};

}  // namespace rkd
