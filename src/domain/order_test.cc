#include "domain/order.h"

#include <gtest/gtest.h>

namespace rkd {
namespace {

TEST(ApplyOrderTest, MovesCountAverageAndLastOrderDate) {
  User u;
  Order o;
  o.total_value = 40;
  o.order_date = 1000;
  ApplyOrder(o, &u);  // the first order
  EXPECT_EQ(u.order_count, 1);
  EXPECT_DOUBLE_EQ(u.average_order_value, 40);
  EXPECT_EQ(u.last_order_date, 1000);

  o.total_value = 10.01;
  o.order_date = 500;  // back-dated: the last order date stays
  ApplyOrder(o, &u);
  EXPECT_EQ(u.order_count, 2);
  EXPECT_DOUBLE_EQ(u.average_order_value, 25.01);  // 25.005 rounded to cents
  EXPECT_EQ(u.last_order_date, 1000);
}

}  // namespace
}  // namespace rkd
