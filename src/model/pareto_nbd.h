// Pareto/NBD (Schmittlein, Morrison & Colombo 1987): while alive, a client buys at a
// Poisson rate λ ~ Gamma(r, alpha); their lifetime is exponential with rate
// μ ~ Gamma(s, beta), so unlike BG/NBD a one-time buyer can be gone. Likelihood as in
// Fader & Hardie's "A Note on Deriving the Pareto/NBD Model and Related Expressions"
// (2005), with the Gauss hypergeometric function from Boost.Math and the branch on
// alpha >= beta vs alpha < beta that keeps its argument in [0, 1). The fit uses a
// central-difference gradient. Pure functions; thread-safe.
#pragma once

#include <span>
#include <vector>

#include "base/status.h"
#include "model/model_fit.h"
#include "model/rfm_summary.h"

namespace rkd {

struct ParetoNbdParams {
  double r = 1, alpha = 1, s = 1, beta = 1;
};

struct ParetoNbdFit {
  ParetoNbdParams params;
  FitResult result;  // model "paretonbd", params r, alpha, s, beta
};

// One client's log-likelihood (the row's weight is ignored).
double ParetoNbdLogLikelihood(const ParetoNbdParams& p, const RfmSummary& row);

// The likelihood over many rows, prepared once: the hypergeometric term depends on a row
// through (x, t_x) and (x, T) only, so each evaluation computes it once per distinct pair
// (1,000,000 clients in days: ~260,000 distinct rows but ~14,000 pairs), and log-gamma once
// per distinct x. This is what Fit maximizes. Immutable after construction; thread-safe.
class ParetoNbdLikelihood {
 public:
  explicit ParetoNbdLikelihood(std::span<const RfmSummary> rows);
  // Weighted mean log-likelihood per client at exp(log_params) (log r, log alpha, log s,
  // log beta).
  double MeanInLogSpace(const std::vector<double>& log_params) const;
  int64_t clients() const { return clients_; }
  int64_t rows() const { return static_cast<int64_t>(w_.size()); }

 private:
  std::vector<double> xs_, x_weight_;             // distinct x, total weight of each
  std::vector<std::pair<double, double>> pairs_;  // distinct (x, t) over t_x and T
  std::vector<char> needed_;                      // pairs of rows with t_x < T (else A0 = 0)
  std::vector<uint32_t> pair_tx_, pair_T_;        // per row: its (x, t_x) and (x, T)
  std::vector<double> Ts_;                        // distinct T
  std::vector<uint32_t> xi_, Ti_;                 // per row: its x and T
  std::vector<double> w_;                         // per row
  int64_t clients_ = 0;
};

// ParetoNbdLikelihood(rows).MeanInLogSpace(log_params).
double ParetoNbdMeanLogLikelihood(std::span<const RfmSummary> rows, const std::vector<double>& log_params);

// Maximum likelihood fit (compresses the rows first; a central-difference gradient). Errors: CheckFittable's and the
// optimizer's (not converged, not identified, likelihood not finite).
Result<ParetoNbdFit> FitParetoNbd(std::span<const RfmSummary> rows, const FitOptions& options = {});

// P(alive at T | x, t_x, T).
double ParetoNbdPAlive(const ParetoNbdParams& p, const RfmSummary& row);

// E[Y(t) | x, t_x, T] = P(alive) (r + x)(beta + T) / ((alpha + T)(s - 1))
//                       × [1 - ((beta + T) / (beta + T + t))^(s - 1)]  (its limit at s = 1).
double ParetoNbdExpectedPurchases(const ParetoNbdParams& p, const RfmSummary& row, double t);

// E[Y(t) | x, t_x, T] / P(alive), which depends on x and T only.
double ParetoNbdExpectedPurchasesIfAlive(const ParetoNbdParams& p, double x, double T, double t);

// P(no purchase in (T, T + t] | x, t_x, T) = L(x, t_x, T + t) / L(x, t_x, T): the history
// followed by t quiet time units is the same event as the history over a longer window.
// 1 for t <= 0 (an empty window holds no purchase).
double ParetoNbdChurnProbability(const ParetoNbdParams& p, const RfmSummary& row, double t);

// The median time to the next purchase, from T: the t at which ChurnProbability(t) = 1/2
// (found with Boost's TOMS 748 root finder in log t, to ~1e-11 relative). +infinity when
// the probability of ever buying again is at most 1/2 (checked at t = 1e6 (alpha + T + beta)).
double ParetoNbdMedianTimeToNextPurchase(const ParetoNbdParams& p, const RfmSummary& row);

}  // namespace rkd
