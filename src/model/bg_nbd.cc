#include "model/bg_nbd.h"

#include <algorithm>
#include <boost/math/quadrature/tanh_sinh.hpp>
#include <cmath>
#include <exception>
#include <limits>

#include "model/optimizer.h"
#include "model/special_functions.h"

namespace rkd {
namespace {

using model_math::Digamma;
using model_math::Hyp2F1;
using model_math::LogGamma;

// log(e^u + e^v) for u >= v, with the weight e^v / (e^u + e^v) of the smaller term.
inline double LogAddExp(double u, double v, double* weight_of_v) {
  const double e = std::exp(v - u);
  *weight_of_v = e / (1 + e);
  return u + std::log1p(e);
}

std::vector<double> Distinct(std::span<const RfmSummary> rows, double RfmSummary::*field) {
  std::vector<double> v;
  v.reserve(rows.size());
  for (const RfmSummary& r : rows) v.push_back(r.*field);
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

uint32_t IndexOf(const std::vector<double>& sorted, double value) {
  return static_cast<uint32_t>(std::lower_bound(sorted.begin(), sorted.end(), value) - sorted.begin());
}

// The factor (a+b+x-1)/(a-1) [1 - (1-z)^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z)] of E[Y(t)]
// with z = t / (alpha + T + t), for a != 1.
double ExpectedPurchasesIfAliveAwayFromOne(const BgNbdParams& p, double a, double x, double T, double t) {
  const double z = t / (p.alpha + T + t);
  const double c = a + p.b + x - 1;
  const double h = Hyp2F1(a + p.b - 1 - p.r, a - 1, c, z);
  return c / (a - 1) * -std::expm1(std::log1p(-z) * (a - 1) + std::log(h));
}

// The same by its definition: a client alive at T has λ ~ Gamma(r + x, alpha + T) and
// dropout probability q ~ Beta(a, b + x), and expects (1 - e^(-λ q t)) / q purchases in t;
// averaged over λ that is (1 - (1 + q t / (alpha + T))^-(r + x)) / q, integrated here over
// q's Beta density with Boost's tanh-sinh quadrature. Used where eq. 10's 2F1 has c =
// a + b + x - 1 near or below 0 (x = 0 and a + b < 1.5), which Boost's series cannot sum.
// The Beta density's singularities at 0 and 1 are both put at 0 (q on (0, 1/2], 1 - q on
// the other half), where the quadrature approaches them without rounding.
double ExpectedPurchasesIfAliveByQuadrature(const BgNbdParams& p, double x, double T, double t) {
  // One per thread: in Boost 1.81 the one-argument integrate() is not const.
  thread_local boost::math::quadrature::tanh_sinh<double> integrator;
  const double k = p.r + x, u = t / (p.alpha + T), bx = p.b + x;
  const double log_beta = LogGamma(p.a) + LogGamma(bx) - LogGamma(p.a + bx);
  const auto g = [k, u](double q) { return -std::expm1(-k * std::log1p(q * u)) / q; };
  const auto low = [&](double q) {
    return g(q) * std::exp((p.a - 1) * std::log(q) + (bx - 1) * std::log1p(-q) - log_beta);
  };
  const auto high = [&](double q) {
    return g(1 - q) * std::exp((p.a - 1) * std::log1p(-q) + (bx - 1) * std::log(q) - log_beta);
  };
  try {
    return integrator.integrate(low, 0.0, 0.5) + integrator.integrate(high, 0.0, 0.5);
  } catch (const std::exception&) {  // Boost reports a non-finite integrand or no convergence
    return std::numeric_limits<double>::quiet_NaN();
  }
}

// For any parameters: eq. 10 where its 2F1 is well behaved; a = 1 is a removable
// singularity (0/0), so near it the factor is interpolated between a = 1 ± 1e-4.
double ExpectedPurchasesIfAlive(const BgNbdParams& p, double x, double T, double t) {
  constexpr double kNearOne = 1e-4, kMinC = 0.5;
  if (p.a + p.b + x - 1 < kMinC) return ExpectedPurchasesIfAliveByQuadrature(p, x, T, t);
  double e;
  if (std::fabs(p.a - 1) >= kNearOne) {
    e = ExpectedPurchasesIfAliveAwayFromOne(p, p.a, x, T, t);
  } else {
    const double lo = ExpectedPurchasesIfAliveAwayFromOne(p, 1 - kNearOne, x, T, t);
    const double hi = ExpectedPurchasesIfAliveAwayFromOne(p, 1 + kNearOne, x, T, t);
    const double f = (p.a - (1 - kNearOne)) / (2 * kNearOne);
    e = (1 - f) * lo + f * hi;
  }
  return std::isfinite(e) ? e : ExpectedPurchasesIfAliveByQuadrature(p, x, T, t);
}

}  // namespace

double BgNbdLogLikelihood(const BgNbdParams& p, const RfmSummary& row) {
  const double x = row.x, rx = p.r + x;
  const double a1 = LogGamma(rx) - LogGamma(p.r) + p.r * std::log(p.alpha);
  const double a2 = LogGamma(p.a + p.b) + LogGamma(p.b + x) - LogGamma(p.b) - LogGamma(p.a + p.b + x);
  const double l3 = -rx * std::log(p.alpha + row.T);
  if (x == 0) return a1 + a2 + l3;
  const double l4 = std::log(p.a) - std::log(p.b + x - 1) - rx * std::log(p.alpha + row.t_x);
  double unused;
  return a1 + a2 + (l3 >= l4 ? LogAddExp(l3, l4, &unused) : LogAddExp(l4, l3, &unused));
}

BgNbdLikelihood::BgNbdLikelihood(std::span<const RfmSummary> rows) {
  xs_ = Distinct(rows, &RfmSummary::x);
  Ts_ = Distinct(rows, &RfmSummary::T);
  txs_ = Distinct(rows, &RfmSummary::t_x);
  x_weight_.assign(xs_.size(), 0);
  xi_.reserve(rows.size());
  Ti_.reserve(rows.size());
  txi_.reserve(rows.size());
  w_.reserve(rows.size());
  for (const RfmSummary& r : rows) {
    if (r.weight == 0) continue;
    const uint32_t k = IndexOf(xs_, r.x);
    xi_.push_back(k);
    Ti_.push_back(IndexOf(Ts_, r.T));
    txi_.push_back(IndexOf(txs_, r.t_x));
    w_.push_back(static_cast<double>(r.weight));
    x_weight_[k] += static_cast<double>(r.weight);
    clients_ += r.weight;
  }
}

double BgNbdLikelihood::Total(const BgNbdParams& p) const {
  const std::vector<double> lp = {std::log(p.r), std::log(p.alpha), std::log(p.a), std::log(p.b)};
  return MeanInLogSpace(lp, nullptr) * static_cast<double>(clients_);
}

double BgNbdLikelihood::MeanInLogSpace(const std::vector<double>& log_params, std::vector<double>* grad) const {
  const double r = std::exp(log_params[0]), alpha = std::exp(log_params[1]);
  const double a = std::exp(log_params[2]), b = std::exp(log_params[3]);
  const double n = static_cast<double>(clients_);
  const double la = std::log(a);
  // The terms that depend on the parameters alone, then on x alone.
  double sum = n * (-LogGamma(r) + r * std::log(alpha) + LogGamma(a + b) - LogGamma(b));
  const double dg_r = Digamma(r), dg_ab = Digamma(a + b), dg_b = Digamma(b);
  double gr = n * (-dg_r + std::log(alpha)), galpha = n * r / alpha, ga = n * dg_ab, gb = n * (dg_ab - dg_b);
  std::vector<double> lbx(xs_.size()), ibx(xs_.size());
  for (size_t k = 0; k < xs_.size(); ++k) {
    const double x = xs_[k], w = x_weight_[k];
    sum += w * (LogGamma(r + x) + LogGamma(b + x) - LogGamma(a + b + x));
    if (x > 0) {
      lbx[k] = std::log(b + x - 1);
      ibx[k] = 1 / (b + x - 1);
    }
    if (grad != nullptr) {
      const double dg_abx = Digamma(a + b + x);
      gr += w * Digamma(r + x);
      ga -= w * dg_abx;
      gb += w * (Digamma(b + x) - dg_abx);
    }
  }
  std::vector<double> lT(Ts_.size()), iT(Ts_.size()), ltx(txs_.size()), itx(txs_.size());
  for (size_t j = 0; j < Ts_.size(); ++j) {
    lT[j] = std::log(alpha + Ts_[j]);
    iT[j] = 1 / (alpha + Ts_[j]);
  }
  for (size_t j = 0; j < txs_.size(); ++j) {
    ltx[j] = std::log(alpha + txs_[j]);
    itx[j] = 1 / (alpha + txs_[j]);
  }
  // Per row: log(e^L3 + [x > 0] e^L4), L3 = -(r+x) log(alpha+T) (alive at T),
  // L4 = log a - log(b+x-1) - (r+x) log(alpha+t_x) (dropped out after the last purchase).
  for (size_t i = 0; i < w_.size(); ++i) {
    const uint32_t k = xi_[i], jT = Ti_[i], jt = txi_[i];
    const double x = xs_[k], w = w_[i], rx = r + x;
    const double l3 = -rx * lT[jT];
    if (x == 0) {
      sum += w * l3;
      gr -= w * lT[jT];
      galpha -= w * rx * iT[jT];
      continue;
    }
    const double l4 = la - lbx[k] - rx * ltx[jt];
    double w4;
    if (l3 >= l4) {
      sum += w * LogAddExp(l3, l4, &w4);
    } else {
      double w3;
      sum += w * LogAddExp(l4, l3, &w3);
      w4 = 1 - w3;
    }
    const double w3 = 1 - w4;
    gr -= w * (w3 * lT[jT] + w4 * ltx[jt]);
    galpha -= w * rx * (w3 * iT[jT] + w4 * itx[jt]);
    ga += w * w4 / a;
    gb -= w * w4 * ibx[k];
  }
  if (grad != nullptr) {
    grad->assign({gr * r / n, galpha * alpha / n, ga * a / n, gb * b / n});
  }
  return sum / n;
}

Result<BgNbdFit> FitBgNbd(std::span<const RfmSummary> rows, const FitOptions& options) {
  RKD_RETURN_IF_ERROR(CheckFittable(rows));
  const BgNbdLikelihood likelihood(rows);
  // Start at r = 1 with the mean rate Σx / ΣT (alpha = ΣT / Σx), a = b = 1: in any unit.
  double sum_x = 0, sum_T = 0;
  for (const RfmSummary& r : rows) {
    sum_x += r.x * static_cast<double>(r.weight);
    sum_T += r.T * static_cast<double>(r.weight);
  }
  const std::vector<double> start = {0, std::log(sum_T / sum_x), 0, 0};
  const LogLikelihoodFn f = [&likelihood](const std::vector<double>& lp, std::vector<double>* g) {
    return likelihood.MeanInLogSpace(lp, g);
  };
  Result<OptimizeResult> opt =
      MaximizeInLogSpace(f, start, /*analytic_gradient=*/true, {"r", "alpha", "a", "b"}, options);
  if (!opt.ok()) return opt.status().WithMessage("BG/NBD fit: " + opt.status().message());
  BgNbdFit fit;
  fit.params = {opt->params[0], opt->params[1], opt->params[2], opt->params[3]};
  FitResult& res = fit.result;
  res.model = ModelKindName(ModelKind::kBgNbd);
  res.params = {{"r", fit.params.r}, {"alpha", fit.params.alpha}, {"a", fit.params.a}, {"b", fit.params.b}};
  res.log_likelihood = opt->mean_log_likelihood * static_cast<double>(likelihood.clients());
  res.iterations = opt->evaluations;
  res.seconds = opt->seconds;
  res.converged = opt->converged;
  res.algorithm = opt->algorithm;
  res.clients = likelihood.clients();
  res.rows = likelihood.rows();
  return fit;
}

double BgNbdPAlive(const BgNbdParams& p, const RfmSummary& row) {
  if (row.x == 0) return 1;
  const double log_ratio = (p.r + row.x) * std::log((p.alpha + row.T) / (p.alpha + row.t_x));
  return 1 / (1 + p.a / (p.b + row.x - 1) * std::exp(log_ratio));
}

double BgNbdExpectedPurchasesIfAlive(const BgNbdParams& p, double x, double T, double t) {
  if (t <= 0) return 0;
  return ExpectedPurchasesIfAlive(p, x, T, t);
}

double BgNbdExpectedPurchases(const BgNbdParams& p, const RfmSummary& row, double t) {
  if (t <= 0) return 0;
  return BgNbdPAlive(p, row) * ExpectedPurchasesIfAlive(p, row.x, row.T, t);
}

double BgNbdChurnProbability(const BgNbdParams& p, const RfmSummary& row, double t) {
  if (t <= 0) return 1;
  const double alive = BgNbdPAlive(p, row);
  const double none_if_alive = std::exp(-(p.r + row.x) * std::log1p(t / (p.alpha + row.T)));
  return (1 - alive) + alive * none_if_alive;
}

double BgNbdMedianTimeToNextPurchase(const BgNbdParams& p, const RfmSummary& row) {
  const double alive = BgNbdPAlive(p, row);
  if (alive <= 0.5) return std::numeric_limits<double>::infinity();
  return (p.alpha + row.T) * std::expm1(std::log(alive / (alive - 0.5)) / (p.r + row.x));
}

}  // namespace rkd
