#include "model/gamma_gamma.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "model/optimizer.h"
#include "model/special_functions.h"

namespace rkd {
namespace {

using model_math::Digamma;
using model_math::LogGamma;

bool Usable(const RfmSummary& r) { return r.x > 0 && r.monetary > 0 && r.weight > 0 && std::isfinite(r.monetary); }

}  // namespace

double GammaGammaLogLikelihood(const GammaGammaParams& params, double x, double mean_spend) {
  const double p = params.p, q = params.q, g = params.gamma, px = p * x;
  return LogGamma(px + q) - LogGamma(px) - LogGamma(q) + q * std::log(g) + (px - 1) * std::log(mean_spend) +
         px * std::log(x) - (px + q) * std::log(g + x * mean_spend);
}

GammaGammaLikelihood::GammaGammaLikelihood(std::span<const RfmSummary> rows) {
  for (const RfmSummary& r : rows) {
    if (Usable(r)) xs_.push_back(r.x);
  }
  std::sort(xs_.begin(), xs_.end());
  xs_.erase(std::unique(xs_.begin(), xs_.end()), xs_.end());
  x_weight_.assign(xs_.size(), 0);
  for (const RfmSummary& r : rows) {
    if (!Usable(r)) continue;
    const double w = static_cast<double>(r.weight);
    x_weight_[std::lower_bound(xs_.begin(), xs_.end(), r.x) - xs_.begin()] += w;
    x_.push_back(r.x);
    z_.push_back(r.monetary);
    w_.push_back(w);
    sum_w_log_z_ += w * std::log(r.monetary);
    sum_wx_log_z_ += w * r.x * std::log(r.monetary);
    sum_wx_log_x_ += w * r.x * std::log(r.x);
    sum_wx_ += w * r.x;
    clients_ += r.weight;
  }
}

double GammaGammaLikelihood::MeanInLogSpace(const std::vector<double>& log_params, std::vector<double>* grad) const {
  const double p = std::exp(log_params[0]), q = std::exp(log_params[1]), g = std::exp(log_params[2]);
  const double n = static_cast<double>(clients_), lg = std::log(g);
  // Σ w [(px - 1) log z + px log x] and the parameter-only terms.
  double sum = p * (sum_wx_log_z_ + sum_wx_log_x_) - sum_w_log_z_ + n * (q * lg - LogGamma(q));
  double gp = sum_wx_log_z_ + sum_wx_log_x_, gq = n * (lg - Digamma(q)), gg = n * q / g;
  for (size_t k = 0; k < xs_.size(); ++k) {
    const double px = p * xs_[k], w = x_weight_[k];
    sum += w * (LogGamma(px + q) - LogGamma(px));
    if (grad != nullptr) {
      const double dg = Digamma(px + q);
      gp += w * xs_[k] * (dg - Digamma(px));
      gq += w * dg;
    }
  }
  // Per row: -(px + q) log(γ + x z).
  for (size_t i = 0; i < w_.size(); ++i) {
    const double x = x_[i], w = w_[i], px = p * x, gxz = g + x * z_[i], l = std::log(gxz);
    sum -= w * (px + q) * l;
    gp -= w * x * l;
    gq -= w * l;
    gg -= w * (px + q) / gxz;
  }
  if (grad != nullptr) grad->assign({gp * p / n, gq * q / n, gg * g / n});
  return sum / n;
}

double GammaGammaMeanLogLikelihood(std::span<const RfmSummary> rows, const std::vector<double>& log_params,
                                   std::vector<double>* grad) {
  return GammaGammaLikelihood(rows).MeanInLogSpace(log_params, grad);
}

Result<GammaGammaFit> FitGammaGamma(std::span<const RfmSummary> rows, const FitOptions& options) {
  std::vector<RfmSummary> usable;
  int64_t clients = 0;
  double sum_spend = 0;
  for (const RfmSummary& r : rows) {
    if (!Usable(r)) continue;
    usable.push_back(r);
    clients += r.weight;
    sum_spend += r.monetary * static_cast<double>(r.weight);
  }
  if (usable.empty()) {
    return Status::FailedPrecondition(
        "Gamma-Gamma fit: no client has a repeat purchase day with a positive value to learn spend from");
  }
  // p = 1, q = 2 (a finite mean), γ from the mean spend: p γ / (q - 1) = mean.
  const std::vector<double> start = {0, std::log(2.0), std::log(sum_spend / static_cast<double>(clients))};
  const GammaGammaLikelihood likelihood(usable);
  const LogLikelihoodFn f = [&likelihood](const std::vector<double>& lp, std::vector<double>* g) {
    return likelihood.MeanInLogSpace(lp, g);
  };
  Result<OptimizeResult> opt = MaximizeInLogSpace(f, start, /*analytic_gradient=*/true, {"p", "q", "gamma"}, options);
  if (!opt.ok()) return opt.status().WithMessage("Gamma-Gamma fit: " + opt.status().message());
  GammaGammaFit fit;
  fit.params = {opt->params[0], opt->params[1], opt->params[2]};
  if (fit.params.q <= 1) {
    return Status::FailedPrecondition("Gamma-Gamma fit: q = " + std::to_string(fit.params.q) +
                                      " <= 1, so the fitted spend distribution has no mean to predict with");
  }
  FitResult& res = fit.result;
  res.model = "gammagamma";
  res.params = {{"p", fit.params.p}, {"q", fit.params.q}, {"gamma", fit.params.gamma}};
  res.log_likelihood = opt->mean_log_likelihood * static_cast<double>(clients);
  res.iterations = opt->evaluations;
  res.seconds = opt->seconds;
  res.converged = opt->converged;
  res.algorithm = opt->algorithm;
  res.clients = clients;
  res.rows = static_cast<int64_t>(usable.size());
  return fit;
}

double GammaGammaExpectedAverageSpend(const GammaGammaParams& params, double x, double mean_spend) {
  const double denom = params.p * x + params.q - 1;
  if (denom <= 0) return std::numeric_limits<double>::infinity();
  return params.p * (params.gamma + x * (x > 0 ? mean_spend : 0)) / denom;
}

}  // namespace rkd
