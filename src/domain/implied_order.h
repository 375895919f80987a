// The order a client update implies. The seed's dashboard records an order ("Create
// Order") by PUT /api/users/:id with the figures after it: orderCount one higher, the new
// averageOrderValue and a later lastOrderDate. Rekindle's figures follow from orders, so
// such an update becomes an order (items unknown, marked implied) that counts, converts
// and rescores like any other; an update of the figures that no order explains is refused.
#pragma once

#include <optional>

#include "base/status.h"
#include "base/time.h"
#include "domain/order.h"
#include "domain/user.h"

namespace rkd {

// Takes the order figures (orderCount, averageOrderValue, lastOrderDate) out of `patch`
// and returns the order they imply for `before`, or nullopt when they restate the
// client's current figures (or `patch` names none). Refused (InvalidArgument, naming the
// field): a lower orderCount, more than one order at once, a new order dated before the
// client's last one, an average implying a negative order value, and changed figures
// with no new order. The implied order's value is the new total (average × count, to the
// cent) less the old; without a new average, the old average; without a date, `now`.
Result<std::optional<Order>> TakeImpliedOrder(const User& before, UserPatch* patch, Millis now);

}  // namespace rkd
