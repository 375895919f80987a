#include "experiments/experiment_plan.h"

#include <gtest/gtest.h>

namespace rkd {
namespace {

Experiment TwoVariants(const std::string& allocation, double weight_a, double weight_b) {
  Experiment e;
  e.experiment_id = "exp-1";
  e.allocation = allocation;
  e.variants = {{"winback-1", weight_a}, {"winback-1-b", weight_b}};
  return e;
}

TEST(ExperimentPlanTest, AFixedPlanIsTheConfiguredWeightsAndABanditStartsEven) {
  EXPECT_EQ(InitialWeights(TwoVariants("fixed", 1, 3)), (std::vector<double>{0.25, 0.75}));
  EXPECT_EQ(InitialWeights(TwoVariants("bandit", 1, 3)), (std::vector<double>{0.5, 0.5}));
}

TEST(ExperimentPlanTest, TheMetricChoosesWhichSuccessesCount) {
  const std::vector<ExperimentVariantTotals> totals = {{100, 30, 5, 250, 9000}, {100, 20, 8, 400, 21000}};
  auto clicks = MetricCounts(totals, "click");
  EXPECT_EQ(clicks[0].conversions, 30);
  EXPECT_EQ(clicks[1].conversions, 20);
  auto conversions = MetricCounts(totals, "conversion");
  EXPECT_EQ(conversions[0].conversions, 5);
  EXPECT_DOUBLE_EQ(conversions[1].revenue_sum, 400);
  EXPECT_DOUBLE_EQ(conversions[1].revenue_sum_squares, 21000);
  EXPECT_EQ(MetricOf("revenue"), Metric::kRevenue);
  EXPECT_EQ(MetricOf("click"), Metric::kRate);
}

TEST(ExperimentPlanTest, ABanditReplanSendsMoreToTheClearlyBetterAndKeepsTheFloor) {
  Experiment e = TwoVariants("bandit", 1, 1);
  e.planned_at = 1'000;
  const std::vector<ExperimentVariantTotals> totals = {{600, 0, 12, 0, 0}, {600, 0, 60, 0, 0}};
  auto plan = ReplanBandit(e, totals);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_NEAR((*plan)[0], 0.05, 1e-9) << "past exploration the worse keeps the floor";
  EXPECT_NEAR((*plan)[1], 0.95, 1e-9);
  EXPECT_EQ(*ReplanBandit(e, totals), *plan) << "seeded by the experiment and its plan: reproducible";
}

}  // namespace
}  // namespace rkd
