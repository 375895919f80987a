// The bandit's traffic plan: Thompson sampling on the experiment's primary metric. Each
// variant's share of the next emails is the share of posterior draws (experiment_stats.h:
// Beta for a rate, Normal for a revenue mean) in which its sample is the largest, so a
// variant gets traffic in proportion to the chance that it is the best. Two guards keep
// the plan honest: while fewer than `exploration_recipients` have been emailed in total,
// every variant gets at least 1 / (2k); after that every variant keeps at least `floor`,
// so a variant that was unlucky early can still recover and its statistics keep improving.
// Shares held at a minimum are exactly that minimum; the rest share what remains in
// proportion to their Thompson shares (all equally if none has any).
//
// With a revenue metric and fewer than 2 recipients in some variant there is no posterior
// yet, and the plan is even. Deterministic given the seed; pure; thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "base/status.h"
#include "experiments/experiment_stats.h"

namespace rkd {

struct BanditOptions {
  Metric metric = Metric::kRate;
  int draws = 10'000;                      // posterior draws per plan
  int64_t exploration_recipients = 1'000;  // in total over the variants
  double floor = 0.05;                     // the minimum share after exploration, in [0, 1/k]
};

// Weights summing to 1, one per variant, for AssignVariant (variant_assignment.h).
// InvalidArgument for invalid counts (field "variants") or options (field "options").
Result<std::vector<double>> PlanAllocation(const std::vector<VariantCounts>& variants, const BanditOptions& options,
                                           uint64_t seed);

// The shares raised to `minimum` each, the others scaled down to keep the sum 1 (the
// renormalization described above). Requires minimum * shares.size() <= 1.
std::vector<double> ApplyMinimumShare(std::vector<double> shares, double minimum);

}  // namespace rkd
