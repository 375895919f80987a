#include "experiments/experiment_decision.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace rkd {
namespace {

constexpr double kAlphaMargin = 0.8;

// 5000 -> "5,000".
std::string WithThousands(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

// A probability as a percentage with as many decimals as it takes not to round up to 100%
// (0.9875 -> "98.8%", 0.99962 -> "99.96%"), at most 6.
std::string Percent(double p, int min_decimals) {
  char buf[32];
  for (int decimals = min_decimals; decimals <= 6; ++decimals) {
    std::snprintf(buf, sizeof buf, "%.*f%%", decimals, 100 * p);
    if (p >= 1 || std::string(buf).rfind("100", 0) != 0) break;
  }
  return buf;
}

}  // namespace

std::string VariantLetter(int index) { return std::string(1, static_cast<char>('A' + index)); }

double RequiredProbability(const DecisionOptions& options, int variants, double recipients) {
  const double alpha = kAlphaMargin * (1 - options.threshold);
  const double c = NormalQuantile(1 - alpha / (2.0 * std::max(2, variants)));
  if (!(recipients > 0)) return 1;
  const double ratio = std::max(1.0, static_cast<double>(options.planned_recipients) / recipients);
  return NormalCdf(c * std::sqrt(ratio));
}

Result<ExperimentDecision> DecideExperiment(const std::vector<VariantCounts>& variants,
                                            const DecisionOptions& options) {
  RKD_RETURN_IF_ERROR(ValidateVariantCounts(variants));
  if (!(options.threshold > 0.5 && options.threshold < 1) || options.min_recipients < 0 ||
      options.planned_recipients < 1) {
    return Status::InvalidArgument("threshold must be in (0.5, 1), min_recipients >= 0, planned_recipients >= 1",
                                   "options");
  }
  ExperimentDecision d;
  int64_t fewest = variants[0].recipients;
  double inverse_sum = 0;
  for (const VariantCounts& v : variants) {
    fewest = std::min(fewest, v.recipients);
    inverse_sum += v.recipients > 0 ? 1 / static_cast<double>(v.recipients) : INFINITY;
  }
  const int k = static_cast<int>(variants.size());
  const double harmonic = std::isinf(inverse_sum) ? 0 : k / inverse_sum;
  d.required_probability = RequiredProbability(options, k, harmonic);
  if (fewest < options.min_recipients || k < 2) {
    d.state = DecisionState::kNeedsRecipients;
    d.more_recipients_needed = std::max<int64_t>(0, options.min_recipients - fewest);
    d.reason = k < 2 ? "an experiment needs at least two variants"
                     : "needs " + WithThousands(d.more_recipients_needed) + " more recipients per variant";
    return d;
  }
  RKD_ASSIGN_OR_RETURN(d.probability_best, ProbabilityBest(variants, options.metric, options.stats));
  const int best = static_cast<int>(std::max_element(d.probability_best.begin(), d.probability_best.end()) -
                                    d.probability_best.begin());
  const std::string bar = Percent(d.required_probability, 1);
  const std::string at = WithThousands(static_cast<int64_t>(std::llround(harmonic)));
  if (d.probability_best[best] >= d.required_probability) {
    d.state = DecisionState::kWinner;
    d.winner = best;
    d.reason = VariantLetter(best) + " is best with " + Percent(d.probability_best[best], 1) +
               " probability (required: " + bar + " at " + at + " recipients per variant)";
  } else {
    d.state = DecisionState::kNoWinnerYet;
    d.reason = "no variant is best with " + bar + " probability yet (" + VariantLetter(best) + ": " +
               Percent(d.probability_best[best], 0) + "); the bar is " +
               Percent(RequiredProbability(options, k, 1e300), 1) + " from " +
               WithThousands(options.planned_recipients) + " recipients per variant";
  }
  return d;
}

}  // namespace rkd
