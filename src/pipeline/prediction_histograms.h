// The shape of a fit's predictions, kept with the fit (its diagnostics) so the dashboard
// draws it without reading every prediction: the churn probability in ten bins of 0.1,
// and the predicted value in ten equal bins from 0 to a round number just above the 95th
// percentile, with one bin above it (a few large clients would otherwise squash everyone
// else into the first bin). Thread-compatible.
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

namespace rkd {

class PredictionHistograms {
 public:
  void Add(double churn_probability, std::optional<double> predicted_value);
  // {"churnProbability": [{"from", "to", "clients"}] × 10, "predictedValue": [{"from",
  // "to", "clients"}] × 11 (the last one's "to" null), or [] when no client has a value}.
  nlohmann::json ToJson() const;

 private:
  std::array<int64_t, 10> churn_{};
  std::vector<float> values_;  // 4 bytes a client: a million clients take 4 MB
};

// The smallest of 1, 2, 2.5, 5 × 10^k at or above `x` (> 0): a bin edge a person reads at a glance.
double RoundUpToNiceNumber(double x);

}  // namespace rkd
