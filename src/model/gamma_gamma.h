// Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV: Using Iso-Value
// Curves for Customer Base Analysis"; Fader & Hardie's note "The Gamma-Gamma Model of
// Monetary Value"): a client's purchase-day values are Gamma(p, ν), ν ~ Gamma(q, γ) across
// clients, independent of the purchase process. Fitted on the clients with repeat purchase
// days, on the mean value of those days (RfmSummary::monetary). Pure functions; thread-safe.
#pragma once

#include <span>
#include <vector>

#include "base/status.h"
#include "model/model_fit.h"
#include "model/rfm_summary.h"

namespace rkd {

struct GammaGammaParams {
  double p = 1, q = 2, gamma = 1;
};

struct GammaGammaFit {
  GammaGammaParams params;
  FitResult result;  // model "gammagamma", params p, q, gamma; clients = those fitted on
};

// log f(zbar | p, q, γ; x): the density of the mean of x purchase-day values (the note's
// likelihood, which gives the published LL -4055.92 on CDNOW).
double GammaGammaLogLikelihood(const GammaGammaParams& params, double x, double mean_spend);

// The likelihood over the rows with x > 0 and monetary > 0, prepared once: the log-gamma
// and digamma terms depend on x alone and are computed once per distinct x, the terms in
// log zbar and log x are summed once, so an evaluation costs one logarithm per row.
// Immutable after construction; thread-safe.
class GammaGammaLikelihood {
 public:
  explicit GammaGammaLikelihood(std::span<const RfmSummary> rows);
  // Weighted mean log-likelihood per client at exp(log_params) (log p, log q, log γ); with
  // `grad`, its analytic gradient with respect to the log-parameters.
  double MeanInLogSpace(const std::vector<double>& log_params, std::vector<double>* grad) const;
  int64_t clients() const { return clients_; }
  int64_t rows() const { return static_cast<int64_t>(w_.size()); }

 private:
  std::vector<double> xs_, x_weight_;  // distinct x, total weight per distinct x
  std::vector<double> x_, z_, w_;      // per row
  double sum_w_log_z_ = 0, sum_wx_log_z_ = 0, sum_wx_log_x_ = 0, sum_wx_ = 0;
  int64_t clients_ = 0;
};

// GammaGammaLikelihood(rows).MeanInLogSpace(log_params, grad).
double GammaGammaMeanLogLikelihood(std::span<const RfmSummary> rows, const std::vector<double>& log_params,
                                   std::vector<double>* grad);

// Maximum likelihood fit on the rows with x > 0; rows with x > 0 but monetary <= 0 (free or
// refunded orders) are left out, as the model has no zero or negative values. Errors:
// FailedPrecondition when no row is usable, when the optimizer fails (all spends alike
// leave the model unidentified), or when the fit has q <= 1 (the spend distribution then
// has no mean, so there is no expected spend to predict).
Result<GammaGammaFit> FitGammaGamma(std::span<const RfmSummary> rows, const FitOptions& options = {});

// E[spend per purchase day | x, zbar] = p (γ + x zbar) / (p x + q - 1): a weighted mean of
// the population mean p γ / (q - 1) and the client's own zbar. For x = 0 the population
// mean. +infinity when p x + q <= 1.
double GammaGammaExpectedAverageSpend(const GammaGammaParams& params, double x, double mean_spend);

}  // namespace rkd
