// An order placed by a client (the body of POST /api/orders, as stored).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/time.h"
#include "domain/user.h"

namespace rkd {

struct OrderItem {
  std::string item_id;
  std::string product_id;
  std::string name;
  std::string category;
  double price = 0;
  int64_t quantity = 1;

  bool operator==(const OrderItem&) const = default;
};

// An order's status: as placed, or cancelled by the shop (a cancelled order counts for
// nothing in its client's figures and converts no email).
inline constexpr const char* kOrderCreated = "CREATED";
inline constexpr const char* kOrderCancelled = "CANCELLED";

struct Order {
  std::string order_id;
  std::string user_id;
  Millis order_date = 0;
  double total_value = 0;
  std::vector<OrderItem> items;
  std::string status = "CREATED";
  Millis created_at = 0;
  // The shop's own order number, unique in the store; empty when the shop gave none. It
  // is also the idempotency key of POST /api/orders: a retry carries the same one.
  std::string external_id;
  // Whether order_date was stated by the client (false: the time the request arrived
  // stood in for it). Not stored: it only decides whether the date takes part in
  // IsSameOrder, since a retry without a date arrives later than the original.
  bool order_date_given = true;
  // Recorded because an update of the client's figures implied it (ImpliedOrder), not
  // posted as an order: its value follows from the totals and its items are unknown.
  bool implied = false;
};

// Whether `retry` asks for the order already stored as `stored` (the same externalId
// sent again): same user, total and items, and the same date when the retry states one.
// The stores use it inside the order's transaction to tell a replay from a conflict.
bool IsSameOrder(const Order& stored, const Order& retry);

// Moves the client's order statistics by one order: orderCount + 1, the total in cents
// (exact) and the average derived from it, lastOrderDate to the later of the two (an
// order back-dated before the last one does not move it), firstOrderDate to the
// earlier. Score and timestamps are the store's to set.
void ApplyOrder(const Order& order, User* user);

}  // namespace rkd
