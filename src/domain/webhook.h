// Outgoing webhooks (issue 17): the endpoints that hear what Rekindle does, and each
// event's delivery to one of them. The store writes a delivery in the same transaction
// as the change it reports (0017_webhooks.sql); the webhook sender posts it, signed as
// Standard Webhooks sign (integrations/webhook_sender.h), until a 2xx answer or a day
// of retries.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.h"

namespace rkd {

// What an endpoint can subscribe to, as the deliveries name it.
inline constexpr std::string_view kWebhookEventTypes[] = {
    "client.at_risk", "email.sent",       "email.opened",        "email.clicked", "email.converted",
    "email.bounced",  "email.complained", "client.unsubscribed", "episode.ended",
};

inline bool IsWebhookEventType(std::string_view type) {
  for (std::string_view t : kWebhookEventTypes)
    if (t == type) return true;
  return false;
}

struct WebhookEndpoint {
  std::string endpoint_id;
  std::string url;
  std::string secret;               // "whsec_" + base64 of the key; never shown after creation
  std::vector<std::string> events;  // kWebhookEventTypes, each once
  std::string description;
  Millis created_at = 0;
};

struct WebhookDelivery {
  std::string delivery_id;  // the webhook-id header: the same on every attempt
  std::string endpoint_id;
  std::string type;     // a kWebhookEventTypes entry
  std::string payload;  // the event's data, a JSON object
  Millis created_at = 0;
  std::string status = "pending";  // pending, delivered, dead
  int64_t attempts = 0;
  Millis next_attempt_at = 0;
  std::optional<int> last_status;  // the receiver's last HTTP status; none: no answer
  std::string last_error;
  std::optional<Millis> delivered_at;
  // Filled by a claim: where to send it and the key to sign it with (empty when the
  // endpoint was deleted meanwhile).
  std::string url;
  std::string secret;
};

// What one attempt came to, for Store::FinishWebhookDeliveries.
struct WebhookAttempt {
  std::string delivery_id;
  std::string status;  // delivered, dead, or pending (again, at next_attempt_at)
  Millis next_attempt_at = 0;
  std::optional<int> http_status;
  std::string error;
  std::optional<Millis> delivered_at;
};

}  // namespace rkd
