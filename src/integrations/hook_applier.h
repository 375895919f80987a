// Applies the shop webhooks' deliveries and the CDP events (issue 17) after their
// requests were answered:
// claims pending deliveries from the store under a lease (so any number of processes may
// run one), reads each with its source's reader (shopify_events.h,
// woocommerce_events.h, cdp_events.h) and writes the changes as an import writes its rows (matched by
// the shop's ids, idempotent, the derived fields and conversions kept exact; no email is
// sent by it, the next sweep decides), then records the outcome.
//
// Outcomes: applied; ignored (a topic with nothing to do, with why); failed (a body the
// reader refuses, or a change the store refuses: its reason kept for the dashboard);
// a store that cannot be reached leaves the delivery pending, tried again after its
// lease, and failed after `max_attempts`. Thread-safe: Start runs one thread; Wake may
// be called from any.
#pragma once

#include <chrono>

#include "base/poll_loop.h"
#include "base/status.h"
#include "base/time.h"
#include "domain/hook_delivery.h"
#include "store/store.h"

namespace rkd {

struct HookApplierOptions {
  std::chrono::milliseconds poll{1000};  // how often the store is asked when not woken
  Millis lease = 60'000;                 // a claimed delivery's lease
  int batch = 50;                        // deliveries claimed at a time
  int max_attempts = 10;
  double at_risk_below = 40;  // the score threshold (the import's at-risk count)
};

class HookApplier {
 public:
  HookApplier(Store& store, const Clock& clock, HookApplierOptions options);
  HookApplier(const HookApplier&) = delete;
  HookApplier& operator=(const HookApplier&) = delete;

  void Start() { loop_.Start(); }
  void Stop() { loop_.Stop(); }
  // A delivery was recorded: look now rather than at the next poll.
  void Wake() { loop_.Wake(); }

  // Claims and applies what is pending now; how many deliveries it finished.
  Result<int> ApplyPending();
  // Applies one delivery's changes; the outcome's status ("applied", "ignored") or why it
  // failed (InvalidArgument and the like: final; Unavailable: to try again).
  Result<std::string> Apply(const HookDelivery& delivery, std::string* note);

 private:
  Store& store_;
  const Clock& clock_;
  HookApplierOptions options_;
  PollLoop loop_;  // last: its thread stops before the rest goes
};

}  // namespace rkd
