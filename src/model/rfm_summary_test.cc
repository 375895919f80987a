#include "model/rfm_summary.h"

#include <gtest/gtest.h>

#include <cmath>

#include "model/cdnow_test_data.h"

namespace rkd {
namespace {

using testing::UtcMidnight;

constexpr Millis kHour = 3'600'000;

TEST(RfmSummaryTest, SameDayOrdersAreOnePurchaseWithTheirValuesSummed) {
  const Millis d0 = UtcMidnight(2026, 1, 1);
  const std::vector<DatedOrder> orders = {
      {d0 + 10 * kHour, 1000},
      {d0 + 3 * kMillisPerDay + 1 * kHour, 500},
      {d0 + 3 * kMillisPerDay + 23 * kHour, 700},  // the same day: one purchase of 12.00
      {d0 + 10 * kMillisPerDay, 300},
      {d0 + 40 * kMillisPerDay, 9999},  // after `until`: ignored
  };
  const std::optional<RfmSummary> s = SummarizeOrders(orders, d0 + 20 * kMillisPerDay + 5 * kHour, TimeUnit::kDays);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->x, 2);
  EXPECT_EQ(s->t_x, 10);
  EXPECT_EQ(s->T, 20);
  EXPECT_DOUBLE_EQ(s->monetary, (12.00 + 3.00) / 2);
  EXPECT_EQ(s->weight, 1);

  const std::optional<RfmSummary> w = SummarizeOrders(orders, d0 + 20 * kMillisPerDay, TimeUnit::kWeeks);
  EXPECT_DOUBLE_EQ(w->t_x, 10.0 / 7);
  EXPECT_DOUBLE_EQ(w->T, 20.0 / 7);
}

TEST(RfmSummaryTest, FirstDayOrdersAreNotRepeats) {
  const Millis d0 = UtcMidnight(2026, 1, 1);
  const std::vector<DatedOrder> orders = {{d0 + 2 * kHour, 100}, {d0 + 5 * kHour, 200}};
  const std::optional<RfmSummary> s = SummarizeOrders(orders, d0 + 30 * kMillisPerDay, TimeUnit::kDays);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->x, 0);
  EXPECT_EQ(s->t_x, 0);
  EXPECT_EQ(s->T, 30);
  EXPECT_EQ(s->monetary, 0);
  // Ordered today: T = 0.
  EXPECT_EQ(SummarizeOrders(orders, d0 + 23 * kHour, TimeUnit::kDays)->T, 0);
  // Nothing up to `until`, or nothing at all.
  EXPECT_FALSE(SummarizeOrders(orders, d0 - 1, TimeUnit::kDays).has_value());
  EXPECT_FALSE(SummarizeOrders({}, d0, TimeUnit::kDays).has_value());
}

TEST(RfmSummaryTest, OrdersBefore1970FallOnTheirOwnDay) {
  const Millis d = UtcMidnight(1969, 12, 30);
  const std::vector<DatedOrder> orders = {{d + kHour, 100}, {d + kMillisPerDay + kHour, 100}};
  const std::optional<RfmSummary> s = SummarizeOrders(orders, d + 2 * kMillisPerDay, TimeUnit::kDays);
  EXPECT_EQ(s->x, 1);
  EXPECT_EQ(s->t_x, 1);
  EXPECT_EQ(s->T, 2);
}

TEST(RfmSummaryTest, CdnowSampleReproducesThePublishedSummary) {
  const std::optional<std::string> dir = testing::CdnowDir();
  if (!dir) GTEST_SKIP() << "CDNOW data not found (set RKD_CDNOW_DIR)";
  const std::vector<testing::CdnowSummaryRow> expected = testing::ReadCdnowSummary(*dir);
  const std::map<int, std::vector<DatedOrder>> orders = testing::ReadCdnowSample(*dir);
  ASSERT_EQ(expected.size(), 2357u);
  ASSERT_EQ(orders.size(), 2357u);
  const Millis until = UtcMidnight(1997, 9, 30);
  int with_repeats = 0;
  for (const testing::CdnowSummaryRow& e : expected) {
    const auto it = orders.find(e.id);
    ASSERT_NE(it, orders.end()) << e.id;
    const std::optional<RfmSummary> s = SummarizeOrders(it->second, until, TimeUnit::kWeeks);
    ASSERT_TRUE(s.has_value()) << e.id;
    EXPECT_EQ(s->x, e.summary.x) << e.id;
    // The file rounds to 2 decimals.
    EXPECT_NEAR(s->t_x, e.summary.t_x, 0.005 + 1e-9) << e.id;
    EXPECT_NEAR(s->T, e.summary.T, 0.005 + 1e-9) << e.id;
    EXPECT_NEAR(s->monetary, e.summary.monetary, 0.005 + 1e-9) << e.id;
    with_repeats += s->x > 0;
  }
  EXPECT_EQ(with_repeats, 946);
}

TEST(RfmSummaryTest, CompressMergesEqualRowsAndKeepsTheTotalWeight) {
  const std::vector<RfmSummary> rows = {{0, 0, 5},      {1, 2, 5, 9.5}, {0, 0, 5, 0, 3},
                                        {1, 2, 5, 1.0}, {1, 2, 6},      {2, 2, 6, 0, 0}};
  const std::vector<RfmSummary> c = Compress(rows);
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0].x, 0);
  EXPECT_EQ(c[0].weight, 4);
  EXPECT_EQ(c[1].T, 5);
  EXPECT_EQ(c[1].weight, 2);
  EXPECT_EQ(c[1].monetary, 0);
  EXPECT_EQ(c[2].T, 6);
  EXPECT_EQ(c[2].weight, 1);
  EXPECT_TRUE(Compress({}).empty());
}

TEST(RfmSummaryTest, CheckFittableNamesTheProblem) {
  EXPECT_TRUE(CheckFittable(std::vector<RfmSummary>{{0, 0, 5}, {1, 2, 5}}).ok());
  EXPECT_EQ(CheckFittable({}).code(), Code::kInvalidArgument);
  EXPECT_EQ(CheckFittable(std::vector<RfmSummary>{{1, 2, 5, 0, 0}}).code(), Code::kInvalidArgument);
  EXPECT_EQ(CheckFittable(std::vector<RfmSummary>{{1, 6, 5}}).field(), "t_x");
  EXPECT_EQ(CheckFittable(std::vector<RfmSummary>{{0.5, 1, 5}}).field(), "x");
  EXPECT_EQ(CheckFittable(std::vector<RfmSummary>{{0, 0, 0}, {0, 0, 0}}).code(), Code::kFailedPrecondition);
  EXPECT_EQ(CheckFittable(std::vector<RfmSummary>{{0, 0, 3}, {0, 0, 9}}).code(), Code::kFailedPrecondition);
}

}  // namespace
}  // namespace rkd
