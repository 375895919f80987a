#include "experiments/bandit_allocation.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "experiments/posterior_sampling.h"
#include "experiments/variant_assignment.h"

namespace rkd {
namespace {

double Sum(const std::vector<double>& w) {
  double s = 0;
  for (double x : w) s += x;
  return s;
}

TEST(BanditAllocationTest, EqualDataGiveNearlyEqualWeights) {
  // 10,000 draws: a share's standard error is at most 0.005, so 0.02 is 4 of them.
  for (size_t k : {2u, 3u, 5u}) {
    const Result<std::vector<double>> w = PlanAllocation(std::vector<VariantCounts>(k, {2'000, 100, 0, 0}), {}, 1);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    ASSERT_EQ(w->size(), k);
    for (double x : *w) EXPECT_NEAR(x, 1.0 / static_cast<double>(k), 0.02) << k;
    EXPECT_NEAR(Sum(*w), 1, 1e-12);
  }
}

TEST(BanditAllocationTest, AClearlyWorseVariantGetsOnlyTheFloor) {
  // 2% vs 8% on 2,000 each: the worse is never the best draw, so it is held at the floor.
  const Result<std::vector<double>> w = PlanAllocation({{2'000, 40, 0, 0}, {2'000, 160, 0, 0}}, {}, 1);
  ASSERT_TRUE(w.ok());
  EXPECT_DOUBLE_EQ((*w)[0], 0.05);
  EXPECT_DOUBLE_EQ((*w)[1], 0.95);
  BanditOptions no_floor;
  no_floor.floor = 0;
  const Result<std::vector<double>> w0 = PlanAllocation({{2'000, 40, 0, 0}, {2'000, 160, 0, 0}}, no_floor, 1);
  EXPECT_DOUBLE_EQ((*w0)[0], 0);
}

TEST(BanditAllocationTest, ExplorationKeepsEveryVariantAtHalfItsEvenShare) {
  // 600 emailed in total (< 1,000): a 0/300 variant against 30/300 still gets 1/(2k) = 25%.
  const Result<std::vector<double>> w = PlanAllocation({{300, 0, 0, 0}, {300, 30, 0, 0}}, {}, 1);
  ASSERT_TRUE(w.ok());
  EXPECT_DOUBLE_EQ((*w)[0], 0.25);
  EXPECT_DOUBLE_EQ((*w)[1], 0.75);
  // Four variants at the very start, no data: even. One clearly ahead after 800: others >= 1/8.
  const Result<std::vector<double>> start = PlanAllocation(std::vector<VariantCounts>(4), {}, 1);
  for (double x : *start) EXPECT_NEAR(x, 0.25, 0.02);
  const Result<std::vector<double>> w4 =
      PlanAllocation({{200, 0, 0, 0}, {200, 1, 0, 0}, {200, 0, 0, 0}, {200, 40, 0, 0}}, {}, 1);
  for (int i : {0, 1, 2}) EXPECT_DOUBLE_EQ((*w4)[i], 0.125);
  EXPECT_DOUBLE_EQ((*w4)[3], 0.625);
  // The same data past exploration (1,000 in total): the floor of 5% instead.
  const Result<std::vector<double>> after =
      PlanAllocation({{250, 0, 0, 0}, {250, 1, 0, 0}, {250, 0, 0, 0}, {250, 50, 0, 0}}, {}, 1);
  for (int i : {0, 1, 2}) EXPECT_DOUBLE_EQ((*after)[i], 0.05);
}

TEST(BanditAllocationTest, MinimumSharesRenormalizeTheRest) {
  const std::vector<double> a = ApplyMinimumShare({0.9, 0.07, 0.03}, 0.05);
  EXPECT_DOUBLE_EQ(a[2], 0.05);
  EXPECT_NEAR(a[0], 0.9 * 0.95 / 0.97, 1e-12);
  EXPECT_NEAR(a[1], 0.07 * 0.95 / 0.97, 1e-12);
  // Holding one share pushes another below the minimum: both are held.
  const std::vector<double> b = ApplyMinimumShare({0.951, 0.049, 0.0}, 0.05);
  EXPECT_NEAR(b[0], 0.9, 1e-12);
  EXPECT_DOUBLE_EQ(b[1], 0.05);
  EXPECT_DOUBLE_EQ(b[2], 0.05);
  const std::vector<double> c = ApplyMinimumShare({0, 0, 0, 0}, 0);
  for (double x : c) EXPECT_DOUBLE_EQ(x, 0.25);
  const std::vector<double> d = ApplyMinimumShare({1, 0}, 0.5);
  EXPECT_DOUBLE_EQ(d[0], 0.5);
  EXPECT_DOUBLE_EQ(d[1], 0.5);
}

TEST(BanditAllocationTest, RevenueUsesTheNormalPosteriorOfTheMean) {
  // B's revenue per recipient 2.0 against A's 1.0, both with s = 10 on 5,000: z = 5.
  const Result<std::vector<double>> w = PlanAllocation(
      {{5'000, 0, 5'000, 5'000 * 101.0}, {5'000, 0, 10'000, 5'000 * 104.0}}, {.metric = Metric::kRevenue}, 1);
  ASSERT_TRUE(w.ok());
  EXPECT_DOUBLE_EQ((*w)[0], 0.05);
  const Result<std::vector<double>> early =
      PlanAllocation({{1, 0, 5, 25}, {5, 0, 10, 50}}, {.metric = Metric::kRevenue}, 1);
  EXPECT_DOUBLE_EQ((*early)[0], 0.5);  // no posterior yet for A
}

TEST(BanditAllocationTest, InvalidInputsAreRejected) {
  EXPECT_EQ(PlanAllocation({{10, 1, 0, 0}, {10, 1, 0, 0}, {10, 1, 0, 0}}, {.floor = 0.34}, 1).status().field(),
            "options");
  EXPECT_EQ(PlanAllocation({{10, 1, 0, 0}}, {.draws = 0}, 1).status().field(), "options");
  EXPECT_EQ(PlanAllocation({{10, 11, 0, 0}}, {}, 1).status().field(), "variants");
  EXPECT_TRUE(PlanAllocation({{10, 1, 0, 0}, {10, 1, 0, 0}}, {.floor = 0.5}, 1).ok());
}

TEST(BanditAllocationTest, ReplanningEvery200SendsMoreToTheBetterAndRegretsLessThanAnEvenSplit) {
  // 20 campaigns of 10,000 emails, true rates 5% (A) and 8% (B), re-planned every 200 emails;
  // each email's variant by AssignVariant on the current weights (as the pipeline will do).
  // Regret: the expected conversions lost against sending everyone B, sum n_i (0.08 - p_i);
  // an even fixed split loses 5,000 * 0.03 = 150 per campaign.
  constexpr int kCampaigns = 20, kEmails = 10'000, kBatch = 200;
  const double rates[2] = {0.05, 0.08};
  PosteriorRng rng(2026);
  const BanditOptions options;  // the defaults: 10,000 draws, exploration 1,000, floor 5%
  double sent_a = 0, sent_b = 0, regret = 0;
  int b_ahead = 0;
  for (int c = 0; c < kCampaigns; ++c) {
    std::vector<VariantCounts> v(2);
    std::vector<double> weights = {0.5, 0.5};
    const std::string experiment = "sim-" + std::to_string(c);
    for (int e = 0; e < kEmails; ++e) {
      if (e % kBatch == 0 && e > 0) {
        const Result<std::vector<double>> w = PlanAllocation(v, options, static_cast<uint64_t>(c * kEmails + e));
        ASSERT_TRUE(w.ok());
        weights = *w;
      }
      const int i = AssignVariant(experiment, "client-" + std::to_string(e), weights);
      ASSERT_GE(i, 0);
      ++v[i].recipients;
      v[i].conversions += rng.Uniform() < rates[i];
    }
    sent_a += static_cast<double>(v[0].recipients);
    sent_b += static_cast<double>(v[1].recipients);
    regret += static_cast<double>(v[0].recipients) * (rates[1] - rates[0]);
    if (v[1].recipients > v[0].recipients) ++b_ahead;
  }
  const double mean_a = sent_a / kCampaigns, mean_b = sent_b / kCampaigns, mean_regret = regret / kCampaigns;
  std::printf("bandit 5%% vs 8%%: per campaign of %d, A %.0f, B %.0f; regret %.1f conversions (even split: 150)\n",
              kEmails, mean_a, mean_b, mean_regret);
  EXPECT_EQ(b_ahead, kCampaigns);           // the better gets more in every campaign
  EXPECT_GT(mean_b, 4 * mean_a);            // on average
  EXPECT_LT(mean_regret, 0.5 * 150.0);      // less than half the even split's
  EXPECT_GE(mean_a, 0.05 * kEmails * 0.8);  // the floor keeps the worse variant measured
}

}  // namespace
}  // namespace rkd
