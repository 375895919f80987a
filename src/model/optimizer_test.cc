#include "model/optimizer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace rkd {
namespace {

// The mean log-likelihood of a Gamma(shape k, rate θ) sample, summarized by its mean and
// mean log: its maximum is known in closed form for θ (θ = k / mean).
struct GammaSample {
  double mean = 2.5, mean_log = 0.7;
  double operator()(const std::vector<double>& lp, std::vector<double>* grad) const {
    const double k = std::exp(lp[0]), theta = std::exp(lp[1]);
    if (grad != nullptr) {
      // d/dlog k = k (log θ - ψ(k) + mean_log), approximated here by differences; the
      // analytic path is exercised by the model tests.
      *grad = NumericalGradient(*this, lp);
    }
    return k * std::log(theta) - std::lgamma(k) + (k - 1) * mean_log - theta * mean;
  }
};

TEST(OptimizerTest, FindsAKnownMaximumWithAndWithoutAnAnalyticGradient) {
  const GammaSample f;
  for (bool analytic : {true, false}) {
    const Result<OptimizeResult> r = MaximizeInLogSpace(f, {0, 0}, analytic, {"k", "theta"}, FitOptions{});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_TRUE(r->converged);
    EXPECT_NEAR(r->params[1], r->params[0] / f.mean, 1e-6);  // ∂/∂θ = 0
    const std::vector<double> g = NumericalGradient(f, {std::log(r->params[0]), std::log(r->params[1])});
    EXPECT_NEAR(g[0], 0, 1e-6);
    EXPECT_NEAR(g[1], 0, 1e-6);
    EXPECT_GT(r->evaluations, 0);
  }
}

TEST(OptimizerTest, ANowhereFiniteLikelihoodIsAnError) {
  const LogLikelihoodFn nan = [](const std::vector<double>&, std::vector<double>* g) {
    if (g != nullptr) g->assign(2, 0);
    return std::numeric_limits<double>::quiet_NaN();
  };
  const Result<OptimizeResult> r = MaximizeInLogSpace(nan, {0, 0}, true, {"a", "b"}, FitOptions{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("not finite"), std::string::npos) << r.status().message();
}

TEST(OptimizerTest, AnUnboundedLikelihoodEndsOnABoundAndIsRefused) {
  // Rises for ever as the parameter grows.
  const LogLikelihoodFn up = [](const std::vector<double>& lp, std::vector<double>* g) {
    if (g != nullptr) g->assign(1, 1);
    return lp[0];
  };
  const Result<OptimizeResult> r = MaximizeInLogSpace(up, {0}, true, {"speed"}, FitOptions{});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("speed"), std::string::npos) << r.status().message();
}

TEST(OptimizerTest, RunningOutOfEvaluationsIsAnErrorUnlessAllowed) {
  const GammaSample f;
  FitOptions options;
  options.max_evaluations = 3;
  const Result<OptimizeResult> strict = MaximizeInLogSpace(f, {2, -2}, true, {"k", "theta"}, options);
  ASSERT_FALSE(strict.ok());
  EXPECT_NE(strict.status().message().find("did not converge"), std::string::npos) << strict.status().message();
  options.require_convergence = false;
  const Result<OptimizeResult> lax = MaximizeInLogSpace(f, {2, -2}, true, {"k", "theta"}, options);
  ASSERT_TRUE(lax.ok());
  EXPECT_FALSE(lax->converged);
}

}  // namespace
}  // namespace rkd
