#include "experiments/experiment_plan.h"

#include <algorithm>

#include "experiments/variant_assignment.h"

namespace rkd {

BanditOptions BanditOptionsFor(const Experiment& experiment) {
  BanditOptions options;
  options.metric = MetricOf(experiment.metric);
  options.exploration_recipients = 200 * static_cast<int64_t>(experiment.variants.size());
  options.floor = 0.05;
  return options;
}

Metric MetricOf(const std::string& metric) { return metric == "revenue" ? Metric::kRevenue : Metric::kRate; }

std::vector<VariantCounts> MetricCounts(const std::vector<ExperimentVariantTotals>& totals, const std::string& metric) {
  std::vector<VariantCounts> out;
  out.reserve(totals.size());
  for (const ExperimentVariantTotals& t : totals)
    out.push_back({t.recipients, metric == "click" ? t.clicks : t.conversions, t.revenue_sum, t.revenue_sum_squares});
  return out;
}

std::vector<double> InitialWeights(const Experiment& experiment) {
  const size_t k = experiment.variants.size();
  std::vector<double> weights(k, k > 0 ? 1.0 / static_cast<double>(k) : 0.0);
  if (experiment.allocation == "bandit") return weights;
  double sum = 0;
  for (const ExperimentVariant& v : experiment.variants) sum += v.weight;
  if (sum <= 0) return weights;
  for (size_t i = 0; i < k; ++i) weights[i] = experiment.variants[i].weight / sum;
  return weights;
}

Result<std::vector<double>> ReplanBandit(const Experiment& experiment,
                                         const std::vector<ExperimentVariantTotals>& totals) {
  const uint64_t seed = VariantHash(experiment.experiment_id, std::to_string(experiment.planned_at));
  return PlanAllocation(MetricCounts(totals, experiment.metric), BanditOptionsFor(experiment), seed);
}

}  // namespace rkd
