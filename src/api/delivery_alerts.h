// DeliveryAlerts: whether sending is failing, for /health and the dashboard's banner
// (GET /api/alerts). It reads failed deliveries in a recent window from the store
// (FAILED emails, through an index on status) and the dead letters from the bus, at most
// once per `max_age` however often it is asked: a load balancer polling /health and
// every open dashboard share one read. The rule it feeds (README, "The health rule"):
// degraded while a delivery failed within the window or any dead letter waits.
// Thread-safe.
#pragma once

#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/time.h"
#include "bus/bus.h"
#include "store/store.h"

namespace rkd {

struct DeliveryAlertsOptions {
  Millis window = 60 * 60'000;  // RKD_ALERT_WINDOW_MINUTES: failures this recent count
  Millis max_age = 5'000;       // a snapshot is reused this long
};

// What the last check found.
struct AlertSnapshot {
  Status store;               // not ok: the failures could not be read
  Status bus;                 // not ok: the dead letters could not be read (the bus does not answer)
  DeliveryFailures failures;  // in the window
  int64_t dead_letters = 0;
  std::vector<std::pair<std::string, int64_t>> dead_letter_queues;  // queues holding some
  // The dead letter behind `last_error` when no email failed in the window.
  std::string dead_letter_queue;
  std::string dead_letter_error;
  Millis dead_letter_at = 0;  // when its event was published
  Millis checked_at = 0;

  bool degraded() const { return failures.count > 0 || dead_letters > 0; }
  // Why it is degraded, one sentence each; empty when all is well. `detailed` adds the
  // last error's text (a server's reply may name a recipient: only behind the API keys).
  std::vector<std::string> Reasons(Millis window, bool detailed) const;
};

class DeliveryAlerts {
 public:
  // `bus` may be null (no dead letters to read). Store, bus and clock must outlive it.
  DeliveryAlerts(Store& store, Bus* bus, const Clock& clock, DeliveryAlertsOptions options = {})
      : store_(store), bus_(bus), clock_(clock), options_(options) {}

  // The latest snapshot, read again when older than max_age.
  AlertSnapshot Current();
  Millis window() const { return options_.window; }

  // GET /api/alerts's body: {status, reasons, windowMinutes, failedDeliveries,
  // deadLetters, deadLetterQueues: [{name, deadLetters}], lastError, at, emailId, userId,
  // queue, checkedAt}; lastError and at are null when nothing failed.
  nlohmann::json ToJson(const AlertSnapshot& snapshot) const;

 private:
  AlertSnapshot Read();

  Store& store_;
  Bus* bus_;
  const Clock& clock_;
  const DeliveryAlertsOptions options_;
  std::mutex mu_;  // one reader at a time; the others wait for its snapshot
  AlertSnapshot last_;
  bool have_last_ = false;
};

}  // namespace rkd
