// Sends the outgoing webhooks (issue 17) the store has pending: claims the due
// deliveries under a lease (so any number of processes may run one), posts each to its
// endpoint signed as Standard Webhooks sign (https://www.standardwebhooks.com/), and
// records what came of it:
//
//   a 2xx answer          delivered
//   anything else         pending again after the next delay of the retry schedule
//   (or no answer)        (5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, then 6 h, with
//                         the first delay scaled by `first_retry`), and dead after the
//                         12th attempt, about a day after the first; a replay starts over
//   endpoint deleted      dead
//
// Delivered and dead deliveries are kept `retention` (30 days) for the dashboard and a
// replay, then deleted.
// At least once: a process that dies after the receiver answered and before the outcome
// was stored sends it again after the lease, with the same webhook-id, by which the
// receiver deduplicates. Redirects are not followed. Thread-safe: Start runs one thread;
// Wake may be called from any.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/poll_loop.h"
#include "base/status.h"
#include "base/time.h"
#include "compose/openai_client.h"
#include "domain/webhook.h"
#include "store/store.h"

namespace rkd {

struct WebhookSenderOptions {
  std::chrono::milliseconds poll{1000};  // how often the store is asked when not woken
  Millis lease = 60'000;                 // a claimed delivery's lease (longer than `timeout`)
  int batch = 50;                        // deliveries claimed, and posted side by side, at a time
  Millis first_retry = 5'000;            // RKD_WEBHOOK_FIRST_RETRY_MS: the schedule's unit
  std::chrono::milliseconds timeout{10'000};
  // RKD_WEBHOOK_ALLOW_INTERNAL: also post to loopback, private and link-local addresses
  // (off: a URL whose host resolves there is refused at each attempt).
  bool allow_internal = false;
  // RKD_WEBHOOK_RETENTION_DAYS: delivered and dead deliveries are deleted this long after
  // their event, checked every `prune_every`.
  Millis retention = 30 * kMillisPerDay;
  Millis prune_every = 3'600'000;
};

// The delay before the attempt after the `attempt`-th (1-based) failed, or nullopt when
// that was the last.
std::optional<Millis> WebhookRetryDelay(int64_t attempt, Millis first_retry);

// A new endpoint's signing secret: "whsec_" + base64 of 24 random bytes.
std::string NewWebhookSecret();

// The webhook-signature header: "v1," + base64(HMAC-SHA256(key, id "." timestamp "."
// body)), the key being the base64 after "whsec_" (a secret without that form is used as
// it is).
std::string StandardWebhookSignature(std::string_view secret, std::string_view id, int64_t timestamp_s,
                                     std::string_view body);

// What is posted: {"type", "timestamp" (the event's, RFC 3339), "data" (its payload)}.
std::string WebhookBody(const WebhookDelivery& delivery);

class WebhookSender {
 public:
  WebhookSender(Store& store, const Clock& clock, WebhookSenderOptions options);
  WebhookSender(const WebhookSender&) = delete;
  WebhookSender& operator=(const WebhookSender&) = delete;

  void Start() { loop_.Start(); }
  void Stop() { loop_.Stop(); }
  // An endpoint or a replay was made: look now rather than at the next poll.
  void Wake() { loop_.Wake(); }

  // Claims, posts and records what is due now; how many attempts it finished.
  Result<int> SendDue();
  // Deletes the ended deliveries older than the retention; how many.
  Result<int64_t> PruneEnded();

 private:
  // Prunes when `prune_every` has passed, then sends what is due.
  Result<int> Round();
  WebhookAttempt Outcome(const WebhookDelivery& d, const HttpReply& reply) const;

  Store& store_;
  const Clock& clock_;
  WebhookSenderOptions options_;
  OpenAiClient http_;
  Millis last_prune_ = 0;  // touched by the loop's thread only
  PollLoop loop_;          // last: its thread stops before the rest goes
};

}  // namespace rkd
