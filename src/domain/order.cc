#include "domain/order.h"

#include <algorithm>
#include <cmath>

namespace rkd {

void ApplyOrder(const Order& order, User* u) {
  u->total_spent_cents += std::llround(order.total_value * 100.0);
  u->order_count += 1;
  u->average_order_value = AverageOrderValue(u->total_spent_cents, u->order_count);
  u->last_order_date = std::max(u->last_order_date.value_or(order.order_date), order.order_date);
  u->first_order_date = std::min(u->first_order_date.value_or(order.order_date), order.order_date);
}

bool IsSameOrder(const Order& stored, const Order& retry) {
  return stored.user_id == retry.user_id && stored.total_value == retry.total_value && stored.items == retry.items &&
         (!retry.order_date_given || stored.order_date == retry.order_date);
}

}  // namespace rkd
