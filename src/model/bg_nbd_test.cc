#include "model/bg_nbd.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "model/cdnow_test_data.h"
#include "model/optimizer.h"

namespace rkd {
namespace {

// FHL 2005 on CDNOW's 2,357-client sample, calibration to 1997-09-30, weeks.
constexpr BgNbdParams kCdnow{0.2426, 4.4136, 0.7929, 2.4259};

std::vector<RfmSummary> CdnowRows() {
  std::vector<RfmSummary> rows;
  const std::optional<std::string> dir = testing::CdnowDir();
  if (!dir) return rows;
  for (const auto& r : testing::ReadCdnowSummary(*dir)) rows.push_back(r.summary);
  return rows;
}

#define SKIP_WITHOUT_CDNOW(rows) \
  if ((rows).empty()) GTEST_SKIP() << "CDNOW data not found (set RKD_CDNOW_DIR)"

TEST(BgNbdTest, FitReproducesThePublishedCdnowParameters) {
  const std::vector<RfmSummary> rows = CdnowRows();
  SKIP_WITHOUT_CDNOW(rows);
  ASSERT_EQ(rows.size(), 2357u);
  const Result<BgNbdFit> fit = FitBgNbd(rows);
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  EXPECT_NEAR(fit->params.r, 0.2426, 0.2426e-3);
  EXPECT_NEAR(fit->params.alpha, 4.4136, 4.4136e-3);
  EXPECT_NEAR(fit->params.a, 0.7929, 0.7929e-3);
  EXPECT_NEAR(fit->params.b, 2.4259, 2.4259e-3);
  EXPECT_NEAR(fit->result.log_likelihood, -9582.43, 0.01);
  EXPECT_TRUE(fit->result.converged);
  EXPECT_EQ(fit->result.model, "bgnbd");
  EXPECT_EQ(fit->result.clients, 2357);
  EXPECT_DOUBLE_EQ(fit->result.Param("alpha"), fit->params.alpha);
}

TEST(BgNbdTest, CompressedRowsGiveTheSameFit) {
  const std::vector<RfmSummary> rows = CdnowRows();
  SKIP_WITHOUT_CDNOW(rows);
  const std::vector<RfmSummary> compressed = Compress(rows);
  EXPECT_LT(compressed.size(), rows.size());
  const Result<BgNbdFit> a = FitBgNbd(rows), b = FitBgNbd(compressed);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NEAR(a->params.r, b->params.r, 1e-6);
  EXPECT_NEAR(a->result.log_likelihood, b->result.log_likelihood, 1e-6);
  EXPECT_EQ(b->result.clients, 2357);
  EXPECT_EQ(b->result.rows, static_cast<int64_t>(compressed.size()));
}

TEST(BgNbdTest, PublishedLogLikelihoodAtThePublishedParameters) {
  const std::vector<RfmSummary> rows = CdnowRows();
  SKIP_WITHOUT_CDNOW(rows);
  double sum = 0;
  for (const RfmSummary& r : rows) sum += BgNbdLogLikelihood(kCdnow, r);
  EXPECT_NEAR(sum, -9582.43, 0.02);  // the parameters are rounded to 4 decimals
  EXPECT_NEAR(BgNbdLikelihood(rows).Total(kCdnow), sum, 1e-8);
}

TEST(BgNbdTest, PublishedConditionalExpectation) {
  // FHL 2005: client 1 of the sample, 39 weeks ahead.
  const RfmSummary client{2, 30.43, 38.86};
  EXPECT_NEAR(BgNbdExpectedPurchases(kCdnow, client, 39), 1.226, 0.0005);
}

TEST(BgNbdTest, GradientMatchesCentralDifferences) {
  std::vector<RfmSummary> rows = {{0, 0, 38.86, 0, 3},    {2, 30.43, 38.86, 0, 1}, {1, 1.71, 38.86, 0, 2},
                                  {7, 29.43, 35.0, 0, 1}, {0, 0, 0, 0, 1},         {15, 20, 60, 0, 1}};
  const std::vector<RfmSummary> cdnow = CdnowRows();
  if (!cdnow.empty()) rows = cdnow;
  const BgNbdLikelihood lik(rows);
  const LogLikelihoodFn f = [&](const std::vector<double>& lp, std::vector<double>* g) {
    return lik.MeanInLogSpace(lp, g);
  };
  const std::vector<std::vector<double>> points = {
      {std::log(0.2426), std::log(4.4136), std::log(0.7929), std::log(2.4259)},
      {0, 0, 0, 0},
      {std::log(3.0), std::log(50.0), std::log(0.1), std::log(20.0)},
      {std::log(0.05), std::log(0.5), std::log(5.0), std::log(0.3)},
  };
  for (const auto& lp : points) {
    std::vector<double> g;
    lik.MeanInLogSpace(lp, &g);
    const std::vector<double> fd = NumericalGradient(f, lp, 1e-5);
    for (size_t i = 0; i < 4; ++i) EXPECT_NEAR(g[i], fd[i], 1e-6 * std::max(1.0, std::fabs(fd[i]))) << i;
  }
}

TEST(BgNbdTest, LikelihoodHelperMatchesTheSingleRowFormula) {
  const RfmSummary a{3, 10, 20, 0, 2}, b{0, 0, 5, 0, 1};
  const std::vector<RfmSummary> rows = {a, b};
  EXPECT_NEAR(BgNbdLikelihood(rows).Total(kCdnow), 2 * BgNbdLogLikelihood(kCdnow, a) + BgNbdLogLikelihood(kCdnow, b),
              1e-10);
}

TEST(BgNbdTest, PAliveChurnAndTheirLimits) {
  const RfmSummary one_time{0, 0, 38.86}, recent{5, 38, 38.86}, lapsed{5, 5, 38.86};
  EXPECT_EQ(BgNbdPAlive(kCdnow, one_time), 1);  // BG/NBD cannot drop a one-time buyer
  EXPECT_GT(BgNbdPAlive(kCdnow, recent), 0.85);
  EXPECT_LT(BgNbdPAlive(kCdnow, lapsed), 0.2);
  // Churn over a horizon does separate one-time buyers by how long ago they bought.
  EXPECT_GT(BgNbdChurnProbability(kCdnow, {0, 0, 30}, 13), BgNbdChurnProbability(kCdnow, {0, 0, 1}, 13));
  EXPECT_EQ(BgNbdChurnProbability(kCdnow, recent, 0), 1);  // an empty window
  EXPECT_NEAR(BgNbdChurnProbability(kCdnow, recent, 1e-9), 1, 1e-8);
  EXPECT_LT(BgNbdChurnProbability(kCdnow, recent, 13), BgNbdChurnProbability(kCdnow, lapsed, 13));
  // As the horizon grows, only the dead never buy again.
  EXPECT_NEAR(BgNbdChurnProbability(kCdnow, lapsed, 1e12), 1 - BgNbdPAlive(kCdnow, lapsed), 1e-3);
}

TEST(BgNbdTest, ChurnIsTheLikelihoodRatioOfALongerWindow) {
  // P(no purchase in (T, T+t]) = L(x, t_x, T + t) / L(x, t_x, T), for any history.
  for (const RfmSummary& r : {RfmSummary{0, 0, 20}, RfmSummary{2, 30.43, 38.86}, RfmSummary{9, 12, 40}}) {
    for (double t : {1.0, 13.0, 52.0}) {
      const RfmSummary later{r.x, r.t_x, r.T + t};
      const double ratio = std::exp(BgNbdLogLikelihood(kCdnow, later) - BgNbdLogLikelihood(kCdnow, r));
      EXPECT_NEAR(BgNbdChurnProbability(kCdnow, r, t), ratio, 1e-12);
    }
  }
}

TEST(BgNbdTest, ExpectedPurchasesGrowWithTheHorizonAndNearAEqualsOne) {
  const RfmSummary client{2, 30.43, 38.86};
  double last = 0;
  for (double t : {1.0, 5.0, 20.0, 39.0, 200.0}) {
    const double e = BgNbdExpectedPurchases(kCdnow, client, t);
    EXPECT_GT(e, last);
    last = e;
  }
  EXPECT_EQ(BgNbdExpectedPurchases(kCdnow, client, 0), 0);
  // a = 1 is a removable singularity of eq. 10: continuous across it.
  BgNbdParams lo = kCdnow, one = kCdnow, hi = kCdnow;
  lo.a = 0.999;
  one.a = 1;
  hi.a = 1.001;
  const double at_one = BgNbdExpectedPurchases(one, client, 39);
  EXPECT_TRUE(std::isfinite(at_one));
  EXPECT_NEAR(at_one, BgNbdExpectedPurchases(lo, client, 39), 1e-3);
  EXPECT_NEAR(at_one, BgNbdExpectedPurchases(hi, client, 39), 1e-3);
  // For small t, E[Y(t)] ≈ P(alive) × posterior mean rate (r + x) / (alpha + T).
  const double t = 1e-4;
  EXPECT_NEAR(BgNbdExpectedPurchases(kCdnow, client, t) / t,
              BgNbdPAlive(kCdnow, client) * (kCdnow.r + 2) / (kCdnow.alpha + 38.86), 1e-4);
}

TEST(BgNbdTest, ExpectedPurchasesWhereTheHypergeometricSeriesFails) {
  // For x = 0 and a + b < 1.5, eq. 10's 2F1 has c = a + b - 1 near or below 0 and the
  // expectation is integrated over the dropout probability's posterior instead. The two
  // methods meet at a + b = 1.5 (c = 0.5): they must agree there.
  for (const double a : {0.3, 0.8, 1.2}) {
    const BgNbdParams series{0.5, 10, a, 1.5 - a + 1e-9}, quadrature{0.5, 10, a, 1.5 - a - 1e-9};
    for (const RfmSummary& r : {RfmSummary{0, 0, 0}, RfmSummary{0, 0, 20}}) {
      for (double t : {0.5, 10.0, 100.0, 1000.0}) {
        const double e1 = BgNbdExpectedPurchases(series, r, t), e2 = BgNbdExpectedPurchases(quadrature, r, t);
        EXPECT_NEAR(e1, e2, 1e-7 * e1) << a << " " << r.T << " " << t;
      }
    }
  }
  // Well inside the region (c < 0): finite, increasing, and the right rate for small t.
  for (const BgNbdParams& p :
       {BgNbdParams{0.5, 10, 0.3, 0.5}, BgNbdParams{0.5, 10, 0.5, 0.5}, BgNbdParams{0.2, 30, 0.1, 0.1}}) {
    const RfmSummary r{0, 0, 20};
    double last = 0;
    for (double t : {1.0, 10.0, 100.0, 1000.0}) {
      const double e = BgNbdExpectedPurchases(p, r, t);
      ASSERT_TRUE(std::isfinite(e)) << p.a << " " << p.b << " " << t;
      EXPECT_GT(e, last);
      last = e;
    }
    const double t = 1e-6;
    EXPECT_NEAR(BgNbdExpectedPurchases(p, r, t) / t, (p.r + 0) / (p.alpha + 20), 1e-6);
  }
}

TEST(BgNbdTest, MedianTimeToNextPurchaseIsWhereChurnIsOneHalf) {
  const RfmSummary recent{5, 38, 38.86};
  const double t = BgNbdMedianTimeToNextPurchase(kCdnow, recent);
  ASSERT_TRUE(std::isfinite(t));
  EXPECT_GT(t, 0);
  EXPECT_NEAR(BgNbdChurnProbability(kCdnow, recent, t), 0.5, 1e-12);
  // A client more likely dead than alive has no median: +inf.
  const RfmSummary lapsed{5, 5, 38.86};
  EXPECT_EQ(BgNbdMedianTimeToNextPurchase(kCdnow, lapsed), std::numeric_limits<double>::infinity());
}

// Degenerate data: a clear Status, never NaN parameters.
TEST(BgNbdTest, EmptyInputIsInvalid) {
  const Result<BgNbdFit> fit = FitBgNbd({});
  ASSERT_FALSE(fit.ok());
  EXPECT_EQ(fit.status().code(), Code::kInvalidArgument);
}

TEST(BgNbdTest, EveryoneBoughtOnceIsRefused) {
  std::vector<RfmSummary> rows;
  for (int i = 0; i < 1000; ++i) rows.push_back({0, 0, 10.0 + i % 30});
  const Result<BgNbdFit> fit = FitBgNbd(rows);
  ASSERT_FALSE(fit.ok());
  EXPECT_EQ(fit.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(fit.status().message().find("repeat purchase"), std::string::npos) << fit.status().message();
}

TEST(BgNbdTest, AllOnOneDayIsRefused) {
  const std::vector<RfmSummary> rows(500, RfmSummary{0, 0, 0});
  const Result<BgNbdFit> fit = FitBgNbd(rows);
  ASSERT_FALSE(fit.ok());
  EXPECT_EQ(fit.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(fit.status().message().find("T = 0"), std::string::npos) << fit.status().message();
}

TEST(BgNbdTest, OneClientIsRefusedClearly) {
  const std::vector<RfmSummary> rows = {{3, 100, 200}};
  const Result<BgNbdFit> fit = FitBgNbd(rows);
  ASSERT_FALSE(fit.ok());
  EXPECT_EQ(fit.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(fit.status().message().find("do not identify"), std::string::npos) << fit.status().message();
}

TEST(BgNbdTest, TenYearsOfDailyBuyersIsRefusedClearly) {
  // 1,000 clients who bought every day for ten years: identical, and nobody ever left.
  const std::vector<RfmSummary> rows = {{3652, 3652, 3652, 0, 1000}};
  const Result<BgNbdFit> fit = FitBgNbd(rows);
  ASSERT_FALSE(fit.ok());
  EXPECT_EQ(fit.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(fit.status().message().find("do not identify"), std::string::npos) << fit.status().message();
}

TEST(BgNbdTest, MalformedRowsAreInvalid) {
  for (const RfmSummary& bad : {RfmSummary{-1, 0, 5}, RfmSummary{1.5, 1, 5}, RfmSummary{2, 6, 5}, RfmSummary{0, 1, 5},
                                RfmSummary{1, 1, NAN}, RfmSummary{1, 1, 5, 0, -2}}) {
    const std::vector<RfmSummary> rows = {{2, 3, 10}, bad};
    const Result<BgNbdFit> fit = FitBgNbd(rows);
    ASSERT_FALSE(fit.ok());
    EXPECT_EQ(fit.status().code(), Code::kInvalidArgument) << fit.status().message();
  }
}

}  // namespace
}  // namespace rkd
