// BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): while alive,
// a client buys at a Poisson rate λ ~ Gamma(r, alpha); after each purchase they drop out
// with probability p ~ Beta(a, b). Likelihood, fit and per-client predictions, all in the
// time unit of the summaries the parameters were fitted on. Pure functions; thread-safe.
//
// Note that BG/NBD cannot let a client drop out before their first repeat purchase, so
// P(alive) is 1 for every client with x = 0: use ChurnProbability (no purchase over a
// horizon), which does fall for them as T grows, for win-back decisions.
#pragma once

#include <span>
#include <vector>

#include "base/status.h"
#include "model/model_fit.h"
#include "model/rfm_summary.h"

namespace rkd {

struct BgNbdParams {
  double r = 1, alpha = 1, a = 1, b = 1;
};

struct BgNbdFit {
  BgNbdParams params;
  FitResult result;  // model "bgnbd", params r, alpha, a, b
};

// One client's log-likelihood (the row's weight is ignored).
double BgNbdLogLikelihood(const BgNbdParams& p, const RfmSummary& row);

// The likelihood over many rows, prepared once (distinct x, t_x and T values found and
// indexed) so that each evaluation computes log-gamma and digamma once per distinct x and
// logarithms once per distinct t_x and T. This is what Fit maximizes; it is public for the
// gradient tests. Immutable after construction; thread-safe.
class BgNbdLikelihood {
 public:
  explicit BgNbdLikelihood(std::span<const RfmSummary> rows);
  // Weighted sum of the rows' log-likelihoods.
  double Total(const BgNbdParams& p) const;
  // Mean log-likelihood per client at exp(log_params) (log r, log alpha, log a, log b);
  // with `grad`, its gradient with respect to the log-parameters (analytic).
  double MeanInLogSpace(const std::vector<double>& log_params, std::vector<double>* grad) const;
  int64_t clients() const { return clients_; }
  int64_t rows() const { return static_cast<int64_t>(w_.size()); }

 private:
  std::vector<double> xs_, Ts_, txs_;    // distinct values
  std::vector<double> x_weight_;         // total weight per distinct x
  std::vector<uint32_t> xi_, Ti_, txi_;  // per row: index into the distinct values
  std::vector<double> w_;                // per row weight
  int64_t clients_ = 0;
};

// Maximum likelihood fit (L-BFGS on log-parameters, analytic gradient; BOBYQA fallback).
// Errors: CheckFittable's, and the optimizer's (not converged, not identified).
Result<BgNbdFit> FitBgNbd(std::span<const RfmSummary> rows, const FitOptions& options = {});

// P(alive at T | x, t_x, T): 1 when x = 0 (see the header comment).
double BgNbdPAlive(const BgNbdParams& p, const RfmSummary& row);

// E[Y(t) | x, t_x, T]: expected purchases in (T, T + t] (FHL 2005, eq. 10), with the
// Gauss hypergeometric function from Boost.Math after Euler's transformation (its
// parameters then do not grow with x, and the factor (1 - z)^(r + x) is absorbed).
double BgNbdExpectedPurchases(const BgNbdParams& p, const RfmSummary& row, double t);

// E[Y(t) | x, t_x, T] / P(alive): depends on x and T only (not t_x), so batch predictions
// compute it once per distinct (x, T). Continuous across a = 1 (a removable singularity of
// eq. 10, interpolated between a = 1 ± 1e-4).
double BgNbdExpectedPurchasesIfAlive(const BgNbdParams& p, double x, double T, double t);

// P(no purchase in (T, T + t] | x, t_x, T) = (1 - P(alive)) + P(alive) ((alpha + T) /
// (alpha + T + t))^(r + x): the posterior of λ for a client alive at T is
// Gamma(r + x, alpha + T), and a client who makes no purchase cannot drop out.
// Equals L(x, t_x, T + t) / L(x, t_x, T). 1 for t <= 0 (an empty window holds no purchase).
double BgNbdChurnProbability(const BgNbdParams& p, const RfmSummary& row, double t);

// The median time to the next purchase, from T: the t at which ChurnProbability(t) = 1/2,
// i.e. the client has even odds of having bought again by T + t. Closed form:
// t = (alpha + T) ((P / (P - 1/2))^(1 / (r + x)) - 1) with P = P(alive). +infinity when
// P(alive) <= 1/2 (more likely than not, the client never buys again).
double BgNbdMedianTimeToNextPurchase(const BgNbdParams& p, const RfmSummary& row);

}  // namespace rkd
