// What every BTYD fit returns and is asked for: the purchase-model kinds the CLI names,
// the fit options, and a FitResult with named parameters and the optimizer's diagnostics.
// Plain value types; thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rkd {

// The purchase (transaction-count) models. The spend model (Gamma-Gamma) is fitted beside
// whichever of these is chosen, so it is not a kind.
enum class ModelKind { kBgNbd, kParetoNbd };

// "bgnbd" / "paretonbd": the names `rekindle model fit --model` takes.
const char* ModelKindName(ModelKind kind);
std::optional<ModelKind> ParseModelKind(std::string_view name);

struct NamedParam {
  std::string name;
  double value = 0;
};

struct FitResult {
  std::string model;               // "bgnbd", "paretonbd" or "gammagamma"
  std::vector<NamedParam> params;  // in the model's conventional order (r, alpha, a, b ...)
  double log_likelihood = 0;       // at params, summed over clients (weights included)
  int iterations = 0;              // likelihood evaluations, all algorithms together
  double seconds = 0;              // wall time of the optimization
  bool converged = false;          // false only when FitOptions::require_convergence is false
  std::string algorithm;           // the NLopt algorithm that gave params ("LBFGS", "BOBYQA")
  int64_t clients = 0;             // total weight of the rows fitted
  int64_t rows = 0;                // distinct rows the likelihood was summed over

  // The value of the parameter named `name`; NaN when there is none.
  double Param(std::string_view name) const;
};

struct FitOptions {
  // Stop when an iteration changes the mean log-likelihood per client by less than this
  // fraction (NLopt ftol_rel) or the log-parameters by less than xtol_rel.
  double ftol_rel = 1e-12;
  double xtol_rel = 1e-9;
  int max_evaluations = 3000;  // per algorithm
  // A fit that stops on max_evaluations is an error unless this is false, in which case it
  // comes back with converged = false.
  bool require_convergence = true;
  // The log-parameters are bounded to ±this (e^15 ≈ 3.3e6, e^-15 ≈ 3e-7). A fit that ends
  // on a bound means the likelihood keeps rising towards a degenerate model (every client
  // alike, nobody churns...): the data do not identify the model and the fit is refused.
  double max_abs_log_param = 15;
};

}  // namespace rkd
