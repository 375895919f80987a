// Maximum likelihood over positive parameters: NLopt's L-BFGS on the log-parameters,
// with BOBYQA (derivative-free) from L-BFGS's best point when L-BFGS does not converge.
// Shared by the BTYD fits; callers turn the result into a FitResult. Stateless;
// thread-safe as long as the objective is.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "base/status.h"
#include "model/model_fit.h"

namespace rkd {

// The mean log-likelihood per client at exp(log_params). When `grad` is not null it has
// log_params.size() entries and receives d(mean LL)/d(log param) (the chain rule's
// param × dLL/dparam). May return a non-finite value; the optimizer treats it as -inf.
using LogLikelihoodFn = std::function<double(const std::vector<double>& log_params, std::vector<double>* grad)>;

struct OptimizeResult {
  std::vector<double> params;  // exp of the best log-parameters
  double mean_log_likelihood = 0;
  int evaluations = 0;
  double seconds = 0;
  bool converged = false;
  std::string algorithm;
};

// Maximizes `f` from exp(start_log_params). `names` name the parameters in messages.
// Without an analytic gradient the gradient is taken by central differences (step 1e-6 in
// log space). Errors (FailedPrecondition): the likelihood is not finite at the best point;
// neither algorithm converged (unless options.require_convergence is false); a parameter
// ended on its bound ±options.max_abs_log_param (the data do not identify the model).
Result<OptimizeResult> MaximizeInLogSpace(const LogLikelihoodFn& f, const std::vector<double>& start_log_params,
                                          bool analytic_gradient, const std::vector<std::string>& names,
                                          const FitOptions& options);

// Central-difference gradient of `f` in log space (step h), for gradient tests and for
// models without an analytic gradient.
std::vector<double> NumericalGradient(const LogLikelihoodFn& f, const std::vector<double>& log_params, double h = 1e-6);

}  // namespace rkd
