// The wire form (docs/design.md, "The data") of the domain types, used
// by the API and for the change stream's images. Parsing here trusts its input (it reads
// what we wrote); client input is validated in api/ before it reaches the domain.
#pragma once

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "domain/email.h"
#include "domain/order.h"
#include "domain/user.h"
#include "domain/user_change.h"

namespace rkd {

nlohmann::json ToJson(const User& u);
nlohmann::json ToJson(const Order& o);
nlohmann::json ToJson(const OrderItem& i);
nlohmann::json ToJson(const Email& e);

Result<User> UserFromJson(const nlohmann::json& j);
Result<std::vector<OrderItem>> OrderItemsFromJson(const nlohmann::json& j);

}  // namespace rkd
