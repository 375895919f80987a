// The statistics of an experiment's results: per variant, the rate of a binary metric
// (conversions, or clicks: the caller passes the one it reports) with its 95% Wilson
// interval, the revenue per recipient with a 95% normal-approximation interval, the
// difference of each to the first variant (the control) with its interval and p-value, and
// the probability of being best under the posteriors below.
//
// Posteriors: a rate is Beta(1 + conversions, 1 + recipients - conversions) (uniform prior);
// a revenue per recipient is Normal(mean, s^2 / n), s^2 the sample variance (a flat prior
// and the normal approximation; a standard error of 0, as when no variant has any revenue
// yet, is raised to 1e-9 * (1 + |mean|) so that equal means share equally).
// The probability of being best is exact for two variants (the Beta sum of Evan Miller,
// "Formulas for Bayesian A/B testing", 2015, O(min conversions) terms; Phi of the z of the
// difference for revenue) and by Monte Carlo for three to five: 40,000 draws by default,
// for which the 95% margin of a probability is at most 1.96 * sqrt(0.25 / 40,000) = 0.49%,
// from a fixed seed (posterior_sampling.h), so the same data give the same figures.
//
// Undefined figures are NaN (the API writes null): a rate with no recipient; a revenue
// interval, difference or p-value with fewer than 2 recipients in a variant concerned. With
// fewer than 2 recipients in any variant, every revenue probability of being best is 1/k.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "base/status.h"

namespace rkd {

// One variant's totals so far.
struct VariantCounts {
  int64_t recipients = 0;
  int64_t conversions = 0;  // or clicks: the successes of the binary metric, <= recipients
  double revenue_sum = 0;   // over all recipients (0 for those who did not buy)
  double revenue_sum_squares = 0;
};

struct Interval {
  double low = 0, high = 0;
};

enum class Metric {
  kRate,     // conversions (or clicks) per recipient
  kRevenue,  // revenue per recipient
};

struct VariantStats {
  double rate = 0;
  Interval rate_interval;  // Wilson score, 95%
  double revenue_per_recipient = 0;
  Interval revenue_interval;  // mean +- 1.96 s / sqrt(n)

  // Against the first variant (all 0 / 1 for the first variant itself).
  double rate_difference = 0;            // this rate - the first's
  Interval rate_difference_interval;     // Newcombe's hybrid score (his method 10), 95%
  double rate_p_value = 1;               // two-sided pooled two-proportion z-test
  double revenue_difference = 0;         // this revenue per recipient - the first's
  Interval revenue_difference_interval;  // Welch, 95%, t with Welch-Satterthwaite df
  double revenue_p_value = 1;            // two-sided Welch t-test

  double probability_best_rate = 0;
  double probability_best_revenue = 0;
};

struct StatsOptions {
  int draws = 40'000;  // Monte Carlo draws for three or more variants
  uint64_t seed = 12;
};

// InvalidArgument (field "variants") unless there are 1 to 5 variants with
// 0 <= conversions <= recipients, finite revenue sums and revenue_sum_squares >= 0.
Status ValidateVariantCounts(const std::vector<VariantCounts>& variants);

Result<std::vector<VariantStats>> ComputeExperimentStats(const std::vector<VariantCounts>& variants,
                                                         const StatsOptions& options = {});

// The probability that each variant is best on `metric` (sums to 1). Errors as above.
Result<std::vector<double>> ProbabilityBest(const std::vector<VariantCounts>& variants, Metric metric,
                                            const StatsOptions& options = {});

// The share of `draws` joint posterior draws (seeded) in which each variant's sample is the
// largest: the Monte Carlo probability of being best, and the bandit's Thompson shares.
// Requires valid counts and, for revenue, at least 2 recipients in every variant.
std::vector<double> ShareOfDrawsBest(const std::vector<VariantCounts>& variants, Metric metric, int draws,
                                     uint64_t seed);

// The building blocks, exposed for their tests. z is the two-sided normal quantile (1.96 for 95%).
inline constexpr double kZ95 = 1.959963984540054;
Interval WilsonInterval(int64_t successes, int64_t n, double z = kZ95);
// Newcombe's hybrid score interval of p1 - p2.
Interval NewcombeInterval(int64_t x1, int64_t n1, int64_t x2, int64_t n2, double z = kZ95);
double TwoProportionPValue(int64_t x1, int64_t n1, int64_t x2, int64_t n2);
// P(p_b > p_a) for p_a ~ Beta(a_alpha, a_beta), p_b ~ Beta(b_alpha, b_beta), integer parameters >= 1.
double ProbabilityBetaGreater(int64_t a_alpha, int64_t a_beta, int64_t b_alpha, int64_t b_beta);

struct WelchResult {
  double difference = 0;  // mean b - mean a
  Interval interval;      // 95%
  double p_value = 1;
};
// Welch's test of the means of b and a from their counts; NaN fields when either has n < 2.
WelchResult WelchTest(const VariantCounts& a, const VariantCounts& b);

// Phi^-1 and Phi, for the decision rule.
double NormalQuantile(double p);
double NormalCdf(double x);

}  // namespace rkd
