#include "domain/implied_order.h"

#include <gtest/gtest.h>

namespace rkd {
namespace {

constexpr Millis kDay = kMillisPerDay;
constexpr Millis kNow = 400 * kDay;

// A client with two orders totalling 50.00, the last 30 days ago.
User TwoOrders() {
  User u;
  u.user_id = "u1";
  u.order_count = 2;
  u.total_spent_cents = 5000;
  u.average_order_value = 25;
  u.last_order_date = kNow - 30 * kDay;
  return u;
}

std::string FieldOf(const Result<std::optional<Order>>& r) { return r.ok() ? "(ok)" : r.status().field(); }

TEST(ImpliedOrderTest, TheSeedsCreateOrderBecomesOneOrderWorthTheDifference) {
  UserPatch patch{.name = "Ada",
                  .last_order_date = std::optional<Millis>(kNow - kDay),
                  .order_count = 3,
                  .average_order_value = 30.3333333};  // 91.00 over 3 orders: an order of 41.00
  auto order = TakeImpliedOrder(TwoOrders(), &patch, kNow);
  ASSERT_TRUE(order.ok()) << order.status().ToString();
  ASSERT_TRUE(order->has_value());
  EXPECT_EQ((*order)->user_id, "u1");
  EXPECT_DOUBLE_EQ((*order)->total_value, 41.00);
  EXPECT_EQ((*order)->order_date, kNow - kDay);
  EXPECT_TRUE((*order)->implied);
  EXPECT_TRUE((*order)->items.empty());
  // The figures left the patch (they follow from the order); the rest stays.
  EXPECT_FALSE(patch.order_count || patch.average_order_value || patch.last_order_date);
  EXPECT_EQ(patch.name, "Ada");
}

TEST(ImpliedOrderTest, WithoutADateTheOrderIsNowAndWithoutAnAverageItIsWorthTheOldAverage) {
  UserPatch patch{.order_count = 3};
  auto order = TakeImpliedOrder(TwoOrders(), &patch, kNow);
  ASSERT_TRUE(order.ok() && order->has_value());
  EXPECT_EQ((*order)->order_date, kNow);
  EXPECT_DOUBLE_EQ((*order)->total_value, 25.00);
}

TEST(ImpliedOrderTest, TheSameFiguresAgainImplyNothing) {
  const User u = TwoOrders();
  UserPatch patch{.last_order_date = u.last_order_date, .order_count = 2, .average_order_value = 25.001};
  auto order = TakeImpliedOrder(u, &patch, kNow);
  ASSERT_TRUE(order.ok()) << order.status().ToString();
  EXPECT_FALSE(order->has_value());
  EXPECT_TRUE(patch.empty());
  UserPatch none{.name = "Ada"};
  EXPECT_FALSE(TakeImpliedOrder(u, &none, kNow)->has_value());
}

TEST(ImpliedOrderTest, FiguresNoOrderExplainsAreRefusedNamingTheField) {
  const User u = TwoOrders();
  struct Case {
    UserPatch patch;
    const char* field;
  };
  const Case cases[] = {
      {{.order_count = 1}, "orderCount"},  // fewer orders
      {{.order_count = 4}, "orderCount"},  // two at once
      {{.last_order_date = std::optional<Millis>(kNow - 40 * kDay), .order_count = 3},
       "lastOrderDate"},                                                                  // before the last order
      {{.last_order_date = std::optional<Millis>(), .order_count = 3}, "lastOrderDate"},  // cleared
      {{.order_count = 3, .average_order_value = 10}, "averageOrderValue"},               // 30.00 < 50.00
      {{.average_order_value = 40}, "averageOrderValue"},                                 // no new order
      {{.last_order_date = std::optional<Millis>(kNow - kDay)}, "lastOrderDate"},         // no new order
  };
  for (const Case& c : cases) {
    UserPatch patch = c.patch;
    EXPECT_EQ(FieldOf(TakeImpliedOrder(u, &patch, kNow)), c.field) << c.field;
  }
}

TEST(ImpliedOrderTest, AFirstOrderForAClientWithoutOrders) {
  User u;
  u.user_id = "new";
  UserPatch patch{.order_count = 1, .average_order_value = 12.5};
  auto order = TakeImpliedOrder(u, &patch, kNow);
  ASSERT_TRUE(order.ok() && order->has_value());
  EXPECT_DOUBLE_EQ((*order)->total_value, 12.5);
}

}  // namespace
}  // namespace rkd
