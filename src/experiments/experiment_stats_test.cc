#include "experiments/experiment_stats.h"

#include <gtest/gtest.h>

#include <cmath>

namespace rkd {
namespace {

// The reference values below were computed by hand in Python 3 (math, statistics.NormalDist;
// no SciPy), independently of this code:
//   Wilson:   c = (p + z²/2n) / (1 + z²/n), h = z / (1 + z²/n) * sqrt(p(1-p)/n + z²/4n²)
//   Newcombe: d - hypot(p1 - l1, u2 - p2), d + hypot(u1 - p1, p2 - l2)
//   Beta P(B > A): ∫ f_B(x) F_A(x) dx by the midpoint rule on 400,000 cells, F_A by trapezoids
//   Welch: the t density integrated by Simpson's rule (20,000 panels), its quantile by bisection

TEST(ExperimentStatsTest, WilsonIntervalMatchesTheReference) {
  const Interval w = WilsonInterval(50, 1000);  // Python: (0.0381303, 0.0653138)
  EXPECT_NEAR(w.low, 0.0381303, 1e-6);
  EXPECT_NEAR(w.high, 0.0653138, 1e-6);
  const Interval zero = WilsonInterval(0, 20);  // Python: (0, 0.1611252): never below 0
  EXPECT_NEAR(zero.low, 0, 1e-12);
  EXPECT_NEAR(zero.high, 0.1611252, 1e-6);
}

TEST(ExperimentStatsTest, NewcombeIntervalMatchesHisPublishedExample) {
  // Newcombe (1998), Statistics in Medicine 17:873, example (a), method 10: 56/70 - 48/80
  // gives +0.0524 to +0.3339; Python: (0.0524315, 0.3338727).
  const Interval d = NewcombeInterval(56, 70, 48, 80);
  EXPECT_NEAR(d.low, 0.0524315, 1e-6);
  EXPECT_NEAR(d.high, 0.3338727, 1e-6);
}

TEST(ExperimentStatsTest, TwoProportionPValueMatchesTheReference) {
  EXPECT_NEAR(TwoProportionPValue(56, 70, 48, 80), 0.0080451, 1e-6);     // Python: 0.008045081
  EXPECT_NEAR(TwoProportionPValue(65, 1000, 50, 1000), 0.149643, 1e-6);  // Python: 0.149643106
  EXPECT_DOUBLE_EQ(TwoProportionPValue(0, 100, 0, 100), 1);
}

TEST(ExperimentStatsTest, ProbabilityBetaGreaterMatchesNumericalIntegration) {
  // Beta(1,1) vs Beta(2,1): P(B > A) = E[B] = 2/3 exactly.
  EXPECT_NEAR(ProbabilityBetaGreater(1, 1, 2, 1), 2.0 / 3, 1e-12);
  EXPECT_NEAR(ProbabilityBetaGreater(51, 951, 66, 936), 0.9244804, 1e-6);  // 50/1000 vs 65/1000
  EXPECT_NEAR(ProbabilityBetaGreater(4, 8, 7, 7), 0.8153857, 1e-6);        // 3/10 vs 6/12
  EXPECT_NEAR(ProbabilityBetaGreater(66, 936, 51, 951), 1 - 0.9244804, 1e-6);
  // Large counts, where the first terms of the sum underflow a double: symmetric data give 1/2.
  EXPECT_NEAR(ProbabilityBetaGreater(20'001, 380'001, 20'001, 380'001), 0.5, 1e-9);
}

TEST(ExperimentStatsTest, WelchTestMatchesTheReference) {
  // A = {0, 0, 10, 0, 25, 0, 0, 5}, B = {0, 30, 0, 40, 0, 12}. Python: difference 8.6666667,
  // df 6.9359, p 0.3026621, 95% interval (-9.775404, 27.108737).
  const VariantCounts a{8, 3, 40, 750}, b{6, 3, 82, 2644};
  const WelchResult w = WelchTest(a, b);
  EXPECT_NEAR(w.difference, 8.6666667, 1e-6);
  EXPECT_NEAR(w.p_value, 0.3026621, 1e-6);
  EXPECT_NEAR(w.interval.low, -9.775404, 1e-5);
  EXPECT_NEAR(w.interval.high, 27.108737, 1e-5);
  EXPECT_TRUE(std::isnan(WelchTest({1, 0, 5, 25}, b).p_value));
}

TEST(ExperimentStatsTest, ComputesEveryFigurePerVariant) {
  const std::vector<VariantCounts> v = {{1000, 50, 0, 0}, {1000, 65, 0, 0}};
  const Result<std::vector<VariantStats>> s = ComputeExperimentStats(v);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_EQ(s->size(), 2u);
  EXPECT_DOUBLE_EQ((*s)[0].rate, 0.05);
  EXPECT_NEAR((*s)[0].rate_interval.low, 0.0381303, 1e-6);
  EXPECT_DOUBLE_EQ((*s)[1].rate_difference, 0.015);
  EXPECT_NEAR((*s)[1].rate_p_value, 0.149643, 1e-6);
  const Interval nd = NewcombeInterval(65, 1000, 50, 1000);
  EXPECT_DOUBLE_EQ((*s)[1].rate_difference_interval.low, nd.low);
  EXPECT_LT(nd.low, 0);  // not significant: the interval covers 0
  EXPECT_GT(nd.high, 0.015);
  EXPECT_NEAR((*s)[1].probability_best_rate, 0.9244804, 1e-6);
  EXPECT_NEAR((*s)[0].probability_best_rate, 1 - 0.9244804, 1e-6);
  // No revenue anywhere: equal means, no spread, equal probabilities.
  EXPECT_NEAR((*s)[0].probability_best_revenue, 0.5, 1e-9);
  EXPECT_DOUBLE_EQ((*s)[1].revenue_p_value, 1);
}

TEST(ExperimentStatsTest, RevenueFiguresMatchTheReference) {
  const std::vector<VariantCounts> v = {{8, 3, 40, 750}, {6, 3, 82, 2644}};
  const Result<std::vector<VariantStats>> s = ComputeExperimentStats(v);
  ASSERT_TRUE(s.ok());
  EXPECT_DOUBLE_EQ((*s)[0].revenue_per_recipient, 5);
  EXPECT_NEAR((*s)[0].revenue_interval.low, -1.1423622, 1e-6);  // Python: 5 ± 1.96 * s / sqrt(8)
  EXPECT_NEAR((*s)[0].revenue_interval.high, 11.1423622, 1e-6);
  EXPECT_NEAR((*s)[1].revenue_p_value, 0.3026621, 1e-6);
  EXPECT_NEAR((*s)[1].probability_best_revenue, 0.8672137, 1e-6);  // Python: Phi(t) = 0.8672137
}

TEST(ExperimentStatsTest, MonteCarloAgreesWithTheExactFormulaWithinItsStatedMargin) {
  // Three variants where the third can never be best: Monte Carlo's figures for the first
  // two must be the exact two-variant ones within the documented 0.5%.
  const std::vector<VariantCounts> three = {{1000, 50, 0, 0}, {1000, 65, 0, 0}, {1000, 5, 0, 0}};
  const Result<std::vector<double>> mc = ProbabilityBest(three, Metric::kRate);
  ASSERT_TRUE(mc.ok());
  EXPECT_NEAR((*mc)[1], 0.9244804, 0.005);
  EXPECT_NEAR((*mc)[0], 1 - 0.9244804, 0.005);
  EXPECT_EQ((*mc)[2], 0);
  // The same seed gives the same figures; another seed different ones, within the margin.
  const Result<std::vector<double>> again = ProbabilityBest(three, Metric::kRate);
  EXPECT_EQ((*mc)[1], (*again)[1]);
  const Result<std::vector<double>> other = ProbabilityBest(three, Metric::kRate, {.draws = 40'000, .seed = 99});
  EXPECT_NE((*mc)[1], (*other)[1]);
  EXPECT_NEAR((*mc)[1], (*other)[1], 0.007);
  // Revenue with three variants: the third hopeless, the first two as in the Welch reference.
  const std::vector<VariantCounts> rev = {{8, 3, 40, 750}, {6, 3, 82, 2644}, {8, 0, -800, 80'000}};
  const Result<std::vector<double>> mr = ProbabilityBest(rev, Metric::kRevenue);
  ASSERT_TRUE(mr.ok());
  EXPECT_NEAR((*mr)[1], 0.8672137, 0.005);
}

TEST(ExperimentStatsTest, FourEqualVariantsShareTheProbabilityOfBeingBest) {
  const std::vector<VariantCounts> v(4, VariantCounts{500, 25, 0, 0});
  const Result<std::vector<double>> p = ProbabilityBest(v, Metric::kRate);
  ASSERT_TRUE(p.ok());
  double sum = 0;
  for (double x : *p) {
    EXPECT_NEAR(x, 0.25, 0.006);
    sum += x;
  }
  EXPECT_NEAR(sum, 1, 1e-12);
}

TEST(ExperimentStatsTest, UndefinedFiguresAreNaN) {
  const Result<std::vector<VariantStats>> s = ComputeExperimentStats({{0, 0, 0, 0}, {1, 1, 10, 100}});
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(std::isnan((*s)[0].rate));
  EXPECT_DOUBLE_EQ((*s)[0].rate_interval.high, 1);  // no information: [0, 1]
  EXPECT_TRUE(std::isnan((*s)[1].rate_difference_interval.low));
  EXPECT_TRUE(std::isnan((*s)[1].revenue_interval.low));
  EXPECT_DOUBLE_EQ((*s)[1].probability_best_revenue, 0.5);  // too little data: 1/k
}

TEST(ExperimentStatsTest, InvalidCountsAreRejected) {
  for (const std::vector<VariantCounts>& v : std::vector<std::vector<VariantCounts>>{
           {}, {{10, 11, 0, 0}}, {{10, -1, 0, 0}}, {{10, 1, 0, -1}}, std::vector<VariantCounts>(6)}) {
    const Result<std::vector<VariantStats>> s = ComputeExperimentStats(v);
    EXPECT_EQ(s.status().code(), Code::kInvalidArgument);
    EXPECT_EQ(s.status().field(), "variants");
  }
}

}  // namespace
}  // namespace rkd
