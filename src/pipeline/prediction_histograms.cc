#include "pipeline/prediction_histograms.h"

#include <algorithm>
#include <cmath>

namespace rkd {

void PredictionHistograms::Add(double churn_probability, std::optional<double> predicted_value) {
  const double p = std::clamp(churn_probability, 0.0, 1.0);
  ++churn_[std::min<size_t>(static_cast<size_t>(p * 10), 9)];
  if (predicted_value && std::isfinite(*predicted_value) && *predicted_value >= 0)
    values_.push_back(static_cast<float>(*predicted_value));
}

double RoundUpToNiceNumber(double x) {
  const double power = std::pow(10.0, std::floor(std::log10(x)));
  for (double step : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (step * power >= x * (1 - 1e-12)) return step * power;
  return 10 * power;
}

nlohmann::json PredictionHistograms::ToJson() const {
  nlohmann::json churn = nlohmann::json::array();
  for (size_t k = 0; k < churn_.size(); ++k)
    churn.push_back(
        {{"from", static_cast<double>(k) / 10}, {"to", static_cast<double>(k + 1) / 10}, {"clients", churn_[k]}});
  nlohmann::json value = nlohmann::json::array();
  if (!values_.empty()) {
    std::vector<float> sorted = values_;
    const size_t at = std::min(sorted.size() - 1, static_cast<size_t>(0.95 * static_cast<double>(sorted.size())));
    std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(at), sorted.end());
    const double p95 = sorted[at];
    const double top = p95 > 0 ? RoundUpToNiceNumber(p95) : 1.0;
    const double width = top / 10;
    std::array<int64_t, 11> counts{};
    for (float v : values_) ++counts[std::min<size_t>(static_cast<size_t>(v / width), 10)];
    for (size_t k = 0; k < counts.size(); ++k)
      value.push_back({{"from", static_cast<double>(k) * width},
                       {"to", k < 10 ? nlohmann::json(static_cast<double>(k + 1) * width) : nlohmann::json(nullptr)},
                       {"clients", counts[k]}});
  }
  return {{"churnProbability", churn}, {"predictedValue", value}};
}

}  // namespace rkd
