// From an experiment's stored totals to its statistics' inputs, and its traffic plans
// (issue 12): the first plan (the configured weights normalized for a fixed allocation,
// an even split for a bandit) and a bandit's re-plan from the results so far. Pure
// functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "domain/experiment.h"
#include "experiments/bandit_allocation.h"
#include "experiments/experiment_stats.h"

namespace rkd {

// The bandit's guards for an experiment of `variants` variants: every variant keeps at
// least 1 / (2k) of the emails until 200 per variant have been sent, then at least 5%.
BanditOptions BanditOptionsFor(const Experiment& experiment);

// kRevenue for "revenue", kRate for "conversion" and "click".
Metric MetricOf(const std::string& metric);

// Each variant's counts for the statistics: the successes of a rate metric are its
// clicks ("click") or conversions (otherwise); the revenue is the same for all.
std::vector<VariantCounts> MetricCounts(const std::vector<ExperimentVariantTotals>& totals, const std::string& metric);

// The plan an experiment starts with.
std::vector<double> InitialWeights(const Experiment& experiment);

// A bandit's next plan from its totals (PlanAllocation, seeded by the experiment and the
// plan it replaces, so a re-plan is reproducible).
Result<std::vector<double>> ReplanBandit(const Experiment& experiment,
                                         const std::vector<ExperimentVariantTotals>& totals);

}  // namespace rkd
