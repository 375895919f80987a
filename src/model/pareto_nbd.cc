#include "model/pareto_nbd.h"

#include <cmath>
#include <limits>

#include "model/optimizer.h"
#include "model/special_functions.h"

namespace rkd {
namespace {

using model_math::Hyp2F1;
using model_math::LogGamma;

double LogAddExp(double u, double v) {
  if (u < v) std::swap(u, v);
  if (v == -std::numeric_limits<double>::infinity()) return u;
  return u + std::log1p(std::exp(v - u));
}

// log A0, where A0 = 2F1(r+s+x, b'; r+s+x+1; |alpha-beta| / (m + t_x)) / (m + t_x)^(r+s+x)
//                  - 2F1(r+s+x, b'; r+s+x+1; |alpha-beta| / (m + T)) / (m + T)^(r+s+x),
// m = max(alpha, beta), b' = s + 1 when alpha >= beta and r + x otherwise (the note's
// two branches: each keeps the argument in [0, 1)). -inf when t_x = T (A0 = 0).
double LogA0(const ParetoNbdParams& p, const RfmSummary& row) {
  // Exactly 0 then; and skipping the series matters for heavy buyers (large x), whose
  // 2F1 terms grow for many steps before they fall.
  if (row.t_x >= row.T) return -std::numeric_limits<double>::infinity();
  const bool alpha_larger = p.alpha >= p.beta;
  const double m = alpha_larger ? p.alpha : p.beta;
  const double b = alpha_larger ? p.s + 1 : p.r + row.x;
  const double diff = std::fabs(p.alpha - p.beta);
  const double rsx = p.r + p.s + row.x;
  const double l1 = std::log(Hyp2F1(rsx, b, rsx + 1, diff / (m + row.t_x))) - rsx * std::log(m + row.t_x);
  const double l2 = std::log(Hyp2F1(rsx, b, rsx + 1, diff / (m + row.T))) - rsx * std::log(m + row.T);
  if (!(l1 > l2)) return -std::numeric_limits<double>::infinity();
  return l1 + std::log(-std::expm1(l2 - l1));
}

}  // namespace

double ParetoNbdLogLikelihood(const ParetoNbdParams& p, const RfmSummary& row) {
  const double x = row.x, rsx = p.r + p.s + x;
  const double a1 = LogGamma(p.r + x) - LogGamma(p.r) + p.r * std::log(p.alpha) + p.s * std::log(p.beta);
  // Alive at T, or gone at some time in (t_x, T].
  const double alive = -(p.r + x) * std::log(p.alpha + row.T) - p.s * std::log(p.beta + row.T);
  const double gone = std::log(p.s) - std::log(rsx) + LogA0(p, row);
  return a1 + LogAddExp(alive, gone);
}

double ParetoNbdMeanLogLikelihood(std::span<const RfmSummary> rows, const std::vector<double>& log_params) {
  const ParetoNbdParams p{std::exp(log_params[0]), std::exp(log_params[1]), std::exp(log_params[2]),
                          std::exp(log_params[3])};
  double sum = 0, n = 0;
  for (const RfmSummary& r : rows) {
    const double w = static_cast<double>(r.weight);
    if (w == 0) continue;
    sum += w * ParetoNbdLogLikelihood(p, r);
    n += w;
  }
  return sum / n;
}

Result<ParetoNbdFit> FitParetoNbd(std::span<const RfmSummary> rows, const FitOptions& options) {
  RKD_RETURN_IF_ERROR(CheckFittable(rows));
  const std::vector<RfmSummary> compressed = Compress(rows);
  double sum_x = 0, sum_T = 0;
  int64_t clients = 0;
  for (const RfmSummary& r : compressed) {
    sum_x += r.x * static_cast<double>(r.weight);
    sum_T += r.T * static_cast<double>(r.weight);
    clients += r.weight;
  }
  // r = s = 1, the mean purchase rate Σx / ΣT, a mean lifetime of the mean T.
  const double scale = std::log(sum_T / sum_x);
  const std::vector<double> start = {0, scale, 0, std::log(sum_T / static_cast<double>(clients))};
  const LogLikelihoodFn f = [&compressed](const std::vector<double>& lp, std::vector<double>*) {
    return ParetoNbdMeanLogLikelihood(compressed, lp);
  };
  Result<OptimizeResult> opt =
      MaximizeInLogSpace(f, start, /*analytic_gradient=*/false, {"r", "alpha", "s", "beta"}, options);
  if (!opt.ok()) return opt.status().WithMessage("Pareto/NBD fit: " + opt.status().message());
  ParetoNbdFit fit;
  fit.params = {opt->params[0], opt->params[1], opt->params[2], opt->params[3]};
  FitResult& res = fit.result;
  res.model = ModelKindName(ModelKind::kParetoNbd);
  res.params = {{"r", fit.params.r}, {"alpha", fit.params.alpha}, {"s", fit.params.s}, {"beta", fit.params.beta}};
  res.log_likelihood = opt->mean_log_likelihood * static_cast<double>(clients);
  res.iterations = opt->evaluations;
  res.seconds = opt->seconds;
  res.converged = opt->converged;
  res.algorithm = opt->algorithm;
  res.clients = clients;
  res.rows = static_cast<int64_t>(compressed.size());
  return fit;
}

double ParetoNbdPAlive(const ParetoNbdParams& p, const RfmSummary& row) {
  const double log_odds_gone = std::log(p.s) - std::log(p.r + p.s + row.x) + (p.r + row.x) * std::log(p.alpha + row.T) +
                               p.s * std::log(p.beta + row.T) + LogA0(p, row);
  return 1 / (1 + std::exp(log_odds_gone));
}

double ParetoNbdExpectedPurchasesIfAlive(const ParetoNbdParams& p, double x, double T, double t) {
  if (t <= 0) return 0;
  const double log_growth = std::log1p(t / (p.beta + T));
  // [1 - ((beta+T)/(beta+T+t))^(s-1)] / (s-1), which tends to log_growth as s -> 1.
  const double sm1 = p.s - 1;
  const double factor = std::fabs(sm1) < 1e-10 ? log_growth : -std::expm1(-sm1 * log_growth) / sm1;
  return (p.r + x) * (p.beta + T) / (p.alpha + T) * factor;
}

double ParetoNbdExpectedPurchases(const ParetoNbdParams& p, const RfmSummary& row, double t) {
  if (t <= 0) return 0;
  return ParetoNbdPAlive(p, row) * ParetoNbdExpectedPurchasesIfAlive(p, row.x, row.T, t);
}

double ParetoNbdChurnProbability(const ParetoNbdParams& p, const RfmSummary& row, double t) {
  if (t <= 0) return 0;
  const RfmSummary later{row.x, row.t_x, row.T + t};
  return std::exp(ParetoNbdLogLikelihood(p, later) - ParetoNbdLogLikelihood(p, row));
}

double ParetoNbdMedianTimeToNextPurchase(const ParetoNbdParams& p, const RfmSummary& row) {
  double hi = 1e6 * (p.alpha + row.T + p.beta);
  if (ParetoNbdChurnProbability(p, row, hi) > 0.5) return std::numeric_limits<double>::infinity();
  double lo = 1e-9 * (p.alpha + row.T);
  if (ParetoNbdChurnProbability(p, row, lo) <= 0.5) return lo;
  // Churn falls as t grows: keep churn(lo) > 1/2 >= churn(hi).
  while (hi / lo > 1 + 1e-9) {
    const double mid = std::sqrt(lo * hi);
    (ParetoNbdChurnProbability(p, row, mid) > 0.5 ? lo : hi) = mid;
  }
  return std::sqrt(lo * hi);
}

}  // namespace rkd
