#include "pipeline/experiment_cache.h"

#include "base/log.h"
#include "experiments/experiment_plan.h"

namespace rkd {

Result<std::shared_ptr<const Experiment>> ExperimentCache::Get(Millis now) {
  std::lock_guard lock(mu_);
  const auto steady_now = std::chrono::steady_clock::now();
  if (stale_ || steady_now - read_at_ >= options_.refresh) {
    // Tried at most once per period, whatever the outcome.
    read_at_ = steady_now;
    stale_ = false;
    auto running = store_.RunningExperiment();
    if (running.ok()) {
      running_ = *running ? std::make_shared<const Experiment>(std::move(**running)) : nullptr;
      read_once_ = true;
    } else if (read_once_) {
      LogWarn("cannot read the running experiment; using the last one", {{"error", running.status().ToString()}});
    } else {
      stale_ = true;
      return running.status();
    }
    if (running_) MaybeReplan(running_, now);
  }
  return running_;
}

void ExperimentCache::MaybeReplan(std::shared_ptr<const Experiment>& running, Millis now) {
  if (running->allocation != "bandit" || now - running->planned_at < options_.replan_every.count()) return;
  auto totals = store_.ExperimentTotals(running->experiment_id, static_cast<int>(running->variants.size()));
  if (!totals.ok()) {
    LogWarn("cannot read the experiment's results to re-plan", {{"error", totals.status().ToString()}});
    return;
  }
  auto weights = ReplanBandit(*running, *totals);
  if (!weights.ok()) {
    LogWarn("cannot re-plan the experiment", {{"error", weights.status().ToString()}});
    return;
  }
  ExperimentAllocation plan{now, *weights, "bandit re-plan"};
  auto replanned = store_.ReplanExperiment(running->experiment_id, running->planned_at, plan);
  if (!replanned.ok()) {
    LogWarn("cannot store the experiment's new plan", {{"error", replanned.status().ToString()}});
    return;
  }
  if (!*replanned) {  // another process re-planned first: read its plan next time
    stale_ = true;
    return;
  }
  auto next = std::make_shared<Experiment>(*running);
  next->weights = std::move(plan.weights);
  next->planned_at = now;
  running = std::move(next);
  LogInfo("experiment re-planned", {{"experimentId", running->experiment_id}, {"weights", running->weights}});
}

void ExperimentCache::Invalidate() {
  std::lock_guard lock(mu_);
  stale_ = true;
}

}  // namespace rkd
