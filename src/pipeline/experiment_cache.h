// ExperimentCache: the running experiment (issue 12) as the email workers assign by it,
// read from the store at most once per `refresh`, so that a batch costs no extra read; a
// start or stop in another process is seen within `refresh`, one in this process at once
// (Invalidate).
//
// A bandit's plan is re-planned here, at most once per `replan_every`: the process whose
// read finds the plan that old reads the totals, plans (experiments/experiment_plan.h)
// and stores the plan only if no other process did first (Store::ReplanExperiment), so
// every re-plan is recorded once. A failed re-plan keeps the current plan and is tried
// again at the next read. Thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>

#include "domain/experiment.h"
#include "store/store.h"

namespace rkd {

struct ExperimentCacheOptions {
  std::chrono::milliseconds refresh = std::chrono::seconds(1);
  std::chrono::milliseconds replan_every = std::chrono::minutes(5);
};

class ExperimentCache {
 public:
  explicit ExperimentCache(Store& store, ExperimentCacheOptions options = {}) : store_(store), options_(options) {}

  // The running experiment as of at most `refresh` ago, null when none runs. `now` is the
  // store clock's time (a plan's age). A failed read keeps the last answer; before a
  // first read that worked it is the store's error: an email is not written outside an
  // experiment that may be running.
  Result<std::shared_ptr<const Experiment>> Get(Millis now);
  void Invalidate();

 private:
  // Re-plans `running` when it is a bandit whose plan is older than replan_every.
  void MaybeReplan(std::shared_ptr<const Experiment>& running, Millis now);

  Store& store_;
  const ExperimentCacheOptions options_;
  std::mutex mu_;
  std::shared_ptr<const Experiment> running_;
  bool read_once_ = false;
  std::chrono::steady_clock::time_point read_at_{};
  bool stale_ = true;
};

}  // namespace rkd
