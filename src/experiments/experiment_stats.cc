#include "experiments/experiment_stats.h"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>

#include "experiments/posterior_sampling.h"
#include "model/special_functions.h"

namespace rkd {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kMaxVariants = 5;

double LogBeta(double a, double b) {
  return model_math::LogGamma(a) + model_math::LogGamma(b) - model_math::LogGamma(a + b);
}

// Mean and standard error of the revenue per recipient; NaN with fewer than 2 recipients.
struct MeanSe {
  double mean = kNaN, se = kNaN, variance = kNaN;
  double n = 0;
};

MeanSe RevenueMeanSe(const VariantCounts& v) {
  MeanSe m;
  m.n = static_cast<double>(v.recipients);
  if (v.recipients < 1) return m;
  m.mean = v.revenue_sum / m.n;
  if (v.recipients < 2) return m;
  m.variance = std::max(0.0, (v.revenue_sum_squares - v.revenue_sum * m.mean) / (m.n - 1));
  m.se = std::sqrt(m.variance / m.n);
  return m;
}

// The posterior of a revenue mean: Normal(mean, se) with se kept off 0 (see the header).
double PosteriorSe(const MeanSe& m) { return std::max(m.se, 1e-9 * (1 + std::abs(m.mean))); }

}  // namespace

std::vector<double> ShareOfDrawsBest(const std::vector<VariantCounts>& variants, Metric metric, int draws,
                                     uint64_t seed) {
  const size_t k = variants.size();
  std::vector<MeanSe> revenue(k);
  for (size_t i = 0; i < k; ++i) revenue[i] = RevenueMeanSe(variants[i]);
  PosteriorRng rng(seed);
  std::vector<double> wins(k, 0);
  draws = std::max(1, draws);
  for (int d = 0; d < draws; ++d) {
    size_t best = 0;
    double best_value = -std::numeric_limits<double>::infinity();
    for (size_t i = 0; i < k; ++i) {
      const VariantCounts& v = variants[i];
      const double x = metric == Metric::kRate ? rng.Beta(static_cast<double>(1 + v.conversions),
                                                          static_cast<double>(1 + v.recipients - v.conversions))
                                               : revenue[i].mean + PosteriorSe(revenue[i]) * rng.Normal();
      if (x > best_value) {
        best_value = x;
        best = i;
      }
    }
    wins[best] += 1;
  }
  for (double& w : wins) w /= draws;
  return wins;
}

double NormalQuantile(double p) { return boost::math::quantile(boost::math::normal_distribution<double>(), p); }
double NormalCdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

Status ValidateVariantCounts(const std::vector<VariantCounts>& variants) {
  if (variants.empty() || variants.size() > kMaxVariants) {
    return Status::InvalidArgument("an experiment has 1 to 5 variants", "variants");
  }
  for (const VariantCounts& v : variants) {
    if (v.recipients < 0 || v.conversions < 0 || v.conversions > v.recipients) {
      return Status::InvalidArgument("a variant's conversions must be between 0 and its recipients", "variants");
    }
    if (!std::isfinite(v.revenue_sum) || !std::isfinite(v.revenue_sum_squares) || v.revenue_sum_squares < 0) {
      return Status::InvalidArgument("a variant's revenue sums must be finite, its sum of squares >= 0", "variants");
    }
  }
  return Status::Ok();
}

Interval WilsonInterval(int64_t successes, int64_t n, double z) {
  if (n <= 0) return {0, 1};
  const double nn = static_cast<double>(n), p = static_cast<double>(successes) / nn, z2 = z * z;
  const double denominator = 1 + z2 / nn;
  const double center = (p + z2 / (2 * nn)) / denominator;
  const double half = z / denominator * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));
  return {std::max(0.0, center - half), std::min(1.0, center + half)};
}

Interval NewcombeInterval(int64_t x1, int64_t n1, int64_t x2, int64_t n2, double z) {
  if (n1 <= 0 || n2 <= 0) return {kNaN, kNaN};
  const double p1 = static_cast<double>(x1) / static_cast<double>(n1);
  const double p2 = static_cast<double>(x2) / static_cast<double>(n2);
  const Interval w1 = WilsonInterval(x1, n1, z), w2 = WilsonInterval(x2, n2, z);
  const double d = p1 - p2;
  return {d - std::hypot(p1 - w1.low, w2.high - p2), d + std::hypot(w1.high - p1, p2 - w2.low)};
}

double TwoProportionPValue(int64_t x1, int64_t n1, int64_t x2, int64_t n2) {
  if (n1 <= 0 || n2 <= 0) return kNaN;
  const double a = static_cast<double>(n1), b = static_cast<double>(n2);
  const double pooled = static_cast<double>(x1 + x2) / (a + b);
  const double se = std::sqrt(pooled * (1 - pooled) * (1 / a + 1 / b));
  if (!(se > 0)) return 1;  // no conversions at all, or all converted: no difference
  const double z = (static_cast<double>(x1) / a - static_cast<double>(x2) / b) / se;
  return std::erfc(std::abs(z) / std::sqrt(2.0));
}

double ProbabilityBetaGreater(int64_t a_alpha, int64_t a_beta, int64_t b_alpha, int64_t b_beta) {
  // P(B > A) = sum_{i=0}^{b_alpha-1} B(a_alpha+i, a_beta+b_beta) / ((b_beta+i) B(1+i, b_beta) B(a_alpha, a_beta))
  // (Miller 2015). Its terms t_i follow t_0 = B(a_alpha, a_beta+b_beta) / B(a_alpha, a_beta) and
  // t_{i+1} / t_i = (a_alpha+i)(b_beta+i) / ((a_alpha+a_beta+b_beta+i)(i+1)); summed in logs
  // (the first terms underflow with thousands of recipients). The sum runs over the smaller
  // alpha: P(B > A) = 1 - P(A > B), ties having probability 0.
  if (b_alpha > a_alpha) return 1 - ProbabilityBetaGreater(b_alpha, b_beta, a_alpha, a_beta);
  const double aa = static_cast<double>(a_alpha), ab = static_cast<double>(a_beta);
  const double bb = static_cast<double>(b_beta);
  double log_t = LogBeta(aa, ab + bb) - LogBeta(aa, ab);
  double log_max = log_t, scaled_sum = 1;  // sum = exp(log_max) * scaled_sum
  for (int64_t i = 0; i + 1 < b_alpha; ++i) {
    const double di = static_cast<double>(i);
    log_t += std::log((aa + di) * (bb + di) / ((aa + ab + bb + di) * (di + 1)));
    if (log_t > log_max) {
      scaled_sum = scaled_sum * std::exp(log_max - log_t) + 1;
      log_max = log_t;
    } else {
      scaled_sum += std::exp(log_t - log_max);
    }
  }
  return std::clamp(std::exp(log_max + std::log(scaled_sum)), 0.0, 1.0);
}

WelchResult WelchTest(const VariantCounts& a, const VariantCounts& b) {
  WelchResult r;
  const MeanSe ma = RevenueMeanSe(a), mb = RevenueMeanSe(b);
  if (a.recipients < 2 || b.recipients < 2) return {kNaN, {kNaN, kNaN}, kNaN};
  r.difference = mb.mean - ma.mean;
  const double va = ma.se * ma.se, vb = mb.se * mb.se, se = std::sqrt(va + vb);
  if (!(se > 0)) {  // both without spread: the difference is what it is
    r.interval = {r.difference, r.difference};
    r.p_value = r.difference == 0 ? 1 : 0;
    return r;
  }
  const double df = (va + vb) * (va + vb) / (va * va / (ma.n - 1) + vb * vb / (mb.n - 1));
  const boost::math::students_t_distribution<double> t(df);
  const double q = boost::math::quantile(t, 0.975);
  r.interval = {r.difference - q * se, r.difference + q * se};
  r.p_value = 2 * boost::math::cdf(boost::math::complement(t, std::abs(r.difference) / se));
  return r;
}

Result<std::vector<double>> ProbabilityBest(const std::vector<VariantCounts>& variants, Metric metric,
                                            const StatsOptions& options) {
  RKD_RETURN_IF_ERROR(ValidateVariantCounts(variants));
  const size_t k = variants.size();
  if (k == 1) return std::vector<double>{1.0};
  if (metric == Metric::kRevenue) {
    for (const VariantCounts& v : variants) {
      if (v.recipients < 2) return std::vector<double>(k, 1.0 / static_cast<double>(k));
    }
  }
  if (k > 2) return ShareOfDrawsBest(variants, metric, options.draws, options.seed);
  const VariantCounts &a = variants[0], &b = variants[1];
  double b_best;
  if (metric == Metric::kRate) {
    b_best = ProbabilityBetaGreater(1 + a.conversions, 1 + a.recipients - a.conversions, 1 + b.conversions,
                                    1 + b.recipients - b.conversions);
  } else {
    const MeanSe ma = RevenueMeanSe(a), mb = RevenueMeanSe(b);
    b_best = NormalCdf((mb.mean - ma.mean) / std::hypot(PosteriorSe(ma), PosteriorSe(mb)));
  }
  return std::vector<double>{1 - b_best, b_best};
}

Result<std::vector<VariantStats>> ComputeExperimentStats(const std::vector<VariantCounts>& variants,
                                                         const StatsOptions& options) {
  RKD_RETURN_IF_ERROR(ValidateVariantCounts(variants));
  RKD_ASSIGN_OR_RETURN(const std::vector<double> best_rate, ProbabilityBest(variants, Metric::kRate, options));
  RKD_ASSIGN_OR_RETURN(const std::vector<double> best_revenue, ProbabilityBest(variants, Metric::kRevenue, options));
  std::vector<VariantStats> out(variants.size());
  const VariantCounts& control = variants[0];
  for (size_t i = 0; i < variants.size(); ++i) {
    const VariantCounts& v = variants[i];
    VariantStats& s = out[i];
    s.rate = v.recipients > 0 ? static_cast<double>(v.conversions) / static_cast<double>(v.recipients) : kNaN;
    s.rate_interval = WilsonInterval(v.conversions, v.recipients);
    const MeanSe m = RevenueMeanSe(v);
    s.revenue_per_recipient = m.mean;
    s.revenue_interval = {m.mean - kZ95 * m.se, m.mean + kZ95 * m.se};
    if (i > 0) {
      s.rate_difference = s.rate - out[0].rate;
      s.rate_difference_interval =
          NewcombeInterval(v.conversions, v.recipients, control.conversions, control.recipients);
      s.rate_p_value = TwoProportionPValue(v.conversions, v.recipients, control.conversions, control.recipients);
      const WelchResult w = WelchTest(control, v);
      s.revenue_difference = w.difference;
      s.revenue_difference_interval = w.interval;
      s.revenue_p_value = w.p_value;
    }
    s.probability_best_rate = best_rate[i];
    s.probability_best_revenue = best_revenue[i];
  }
  return out;
}

}  // namespace rkd
