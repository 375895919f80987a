// The sweeper: scores decay with time alone, and no change event notices (and journey
// steps fall due with time alone: the due scan, below). A sweep
// re-scores every user in batches (a short write transaction each) and publishes an
// event for each user who is at risk and not emailed within the cooldown, through the
// same topic as changes. Its event ids carry the day, so two sweeps on one day trigger
// at most one email per user. Who is at risk follows the targeting (domain/targeting.h):
// under `churn` or `both`, while the shop's settings cap what goes out (a daily cap or an
// hourly rate), the chosen clients are published once the whole store is scored, the
// most value at stake first (churn probability × predicted value), so the cap is spent
// on the clients most worth winning back. Thread-safe (Run may be called from the API and a timer).
// Across processes sweeps run one at a time too, through a lock (leader/leader_lock.h).
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>

#include "bus/bus.h"
#include "domain/score.h"
#include "domain/targeting.h"
#include "leader/leader_lock.h"
#include "store/store.h"

namespace rkd {

class SweepMetrics;  // metrics/pipeline_metrics.h

// What a due scan published.
struct DueScanResult {
  int64_t due = 0;  // open episodes whose next step is due
  double seconds = 0;
};

struct SweepResult {
  int64_t scored = 0;     // users looked at
  int64_t changed = 0;    // users whose stored score moved
  int64_t published = 0;  // events sent for users at risk
  int64_t held_back = 0;  // chosen, but past what a send cap lets out: the next day's sweep ranks them again
  double seconds = 0;
  bool skipped = false;  // another process was sweeping: this one did nothing
};

class Sweeper {
 public:
  // `exclusive`, when given, is held for the length of each sweep. `metrics` (not owned;
  // null: nothing recorded) counts the sweeps and their durations.
  Sweeper(Store& store, Bus& bus, const ScoreRules& rules, const Clock& clock, Millis cooldown,
          std::unique_ptr<LeaderLock> exclusive = nullptr, SweepMetrics* metrics = nullptr, Targeting targeting = {})
      : store_(store),
        bus_(bus),
        rules_(rules),
        clock_(clock),
        cooldown_(cooldown),
        targeting_(targeting),
        exclusive_(std::move(exclusive)),
        metrics_(metrics) {}

  // One full sweep. Sweeps do not overlap: a second caller in this process waits for the
  // first; while another process sweeps (it holds `exclusive`) this one is skipped: the
  // other does the same work.
  Result<SweepResult> Run();
  // Sweeps every `interval` until `stop`. A sweep that failed (the store or the bus away)
  // runs again after `retry` (when shorter), from the start: what it had queued already
  // is dropped as a duplicate or finds its email, so nobody is swept twice over and
  // nobody is left out until the next interval.
  void RunPeriodically(const std::atomic<bool>& stop, std::chrono::seconds interval,
                       std::chrono::seconds retry = std::chrono::seconds(30));

  // The due scan (issue 16): journey steps fall due with time alone, and nothing else
  // triggers them. It reads the open episodes whose next step is due (through the index
  // on next_due_at: cheap when none is) and publishes an event for each, through the
  // same topic. Its event ids carry the step and its due time: while an event waits on
  // the queue (workers paused, or behind), later scans publish the same id and the bus
  // drops it; an attempt that leaves the step due (the sending controls turned the
  // client away) moves its due time, so the next attempt has a new id even on a bus that
  // remembers ids it saw. Two events for one step find its email (the email's id derives
  // from the episode and step), so nothing goes out twice. Scans do not overlap in a
  // process; in several processes they may (duplicates are harmless, as above).
  Result<DueScanResult> ScanDue();
  // Scans every `interval` until `stop` (RKD_DUE_SCAN_INTERVAL_S).
  void RunDueScanPeriodically(const std::atomic<bool>& stop, std::chrono::seconds interval);

 private:
  Result<SweepResult> SweepAll();                          // the sweep itself, under the locks
  Result<SweepResult> Record(Result<SweepResult> result);  // into metrics_, when given

  Store& store_;
  Bus& bus_;
  const ScoreRules& rules_;
  const Clock& clock_;
  Millis cooldown_;
  const Targeting targeting_;
  std::mutex running_;   // guards exclusive_ too
  std::mutex scanning_;  // one due scan at a time
  std::unique_ptr<LeaderLock> exclusive_;
  SweepMetrics* const metrics_;
};

}  // namespace rkd
