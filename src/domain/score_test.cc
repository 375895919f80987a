#include "domain/score.h"

#include <gtest/gtest.h>

namespace rkd {
namespace {

constexpr Millis kNow = 1'780'000'000'000;  // 2026-05-28
constexpr Millis kDay = kMillisPerDay;

User UserWithLastOrderDaysAgo(double days) {
  User u;
  u.created_at = kNow - 400 * kDay;
  u.last_order_date = kNow - static_cast<Millis>(days * kDay);
  return u;
}

double Score(const User& u) { return ComputeScore(ScoreRules{}, u, kNow); }

TEST(ScoreTest, RecencyTiersAtEveryBoundary) {
  EXPECT_EQ(Score(UserWithLastOrderDaysAgo(0)), 100);
  EXPECT_EQ(Score(UserWithLastOrderDaysAgo(30)), 100);
  EXPECT_EQ(Score(UserWithLastOrderDaysAgo(30.99)), 100);  // whole days, floored
  EXPECT_EQ(Score(UserWithLastOrderDaysAgo(31)), 85);
  EXPECT_EQ(Score(UserWithLastOrderDaysAgo(60)), 85);
  EXPECT_EQ(Score(UserWithLastOrderDaysAgo(61)), 70);
  EXPECT_EQ(Score(UserWithLastOrderDaysAgo(90)), 70);
  EXPECT_EQ(Score(UserWithLastOrderDaysAgo(91)), 60);
  EXPECT_EQ(Score(UserWithLastOrderDaysAgo(2000)), 60);
}

TEST(ScoreTest, NoOrderYetCountsFromCreatedAt) {
  User u;
  u.created_at = kNow - 45 * kDay;
  EXPECT_EQ(Score(u), 85);
  u.created_at = kNow - 100 * kDay;
  EXPECT_EQ(Score(u), 60);
  u.created_at = kNow;
  EXPECT_EQ(Score(u), 100);
}

TEST(ScoreTest, OrderCountTerm) {
  User u = UserWithLastOrderDaysAgo(100);  // 60 before the positive terms
  u.order_count = 0;
  EXPECT_EQ(Score(u), 60);
  u.order_count = 5;
  EXPECT_EQ(Score(u), 67.5);
  u.order_count = 10;
  EXPECT_EQ(Score(u), 75);
  u.order_count = 20;
  EXPECT_EQ(Score(u), 75);
}

TEST(ScoreTest, AverageOrderValueTerm) {
  User u = UserWithLastOrderDaysAgo(100);
  u.average_order_value = 0;
  EXPECT_EQ(Score(u), 60);
  u.average_order_value = 100;
  EXPECT_EQ(Score(u), 65);
  u.average_order_value = 200;
  EXPECT_EQ(Score(u), 70);
  u.average_order_value = 400;
  EXPECT_EQ(Score(u), 70);
}

TEST(ScoreTest, RecentEmailPenaltyIsUnderSevenWholeDays) {
  User u = UserWithLastOrderDaysAgo(100);
  u.last_email_date = kNow - 6 * kDay;
  EXPECT_EQ(Score(u), 50);
  u.last_email_date = kNow - 7 * kDay + 1;  // 6.99 days: still under 7 whole days
  EXPECT_EQ(Score(u), 50);
  u.last_email_date = kNow - 7 * kDay;
  EXPECT_EQ(Score(u), 60);
}

TEST(ScoreTest, ClampsToZeroAndHundred) {
  User best = UserWithLastOrderDaysAgo(1);
  best.order_count = 50;
  best.average_order_value = 1000;
  EXPECT_EQ(Score(best), 100);  // 125 before the clamp

  ScoreRules harsh;
  harsh.recency_penalty_3 = 500;
  User lapsed = UserWithLastOrderDaysAgo(200);
  EXPECT_EQ(ComputeScore(harsh, lapsed, kNow), 0);
}

TEST(ScoreTest, SeedFormulaNeverFallsBelowFifty) {
  User worst = UserWithLastOrderDaysAgo(1000);
  worst.last_email_date = kNow;
  EXPECT_EQ(Score(worst), 50);
}

TEST(ScoreTest, BreakdownAddsUpAndThresholdIsStrict) {
  User u = UserWithLastOrderDaysAgo(75);
  u.order_count = 3;
  u.average_order_value = 50;
  ScoreBreakdown b = ExplainScore(ScoreRules{}, u, kNow);
  EXPECT_EQ(b.recency, -30);
  EXPECT_DOUBLE_EQ(b.orders, 4.5);
  EXPECT_DOUBLE_EQ(b.order_value, 2.5);
  EXPECT_EQ(b.days_since_last_order, 75);
  EXPECT_EQ(b.total, 77);
  EXPECT_FALSE(IsAtRisk(ScoreRules{}, 75));
  EXPECT_TRUE(IsAtRisk(ScoreRules{}, 74.99));
}

}  // namespace
}  // namespace rkd
