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
};

struct Order {
  std::string order_id;
  std::string user_id;
  Millis order_date = 0;
  double total_value = 0;
  std::vector<OrderItem> items;
  std::string status = "CREATED";
  Millis created_at = 0;
};

// Moves the client's order statistics by one order: orderCount + 1, the running
// averageOrderValue (rounded to cents), lastOrderDate to the later of the two (an order
// back-dated before the last one does not move it). Score and timestamps are the
// store's to set.
void ApplyOrder(const Order& order, User* user);

}  // namespace rkd
