#include "experiments/bandit_allocation.h"

#include <algorithm>
#include <cmath>

namespace rkd {

std::vector<double> ApplyMinimumShare(std::vector<double> shares, double minimum) {
  const size_t k = shares.size();
  std::vector<bool> held(k, false);
  // Each round holds at least one more share at the minimum, so k rounds suffice.
  for (size_t round = 0; round <= k; ++round) {
    double free_total = 0, remaining = 1;
    size_t free_count = 0;
    for (size_t i = 0; i < k; ++i) {
      if (held[i]) {
        remaining -= minimum;
      } else {
        free_total += shares[i];
        ++free_count;
      }
    }
    bool changed = false;
    for (size_t i = 0; i < k; ++i) {
      if (held[i]) continue;
      const double scaled =
          free_total > 0 ? shares[i] / free_total * remaining : remaining / static_cast<double>(free_count);
      if (scaled < minimum) {
        held[i] = true;
        changed = true;
      }
    }
    if (changed) continue;
    std::vector<double> out(k);
    for (size_t i = 0; i < k; ++i) {
      out[i] =
          held[i] ? minimum
                  : (free_total > 0 ? shares[i] / free_total * remaining : remaining / static_cast<double>(free_count));
    }
    return out;
  }
  return std::vector<double>(k, 1.0 / static_cast<double>(k));  // unreachable when minimum * k <= 1
}

Result<std::vector<double>> PlanAllocation(const std::vector<VariantCounts>& variants, const BanditOptions& options,
                                           uint64_t seed) {
  RKD_RETURN_IF_ERROR(ValidateVariantCounts(variants));
  const size_t k = variants.size();
  const double kk = static_cast<double>(k);
  if (!(options.floor >= 0 && options.floor * kk <= 1 + 1e-12) || options.draws < 1 ||
      options.exploration_recipients < 0) {
    return Status::InvalidArgument("floor must be in [0, 1/k], draws >= 1, exploration_recipients >= 0", "options");
  }
  int64_t total = 0;
  bool revenue_without_posterior = false;
  for (const VariantCounts& v : variants) {
    total += v.recipients;
    if (options.metric == Metric::kRevenue && v.recipients < 2) revenue_without_posterior = true;
  }
  const double minimum = total < options.exploration_recipients ? 1 / (2 * kk) : options.floor;
  if (revenue_without_posterior) return std::vector<double>(k, 1 / kk);

  return ApplyMinimumShare(ShareOfDrawsBest(variants, options.metric, options.draws, seed), minimum);
}
}  // namespace rkd
