#include "model/optimizer.h"

#include <nlopt.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>

namespace rkd {
namespace {

// What NLopt's C callback sees: the objective, whether its gradient is analytic, and the
// evaluation count and best point so far (NLopt returns the best point too, but counting
// here covers both algorithms).
struct Context {
  const LogLikelihoodFn* f;
  bool analytic_gradient;
  int evaluations = 0;
};

// NLopt minimizes: it sees -mean LL. A non-finite value becomes +HUGE_VAL, which makes the
// line search (or BOBYQA) step back instead of reading NaN.
double Objective(unsigned n, const double* x, double* grad, void* data) {
  auto* ctx = static_cast<Context*>(data);
  ++ctx->evaluations;
  std::vector<double> lp(x, x + n);
  double value;
  if (grad == nullptr) {
    value = (*ctx->f)(lp, nullptr);
  } else if (ctx->analytic_gradient) {
    std::vector<double> g(n);
    value = (*ctx->f)(lp, &g);
    for (unsigned i = 0; i < n; ++i) grad[i] = -g[i];
  } else {
    value = (*ctx->f)(lp, nullptr);
    const std::vector<double> g = NumericalGradient(*ctx->f, lp);
    ctx->evaluations += 2 * static_cast<int>(n);
    for (unsigned i = 0; i < n; ++i) grad[i] = -g[i];
  }
  if (!std::isfinite(value)) {
    if (grad != nullptr) {
      for (unsigned i = 0; i < n; ++i) grad[i] = 0;
    }
    return HUGE_VAL;
  }
  return -value;
}

struct Run {
  nlopt_result code = NLOPT_FAILURE;
  std::vector<double> x;
  double min_value = HUGE_VAL;
};

Run RunNlopt(nlopt_algorithm algorithm, Context* ctx, const std::vector<double>& start, const FitOptions& options) {
  const unsigned n = static_cast<unsigned>(start.size());
  Run run;
  run.x = start;
  nlopt_opt opt = nlopt_create(algorithm, n);
  if (opt == nullptr) return run;
  // Bounds at the identification limit: a parameter running away stops there (and is
  // reported) rather than overflowing exp() or dragging the likelihood into regions where
  // its special functions are slow.
  const std::vector<double> lower(n, -options.max_abs_log_param), upper(n, options.max_abs_log_param);
  nlopt_set_lower_bounds(opt, lower.data());
  nlopt_set_upper_bounds(opt, upper.data());
  nlopt_set_min_objective(opt, Objective, ctx);
  nlopt_set_ftol_rel(opt, options.ftol_rel);
  nlopt_set_xtol_rel(opt, options.xtol_rel);
  nlopt_set_maxeval(opt, options.max_evaluations);
  if (algorithm != NLOPT_LD_LBFGS) {
    const std::vector<double> step(n, 0.5);
    nlopt_set_initial_step(opt, step.data());
  }
  for (unsigned i = 0; i < n; ++i) run.x[i] = std::min(std::max(run.x[i], lower[i]), upper[i]);
  run.code = nlopt_optimize(opt, run.x.data(), &run.min_value);
  nlopt_destroy(opt);
  return run;
}

// How close to a bound counts as having run into it (in log space: 1%).
constexpr double kAtBound = 0.01;

// Success codes, not the ones for running out of evaluations or time.
bool Converged(nlopt_result code) {
  return code == NLOPT_SUCCESS || code == NLOPT_STOPVAL_REACHED || code == NLOPT_FTOL_REACHED ||
         code == NLOPT_XTOL_REACHED;
}

}  // namespace

std::vector<double> NumericalGradient(const LogLikelihoodFn& f, const std::vector<double>& log_params, double h) {
  std::vector<double> g(log_params.size());
  std::vector<double> x = log_params;
  for (size_t i = 0; i < x.size(); ++i) {
    x[i] = log_params[i] + h;
    const double up = f(x, nullptr);
    x[i] = log_params[i] - h;
    const double down = f(x, nullptr);
    x[i] = log_params[i];
    g[i] = (up - down) / (2 * h);
  }
  return g;
}

Result<OptimizeResult> MaximizeInLogSpace(const LogLikelihoodFn& f, const std::vector<double>& start_log_params,
                                          bool analytic_gradient, const std::vector<std::string>& names,
                                          const FitOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  Context ctx{&f, analytic_gradient};
  Run best = RunNlopt(NLOPT_LD_LBFGS, &ctx, start_log_params, options);
  std::string algorithm = "LBFGS";
  if (!Converged(best.code) || !std::isfinite(best.min_value)) {
    // L-BFGS stopped on round-off, a failed line search or the evaluation limit: BOBYQA
    // from the best point it reached (or from the start when that is not finite).
    const std::vector<double>& from = std::isfinite(best.min_value) ? best.x : start_log_params;
    Run second = RunNlopt(NLOPT_LN_BOBYQA, &ctx, from, options);
    if (second.min_value <= best.min_value || (Converged(second.code) && !Converged(best.code))) {
      best = second;
      algorithm = "BOBYQA";
    }
  }
  OptimizeResult out;
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  out.evaluations = ctx.evaluations;
  out.algorithm = algorithm;
  out.converged = Converged(best.code);
  if (!std::isfinite(best.min_value) || best.min_value >= HUGE_VAL) {
    return Status::FailedPrecondition("the log-likelihood is not finite at any point the optimizer tried");
  }
  if (!out.converged && options.require_convergence) {
    return Status::FailedPrecondition("the fit did not converge (NLopt code " + std::to_string(best.code) + " after " +
                                      std::to_string(ctx.evaluations) + " evaluations)");
  }
  for (size_t i = 0; i < best.x.size(); ++i) {
    if (std::fabs(best.x[i]) >= options.max_abs_log_param - kAtBound) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.3g", std::exp(best.x[i]));
      return Status::FailedPrecondition("the data do not identify the model: parameter " +
                                        (i < names.size() ? names[i] : std::to_string(i)) + " runs to " + buf +
                                        " (the clients are too few or too alike)");
    }
    out.params.push_back(std::exp(best.x[i]));
  }
  out.mean_log_likelihood = -best.min_value;
  return out;
}

}  // namespace rkd
