// Turns client input (JSON bodies, query strings) into domain values, or into an
// InvalidArgument naming the field and why. Nothing here touches the store.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "base/status.h"
#include "base/time.h"
#include "domain/order.h"
#include "domain/user.h"
#include "store/store.h"

namespace rkd {

// A small allowance for clients whose clocks run ahead when checking "not in the future".
constexpr Millis kClockSkewAllowance = 5 * 60 * 1000;

bool IsValidEmailAddress(const std::string& s);

// The body must be a JSON object.
Result<nlohmann::json> ParseJsonObject(const std::string& body);

// POST /api/users: email and name required; userId, lastOrderDate, orderCount,
// averageOrderValue, preferredCategories and lastEmailDate optional.
Result<User> ParseNewUser(const nlohmann::json& body, Millis now);
// PUT /api/users/:id: any of the writable fields, at least one.
Result<UserPatch> ParseUserPatch(const nlohmann::json& body, Millis now);
// POST /api/orders: {userId, totalValue, items[], orderDate?}.
Result<Order> ParseNewOrder(const nlohmann::json& body, Millis now);

// GET /api/users: limit, cursor, sort, order, atRisk, search. `threshold` is the
// at-risk bound.
Result<UserQuery> ParseUserQuery(const std::map<std::string, std::string>& query, double threshold);
// limit (1..500, default 50) and cursor, shared by every list.
Status ParseLimitAndCursor(const std::map<std::string, std::string>& query, int* limit, std::string* cursor);

}  // namespace rkd
