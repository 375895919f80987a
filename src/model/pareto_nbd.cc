#include "model/pareto_nbd.h"

#include <algorithm>
#include <boost/math/tools/toms748_solve.hpp>
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

// One of A0's two terms, log[2F1(r+s+x, b'; r+s+x+1; |alpha-beta| / (m + t)) / (m + t)^(r+s+x)],
// m = max(alpha, beta), b' = s + 1 when alpha >= beta and r + x otherwise (the note's two
// branches: each keeps the argument in [0, 1)).
double LogA0Term(const ParetoNbdParams& p, double x, double t) {
  const bool alpha_larger = p.alpha >= p.beta;
  const double m = alpha_larger ? p.alpha : p.beta;
  const double b = alpha_larger ? p.s + 1 : p.r + x;
  const double rsx = p.r + p.s + x;
  return std::log(Hyp2F1(rsx, b, rsx + 1, std::fabs(p.alpha - p.beta) / (m + t))) - rsx * std::log(m + t);
}

// log A0 = log(term(t_x) - term(T)) from the two terms' logs; -inf when they are equal
// (t_x = T: A0 = 0).
double LogA0FromTerms(double l1, double l2) {
  if (!(l1 > l2)) return -std::numeric_limits<double>::infinity();
  return l1 + std::log(-std::expm1(l2 - l1));
}

double LogA0(const ParetoNbdParams& p, const RfmSummary& row) {
  // Exactly 0 then; and skipping the series matters for heavy buyers (large x), whose
  // 2F1 terms grow for many steps before they fall.
  if (row.t_x >= row.T) return -std::numeric_limits<double>::infinity();
  return LogA0FromTerms(LogA0Term(p, row.x, row.t_x), LogA0Term(p, row.x, row.T));
}

// The log-likelihood from its parts: alive at T, or gone at some time in (t_x, T].
double Combine(const ParetoNbdParams& p, double x, double T, double lgamma_ratio, double log_a0) {
  const double a1 = lgamma_ratio + p.r * std::log(p.alpha) + p.s * std::log(p.beta);
  const double alive = -(p.r + x) * std::log(p.alpha + T) - p.s * std::log(p.beta + T);
  const double gone = std::log(p.s) - std::log(p.r + p.s + x) + log_a0;
  return a1 + LogAddExp(alive, gone);
}

}  // namespace

double ParetoNbdLogLikelihood(const ParetoNbdParams& p, const RfmSummary& row) {
  return Combine(p, row.x, row.T, LogGamma(p.r + row.x) - LogGamma(p.r), LogA0(p, row));
}

ParetoNbdLikelihood::ParetoNbdLikelihood(std::span<const RfmSummary> rows) {
  for (const RfmSummary& r : rows) {
    if (r.weight == 0) continue;
    xs_.push_back(r.x);
    Ts_.push_back(r.T);
    pairs_.emplace_back(r.x, r.t_x);
    pairs_.emplace_back(r.x, r.T);
  }
  std::sort(xs_.begin(), xs_.end());
  xs_.erase(std::unique(xs_.begin(), xs_.end()), xs_.end());
  std::sort(Ts_.begin(), Ts_.end());
  Ts_.erase(std::unique(Ts_.begin(), Ts_.end()), Ts_.end());
  std::sort(pairs_.begin(), pairs_.end());
  pairs_.erase(std::unique(pairs_.begin(), pairs_.end()), pairs_.end());
  x_weight_.assign(xs_.size(), 0);
  needed_.assign(pairs_.size(), 0);
  const auto pair_index = [this](double x, double t) {
    return static_cast<uint32_t>(std::lower_bound(pairs_.begin(), pairs_.end(), std::make_pair(x, t)) - pairs_.begin());
  };
  for (const RfmSummary& r : rows) {
    if (r.weight == 0) continue;
    const double w = static_cast<double>(r.weight);
    xi_.push_back(static_cast<uint32_t>(std::lower_bound(xs_.begin(), xs_.end(), r.x) - xs_.begin()));
    Ti_.push_back(static_cast<uint32_t>(std::lower_bound(Ts_.begin(), Ts_.end(), r.T) - Ts_.begin()));
    x_weight_[xi_.back()] += w;
    pair_tx_.push_back(pair_index(r.x, r.t_x));
    pair_T_.push_back(pair_index(r.x, r.T));
    if (r.t_x < r.T) needed_[pair_tx_.back()] = needed_[pair_T_.back()] = 1;
    w_.push_back(w);
    clients_ += r.weight;
  }
}

double ParetoNbdLikelihood::MeanInLogSpace(const std::vector<double>& log_params) const {
  const ParetoNbdParams p{std::exp(log_params[0]), std::exp(log_params[1]), std::exp(log_params[2]),
                          std::exp(log_params[3])};
  const double n = static_cast<double>(clients_);
  // What Combine computes per row, from tables: the terms in the parameters alone, log-gamma
  // and log(r + s + x) per distinct x, the logarithms in T per distinct T.
  double sum = n * (-LogGamma(p.r) + p.r * std::log(p.alpha) + p.s * std::log(p.beta));
  const double log_s = std::log(p.s);
  std::vector<double> log_rsx(xs_.size());
  for (size_t k = 0; k < xs_.size(); ++k) {
    sum += x_weight_[k] * LogGamma(p.r + xs_[k]);
    log_rsx[k] = std::log(p.r + p.s + xs_[k]);
  }
  std::vector<double> log_aT(Ts_.size()), log_bT(Ts_.size());
  for (size_t j = 0; j < Ts_.size(); ++j) {
    log_aT[j] = std::log(p.alpha + Ts_[j]);
    log_bT[j] = std::log(p.beta + Ts_[j]);
  }
  std::vector<double> term(pairs_.size());
  for (size_t j = 0; j < pairs_.size(); ++j) {
    if (needed_[j]) term[j] = LogA0Term(p, pairs_[j].first, pairs_[j].second);
  }
  for (size_t i = 0; i < w_.size(); ++i) {
    const uint32_t k = xi_[i], j = Ti_[i], j1 = pair_tx_[i], j2 = pair_T_[i];
    const double alive = -(p.r + xs_[k]) * log_aT[j] - p.s * log_bT[j];
    if (j1 == j2) {  // t_x = T: A0 = 0
      sum += w_[i] * alive;
      continue;
    }
    const double gone = log_s - log_rsx[k] + LogA0FromTerms(term[j1], term[j2]);
    sum += w_[i] * LogAddExp(alive, gone);
  }
  return sum / n;
}

double ParetoNbdMeanLogLikelihood(std::span<const RfmSummary> rows, const std::vector<double>& log_params) {
  return ParetoNbdLikelihood(rows).MeanInLogSpace(log_params);
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
  const ParetoNbdLikelihood likelihood(compressed);
  const LogLikelihoodFn f = [&likelihood](const std::vector<double>& lp, std::vector<double>*) {
    return likelihood.MeanInLogSpace(lp);
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

namespace {

// P(no purchase in (T, T + t] | x, t_x, T) as a function of t, = L(x, t_x, T + t) /
// L(x, t_x, T), with the parts that do not depend on t (log-gamma, the (x, t_x) term of A0,
// the likelihood at T) computed once: one 2F1 per t.
class QuietProbability {
 public:
  QuietProbability(const ParetoNbdParams& p, const RfmSummary& row)
      : p_(p), row_(row), lgamma_ratio_(LogGamma(p.r + row.x) - LogGamma(p.r)), term_tx_(LogA0Term(p, row.x, row.t_x)) {
    log_l0_ = LogAt(row.T);
  }
  double operator()(double t) const { return t <= 0 ? 1 : std::exp(LogAt(row_.T + t) - log_l0_); }

 private:
  double LogAt(double T) const {
    const double log_a0 =
        row_.t_x >= T ? -std::numeric_limits<double>::infinity() : LogA0FromTerms(term_tx_, LogA0Term(p_, row_.x, T));
    return Combine(p_, row_.x, T, lgamma_ratio_, log_a0);
  }
  ParetoNbdParams p_;
  RfmSummary row_;
  double lgamma_ratio_, term_tx_, log_l0_ = 0;
};

}  // namespace

double ParetoNbdChurnProbability(const ParetoNbdParams& p, const RfmSummary& row, double t) {
  return QuietProbability(p, row)(t);
}

double ParetoNbdMedianTimeToNextPurchase(const ParetoNbdParams& p, const RfmSummary& row) {
  const QuietProbability quiet(p, row);
  // Quiet(t) falls from 1 as t grows; find quiet = 1/2 in log t with TOMS 748.
  const auto f = [&quiet](double log_t) { return quiet(std::exp(log_t)) - 0.5; };
  const double lo = std::log(1e-9 * (p.alpha + row.T + 1)), hi = std::log(1e6 * (p.alpha + row.T + p.beta));
  const double f_lo = f(lo), f_hi = f(hi);
  if (!(f_hi <= 0)) return std::numeric_limits<double>::infinity();  // likely never buys again
  if (f_lo <= 0) return std::exp(lo);
  std::uintmax_t max_iter = 100;
  const auto [a, b] =
      boost::math::tools::toms748_solve(f, lo, hi, f_lo, f_hi, boost::math::tools::eps_tolerance<double>(40), max_iter);
  return std::exp((a + b) / 2);
}

}  // namespace rkd
