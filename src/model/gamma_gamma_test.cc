#include "model/gamma_gamma.h"

#include <gtest/gtest.h>

#include <cmath>

#include "model/cdnow_test_data.h"
#include "model/optimizer.h"

namespace rkd {
namespace {

std::vector<RfmSummary> CdnowRows() {
  std::vector<RfmSummary> rows;
  const std::optional<std::string> dir = testing::CdnowDir();
  if (!dir) return rows;
  for (const auto& r : testing::ReadCdnowSummary(*dir)) rows.push_back(r.summary);
  return rows;
}

TEST(GammaGammaTest, FitReproducesThePublishedCdnowParameters) {
  const std::vector<RfmSummary> rows = CdnowRows();
  if (rows.empty()) GTEST_SKIP() << "CDNOW data not found (set RKD_CDNOW_DIR)";
  const Result<GammaGammaFit> fit = FitGammaGamma(rows);
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  EXPECT_EQ(fit->result.clients, 946);  // the clients with x > 0
  EXPECT_NEAR(fit->params.p, 6.249, 6.249e-3);
  EXPECT_NEAR(fit->params.q, 3.745, 3.745e-3);
  EXPECT_NEAR(fit->params.gamma, 15.448, 15.448e-3);
  EXPECT_NEAR(fit->result.log_likelihood, -4055.92, 0.01);
  EXPECT_EQ(fit->result.model, "gammagamma");
}

TEST(GammaGammaTest, TheLikelihoodIsTheDensityOfTheMeanSpend) {
  // Integrates to 1 over zbar (trapezoid on a log grid), for x = 1 and x = 4.
  const GammaGammaParams p{6.249, 3.745, 15.448};
  for (double x : {1.0, 4.0}) {
    double integral = 0, prev_z = 0, prev_f = 0;
    for (double lz = -8; lz <= 10; lz += 1e-3) {
      const double z = std::exp(lz), f = std::exp(GammaGammaLogLikelihood(p, x, z));
      integral += 0.5 * (f + prev_f) * (z - prev_z);
      prev_z = z;
      prev_f = f;
    }
    EXPECT_NEAR(integral, 1, 1e-4) << x;
  }
}

TEST(GammaGammaTest, GradientMatchesCentralDifferences) {
  std::vector<RfmSummary> rows = CdnowRows();
  if (rows.empty()) rows = {{1, 1, 5, 10}, {3, 4, 5, 25}, {2, 2, 5, 40, 3}};
  const LogLikelihoodFn f = [&](const std::vector<double>& lp, std::vector<double>* g) {
    return GammaGammaMeanLogLikelihood(rows, lp, g);
  };
  for (const std::vector<double>& lp : {std::vector<double>{std::log(6.249), std::log(3.745), std::log(15.448)},
                                        std::vector<double>{0, 0, 0}, std::vector<double>{2, -1, 4}}) {
    std::vector<double> g;
    f(lp, &g);
    const std::vector<double> fd = NumericalGradient(f, lp, 1e-5);
    for (size_t i = 0; i < 3; ++i) EXPECT_NEAR(g[i], fd[i], 1e-6 * std::max(1.0, std::fabs(fd[i]))) << i;
  }
}

TEST(GammaGammaTest, ExpectedSpendShrinksTowardsThePopulationMean) {
  const GammaGammaParams p{6.249, 3.745, 15.448};
  const double population = p.p * p.gamma / (p.q - 1);
  EXPECT_DOUBLE_EQ(GammaGammaExpectedAverageSpend(p, 0, 0), population);
  // One purchase of 100 moves the estimate part of the way; ten move it further.
  const double one = GammaGammaExpectedAverageSpend(p, 1, 100), ten = GammaGammaExpectedAverageSpend(p, 10, 100);
  EXPECT_GT(one, population);
  EXPECT_LT(one, 100);
  EXPECT_GT(ten, one);
  EXPECT_LT(ten, 100);
  EXPECT_EQ(GammaGammaExpectedAverageSpend({1, 0.5, 1}, 0, 0), std::numeric_limits<double>::infinity());
}

TEST(GammaGammaTest, DegenerateDataGetAClearStatus) {
  EXPECT_EQ(FitGammaGamma({}).status().code(), Code::kFailedPrecondition);
  const std::vector<RfmSummary> no_repeats(100, RfmSummary{0, 0, 30});
  EXPECT_EQ(FitGammaGamma(no_repeats).status().code(), Code::kFailedPrecondition);
  // Everyone spends exactly the same: no variance to fit a Gamma to.
  std::vector<RfmSummary> alike;
  for (int i = 1; i <= 200; ++i) alike.push_back({static_cast<double>(1 + i % 5), 10, 20, 25.0});
  const Result<GammaGammaFit> fit = FitGammaGamma(alike);
  ASSERT_FALSE(fit.ok());
  EXPECT_EQ(fit.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(fit.status().message().find("Gamma-Gamma"), std::string::npos);
}

}  // namespace
}  // namespace rkd
