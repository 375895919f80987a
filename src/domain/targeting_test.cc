#include "domain/targeting.h"

#include <gtest/gtest.h>

namespace rkd {
namespace {

constexpr Millis kDay = kMillisPerDay;

TEST(TargetingTest, EachRuleChoosesItsOwnClientsAndNamesItself) {
  const ScoreRules rules;  // at risk below 75
  const ChurnView likely{.churn_probability = 0.9, .value_at_stake = 45};
  const ChurnView unlikely{.churn_probability = 0.2, .value_at_stake = 3};
  const Targeting score{TargetingRule::kScore, 0.7}, churn{TargetingRule::kChurn, 0.7}, both{TargetingRule::kBoth, 0.7};
  EXPECT_EQ(ChosenBy(score, rules, 60, likely), "score");
  EXPECT_EQ(ChosenBy(score, rules, 90, likely), "");    // score targeting ignores the model
  EXPECT_EQ(ChosenBy(churn, rules, 60, unlikely), "");  // churn targeting ignores the score
  EXPECT_EQ(ChosenBy(churn, rules, 90, likely), "churn");
  EXPECT_EQ(ChosenBy(churn, rules, 60, std::nullopt), "");  // no prediction: never chosen by churn
  EXPECT_EQ(ChosenBy(both, rules, 60, likely), "score+churn");
  EXPECT_EQ(ChosenBy(both, rules, 60, std::nullopt), "score");
  EXPECT_EQ(ChosenBy(both, rules, 90, likely), "churn");
  EXPECT_EQ(ChosenBy(both, rules, 90, unlikely), "");
}

TEST(TargetingTest, TheThresholdIsStrict) {
  const Targeting churn{TargetingRule::kChurn, 0.7};
  EXPECT_EQ(ChosenBy(churn, ScoreRules{}, 90, ChurnView{0.7, 0}), "");
  EXPECT_EQ(ChosenBy(churn, ScoreRules{}, 90, ChurnView{0.7000001, 0}), "churn");
}

TEST(TargetingTest, APredictionMadeBeforeTheClientsLatestOrderIsStale) {
  const Millis until = 20'000 * kDay;  // the fit's last calibration day starts here
  User u;
  EXPECT_TRUE(PredictionIsFresh(u, until));  // never ordered
  u.last_order_date = until + kDay - 1;      // on the last calibration day: the fit saw it
  EXPECT_TRUE(PredictionIsFresh(u, until));
  u.last_order_date = until + kDay;  // the day after: the fit did not
  EXPECT_FALSE(PredictionIsFresh(u, until));
}

TEST(TargetingTest, RuleNamesRoundTrip) {
  for (TargetingRule r : {TargetingRule::kScore, TargetingRule::kChurn, TargetingRule::kBoth})
    EXPECT_EQ(ParseTargetingRule(TargetingRuleName(r)), r);
  EXPECT_FALSE(ParseTargetingRule("Churn").has_value());
  EXPECT_FALSE(ParseTargetingRule("").has_value());
}

}  // namespace
}  // namespace rkd
