#include "domain/implied_order.h"

#include <cmath>

namespace rkd {
namespace {

Status Refused(const char* field, const std::string& why) { return Status::InvalidArgument(why, field); }

std::string Cents(int64_t cents) {
  const char* sign = cents < 0 ? "-" : "";
  cents = std::llabs(cents);
  std::string frac = std::to_string(cents % 100);
  return sign + std::to_string(cents / 100) + "." + (frac.size() == 1 ? "0" + frac : frac);
}

}  // namespace

Result<std::optional<Order>> TakeImpliedOrder(const User& before, UserPatch* patch, Millis now) {
  const std::optional<int64_t> count = patch->order_count;
  const std::optional<double> average = patch->average_order_value;
  const std::optional<std::optional<Millis>> last = patch->last_order_date;
  patch->order_count.reset();
  patch->average_order_value.reset();
  patch->last_order_date.reset();
  const int64_t new_count = count.value_or(before.order_count);

  if (new_count < before.order_count)
    return Refused("orderCount", "cannot go down (from " + std::to_string(before.order_count) + " to " +
                                     std::to_string(new_count) + "): it counts the client's orders");
  if (new_count == before.order_count) {
    // The same figures again (a form that sends every field) change nothing.
    if (average && std::llround(*average * 100.0) != std::llround(before.average_order_value * 100.0))
      return Refused("averageOrderValue",
                     "follows from the client's orders: it changes only with a new order (orderCount one higher)");
    if (last && *last != before.last_order_date)
      return Refused("lastOrderDate",
                     "follows from the client's orders: it changes only with a new order (orderCount one higher)");
    return std::optional<Order>();
  }
  if (new_count > before.order_count + 1)
    return Refused("orderCount", "may grow by one per update (one order); post each further order to /api/orders");

  Order order;
  order.user_id = before.user_id;
  order.implied = true;
  order.order_date = now;
  if (last) {
    if (!*last) return Refused("lastOrderDate", "must be the new order's date, not empty");
    if (before.last_order_date && **last < *before.last_order_date)
      return Refused("lastOrderDate", "must not be before the client's last order (" +
                                          FormatRfc3339(*before.last_order_date) + ") for a new order");
    order.order_date = **last;
  }
  int64_t cents = std::llround(before.average_order_value * 100.0);
  if (average) {
    cents = std::llround(*average * 100.0 * static_cast<double>(new_count)) - before.total_spent_cents;
    if (cents < 0)
      return Refused("averageOrderValue", "implies an order of " + Cents(cents) + " (total " +
                                              Cents(before.total_spent_cents) + " over " +
                                              std::to_string(before.order_count) + " orders before)");
  }
  order.total_value = static_cast<double>(cents) / 100.0;
  return std::optional<Order>(std::move(order));
}

}  // namespace rkd
