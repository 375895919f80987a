// An order placed by a client (the body of POST /api/orders, as stored).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/time.h"

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

}  // namespace rkd
