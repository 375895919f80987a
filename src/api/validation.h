// Turns client input (JSON bodies, query strings) into domain values, or into an
// InvalidArgument naming the field and why. Nothing here touches the store.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
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
// An order's externalId, the shop's order number and the idempotency key of
// POST /api/orders: 1 to 128 printable ASCII characters, without leading or trailing
// spaces. InvalidArgument names `field` otherwise.
Status CheckExternalId(const std::string& value, const std::string& field);
// POST /api/orders: {userId, totalValue, items[], orderDate?, externalId?}.
// `idempotency_key` is the Idempotency-Key header when the request has one (validated
// as an externalId, field "Idempotency-Key"); it becomes the externalId when the body
// has none, and must equal it when the body has one.
Result<Order> ParseNewOrder(const nlohmann::json& body, Millis now,
                            const std::optional<std::string>& idempotency_key = std::nullopt);

// A list's page size: when the request names no `limit`, and the most it may name
// (RKD_DEFAULT_PAGE_LIMIT, RKD_MAX_PAGE_LIMIT; the store never returns more than
// kPageLimitCeiling).
struct PageLimits {
  int default_limit = 50;
  int max_limit = 500;
};

// GET /api/users: limit, cursor, sort, order, atRisk, search. `threshold` is the
// at-risk bound.
Result<UserQuery> ParseUserQuery(const std::map<std::string, std::string>& query, double threshold,
                                 const PageLimits& limits = {});
// limit (1..limits.max_limit, default limits.default_limit) and cursor, shared by every list.
Status ParseLimitAndCursor(const std::map<std::string, std::string>& query, const PageLimits& limits, int* limit,
                           std::string* cursor);

}  // namespace rkd
