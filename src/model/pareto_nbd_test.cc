#include "model/pareto_nbd.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "model/cdnow_test_data.h"
#include "model/optimizer.h"

namespace rkd {
namespace {

// Fader & Hardie's Pareto/NBD on CDNOW's 2,357-client sample, calibration to 1997-09-30, weeks.
constexpr ParetoNbdParams kCdnow{0.5532, 10.5763, 0.6062, 11.6715};

std::vector<RfmSummary> CdnowRows() {
  std::vector<RfmSummary> rows;
  const std::optional<std::string> dir = testing::CdnowDir();
  if (!dir) return rows;
  for (const auto& r : testing::ReadCdnowSummary(*dir)) rows.push_back(r.summary);
  return rows;
}

TEST(ParetoNbdTest, FitReproducesThePublishedCdnowParameters) {
  const std::vector<RfmSummary> rows = CdnowRows();
  if (rows.empty()) GTEST_SKIP() << "CDNOW data not found (set RKD_CDNOW_DIR)";
  const Result<ParetoNbdFit> fit = FitParetoNbd(rows);
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  EXPECT_NEAR(fit->params.r, 0.5532, 0.5532e-3);
  EXPECT_NEAR(fit->params.alpha, 10.5763, 10.5763e-3);
  EXPECT_NEAR(fit->params.s, 0.6062, 0.6062e-3);
  EXPECT_NEAR(fit->params.beta, 11.6715, 11.6715e-3);
  EXPECT_NEAR(fit->result.log_likelihood, -9594.98, 0.01);
  EXPECT_EQ(fit->result.model, "paretonbd");
  EXPECT_EQ(fit->result.clients, 2357);
}

TEST(ParetoNbdTest, PublishedLogLikelihoodAtThePublishedParameters) {
  const std::vector<RfmSummary> rows = CdnowRows();
  if (rows.empty()) GTEST_SKIP() << "CDNOW data not found (set RKD_CDNOW_DIR)";
  double sum = 0;
  for (const RfmSummary& r : rows) sum += ParetoNbdLogLikelihood(kCdnow, r);
  EXPECT_NEAR(sum, -9594.98, 0.02);
}

TEST(ParetoNbdTest, PreparedLikelihoodEqualsTheSumOfRows) {
  // Rows sharing (x, t_x) or (x, T) pairs, a t_x = T row, weights, and both 2F1 branches.
  const std::vector<RfmSummary> rows = {{0, 0, 38.86, 0, 4}, {2, 30.43, 38.86}, {2, 30.43, 20, 0, 2},
                                        {2, 12, 38.86},      {5, 38.86, 38.86}, {1, 0.5, 1}};
  for (const ParetoNbdParams& p : {kCdnow, ParetoNbdParams{0.5, 20, 0.7, 3}}) {
    double sum = 0, n = 0;
    for (const RfmSummary& r : rows) {
      sum += static_cast<double>(r.weight) * ParetoNbdLogLikelihood(p, r);
      n += static_cast<double>(r.weight);
    }
    const std::vector<double> lp = {std::log(p.r), std::log(p.alpha), std::log(p.s), std::log(p.beta)};
    EXPECT_NEAR(ParetoNbdMeanLogLikelihood(rows, lp), sum / n, 1e-12);
  }
}

TEST(ParetoNbdTest, BothBranchesOfTheHypergeometricTermAgreeAtTheirBoundary) {
  // alpha >= beta and alpha < beta use different 2F1 arguments; the likelihood is
  // continuous where they meet.
  const RfmSummary row{3, 20, 38};
  ParetoNbdParams below = kCdnow, at = kCdnow, above = kCdnow;
  at.beta = at.alpha;
  below.beta = at.alpha * (1 + 1e-9);
  above.beta = at.alpha * (1 - 1e-9);
  EXPECT_NEAR(ParetoNbdLogLikelihood(below, row), ParetoNbdLogLikelihood(at, row), 1e-7);
  EXPECT_NEAR(ParetoNbdLogLikelihood(above, row), ParetoNbdLogLikelihood(at, row), 1e-7);
}

TEST(ParetoNbdTest, LikelihoodIsAProbabilityOverCounts) {
  // For x = 0 the likelihood is P(no repeat purchase in (0, T]), so it lies in (0, 1) and
  // falls as T grows.
  const double l10 = std::exp(ParetoNbdLogLikelihood(kCdnow, {0, 0, 10}));
  const double l30 = std::exp(ParetoNbdLogLikelihood(kCdnow, {0, 0, 30}));
  EXPECT_GT(l10, l30);
  EXPECT_LT(l10, 1);
  EXPECT_GT(l30, 0);
  EXPECT_NEAR(ParetoNbdLogLikelihood(kCdnow, {0, 0, 0}), 0, 1e-12);
}

TEST(ParetoNbdTest, NumericalGradientIsAccurate) {
  // The fit uses central differences; check them against a finer Richardson estimate.
  if (CdnowRows().empty()) GTEST_SKIP() << "CDNOW data not found (set RKD_CDNOW_DIR)";
  const std::vector<RfmSummary> rows = Compress(CdnowRows());
  const LogLikelihoodFn f = [&](const std::vector<double>& lp, std::vector<double>*) {
    return ParetoNbdMeanLogLikelihood(rows, lp);
  };
  const std::vector<double> lp = {std::log(0.5532), std::log(10.5763), std::log(0.6062), std::log(11.6715)};
  const std::vector<double> g1 = NumericalGradient(f, lp, 1e-4), g2 = NumericalGradient(f, lp, 5e-5);
  const std::vector<double> g = NumericalGradient(f, lp, 1e-6);
  for (size_t i = 0; i < 4; ++i) {
    const double richardson = (4 * g2[i] - g1[i]) / 3;
    EXPECT_NEAR(g[i], richardson, 1e-6) << i;
    EXPECT_NEAR(g[i], 0, 1e-3) << i;  // the published point is (nearly) the maximum
  }
}

TEST(ParetoNbdTest, PredictionsBehave) {
  const RfmSummary recent{5, 38, 38.86}, lapsed{5, 5, 38.86}, one_time{0, 0, 38.86};
  EXPECT_GT(ParetoNbdPAlive(kCdnow, recent), ParetoNbdPAlive(kCdnow, lapsed));
  EXPECT_LT(ParetoNbdPAlive(kCdnow, one_time), 1);  // unlike BG/NBD
  EXPECT_GT(ParetoNbdPAlive(kCdnow, {0, 0, 1}), ParetoNbdPAlive(kCdnow, one_time));
  EXPECT_EQ(ParetoNbdExpectedPurchases(kCdnow, recent, 0), 0);
  EXPECT_LT(ParetoNbdExpectedPurchases(kCdnow, recent, 13), ParetoNbdExpectedPurchases(kCdnow, recent, 39));
  EXPECT_GT(ParetoNbdExpectedPurchases(kCdnow, recent, 39), ParetoNbdExpectedPurchases(kCdnow, lapsed, 39));
  // Small t: P(alive) × posterior mean rate (r + x) / (alpha + T).
  const double t = 1e-5;
  EXPECT_NEAR(ParetoNbdExpectedPurchases(kCdnow, recent, t) / t,
              ParetoNbdPAlive(kCdnow, recent) * (kCdnow.r + 5) / (kCdnow.alpha + 38.86), 1e-5);
  // s = 1 is a removable singularity of the expectation.
  ParetoNbdParams s1 = kCdnow, near = kCdnow;
  s1.s = 1;
  near.s = 1 + 1e-6;
  EXPECT_NEAR(ParetoNbdExpectedPurchases(s1, recent, 39), ParetoNbdExpectedPurchases(near, recent, 39), 1e-5);
  // Churn: in [1 - P(alive), 1], rising to it... and falling with the horizon.
  const double c13 = ParetoNbdChurnProbability(kCdnow, lapsed, 13), c52 = ParetoNbdChurnProbability(kCdnow, lapsed, 52);
  EXPECT_GT(c13, c52);
  EXPECT_GE(c52, 1 - ParetoNbdPAlive(kCdnow, lapsed));
  EXPECT_LE(c13, 1);
  EXPECT_EQ(ParetoNbdChurnProbability(kCdnow, lapsed, 0), 1);  // an empty window
  EXPECT_NEAR(ParetoNbdChurnProbability(kCdnow, lapsed, 1e-9), 1, 1e-8);
  // The likelihood-ratio form equals P(alive) times the chance an alive client stays quiet,
  // plus 1 - P(alive): so it is at least 1 - P(alive), with equality only as t grows.
  EXPECT_GT(ParetoNbdChurnProbability(kCdnow, one_time, 13), 1 - ParetoNbdPAlive(kCdnow, one_time));
}

TEST(ParetoNbdTest, MedianTimeToNextPurchase) {
  const RfmSummary recent{5, 38, 38.86};
  const double t = ParetoNbdMedianTimeToNextPurchase(kCdnow, recent);
  ASSERT_TRUE(std::isfinite(t));
  EXPECT_NEAR(ParetoNbdChurnProbability(kCdnow, recent, t), 0.5, 1e-9);
  EXPECT_EQ(ParetoNbdMedianTimeToNextPurchase(kCdnow, {5, 2, 38.86}), std::numeric_limits<double>::infinity());
}

TEST(ParetoNbdTest, DegenerateDataGetAClearStatus) {
  EXPECT_EQ(FitParetoNbd({}).status().code(), Code::kInvalidArgument);
  const std::vector<RfmSummary> once(1000, RfmSummary{0, 0, 20});
  EXPECT_EQ(FitParetoNbd(once).status().code(), Code::kFailedPrecondition);
  const std::vector<RfmSummary> one_day(100, RfmSummary{0, 0, 0});
  EXPECT_EQ(FitParetoNbd(one_day).status().code(), Code::kFailedPrecondition);
  const std::vector<RfmSummary> one_client = {{3, 100, 200}};
  const Result<ParetoNbdFit> one = FitParetoNbd(one_client);
  ASSERT_FALSE(one.ok());
  EXPECT_EQ(one.status().code(), Code::kFailedPrecondition) << one.status().message();
  const std::vector<RfmSummary> daily = {{3652, 3652, 3652, 0, 1000}};
  const Result<ParetoNbdFit> d = FitParetoNbd(daily);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), Code::kFailedPrecondition) << d.status().message();
}

}  // namespace
}  // namespace rkd
