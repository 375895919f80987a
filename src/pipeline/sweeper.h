// The sweeper: scores decay with time alone, and no change event notices. A sweep
// re-scores every user in batches (a short write transaction each) and publishes an
// event for each user who is at risk and not emailed within the cooldown, through the
// same topic as changes. Its event ids carry the day, so two sweeps on one day trigger
// at most one email per user. Thread-safe (Run may be called from the API and a timer).
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>

#include "bus/bus.h"
#include "domain/score.h"
#include "store/store.h"

namespace rkd {

struct SweepResult {
  int64_t scored = 0;     // users looked at
  int64_t changed = 0;    // users whose stored score moved
  int64_t published = 0;  // events sent for users at risk
  double seconds = 0;
};

class Sweeper {
 public:
  Sweeper(Store& store, Bus& bus, const ScoreRules& rules, const Clock& clock, Millis cooldown)
      : store_(store), bus_(bus), rules_(rules), clock_(clock), cooldown_(cooldown) {}

  // One full sweep. Sweeps do not overlap: a second caller waits for the first.
  Result<SweepResult> Run();
  // Sweeps every `interval` until `stop`.
  void RunPeriodically(const std::atomic<bool>& stop, std::chrono::seconds interval);

 private:
  Store& store_;
  Bus& bus_;
  const ScoreRules& rules_;
  const Clock& clock_;
  Millis cooldown_;
  std::mutex running_;
};

}  // namespace rkd
