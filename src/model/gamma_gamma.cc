#include "model/gamma_gamma.h"

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

double GammaGammaMeanLogLikelihood(std::span<const RfmSummary> rows, const std::vector<double>& log_params,
                                   std::vector<double>* grad) {
  const GammaGammaParams params{std::exp(log_params[0]), std::exp(log_params[1]), std::exp(log_params[2])};
  const double p = params.p, q = params.q, g = params.gamma;
  double sum = 0, n = 0, gp = 0, gq = 0, gg = 0;
  const double dg_q = grad != nullptr ? Digamma(q) : 0;
  for (const RfmSummary& r : rows) {
    if (!Usable(r)) continue;
    const double w = static_cast<double>(r.weight), x = r.x, z = r.monetary, px = p * x;
    sum += w * GammaGammaLogLikelihood(params, x, z);
    n += w;
    if (grad != nullptr) {
      const double dg_pxq = Digamma(px + q), l_gxz = std::log(g + x * z);
      gp += w * x * (dg_pxq - Digamma(px) + std::log(z) + std::log(x) - l_gxz);
      gq += w * (dg_pxq - dg_q + std::log(g) - l_gxz);
      gg += w * (q / g - (px + q) / (g + x * z));
    }
  }
  if (grad != nullptr) grad->assign({gp * p / n, gq * q / n, gg * g / n});
  return sum / n;
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
  const LogLikelihoodFn f = [&usable](const std::vector<double>& lp, std::vector<double>* g) {
    return GammaGammaMeanLogLikelihood(usable, lp, g);
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
