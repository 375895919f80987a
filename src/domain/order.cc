#include "domain/order.h"

#include <algorithm>
#include <cmath>

namespace rkd {

void ApplyOrder(const Order& order, User* u) {
  const double total = u->average_order_value * static_cast<double>(u->order_count) + order.total_value;
  u->order_count += 1;
  u->average_order_value = std::round(total / static_cast<double>(u->order_count) * 100.0) / 100.0;
  u->last_order_date = std::max(u->last_order_date.value_or(order.order_date), order.order_date);
}

bool IsSameOrder(const Order& stored, const Order& retry) {
  return stored.user_id == retry.user_id && stored.total_value == retry.total_value && stored.items == retry.items &&
         (!retry.order_date_given || stored.order_date == retry.order_date);
}

}  // namespace rkd
