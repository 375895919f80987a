// A client of the shop, as stored and as shown on the wire (docs/design.md, "The data").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/time.h"

namespace rkd {

struct User {
  std::string user_id;
  std::string email;
  std::string name;
  std::optional<Millis> last_order_date;
  int64_t order_count = 0;
  // The sum of the client's orders in cents, exact; averageOrderValue is derived from it
  // (AverageOrderValue) instead of being re-rounded at every order.
  int64_t total_spent_cents = 0;
  double average_order_value = 0;
  std::optional<Millis> first_order_date;
  std::vector<std::string> preferred_categories;
  double engagement_score = 0;  // computed by the store on every write, never by a client
  std::optional<Millis> last_email_date;
  Millis created_at = 0;
  Millis updated_at = 0;
  std::string time_zone;    // IANA name ("Europe/Berlin"); empty: the shop's (quiet hours)
  std::string external_id;  // the shop's own customer id (imports match by it); empty: none
};

// total / count in cents, rounded half away from zero, as money (0 without orders).
double AverageOrderValue(int64_t total_spent_cents, int64_t order_count);

// The reserved domain of the addresses an import gives clients who have none
// ("…@no-address.invalid"): RFC 2606 keeps .invalid from ever resolving, and the
// pipeline never emails such an address.
inline constexpr const char* kNoAddressDomain = "no-address.invalid";
// A client created with its order figures given (POST /api/users, the seed), not from
// orders: the total is their product, the first order the last when none is given.
void FillOrderTotals(User* user);

// Whether `email` is under .invalid (a placeholder: never emailed).
bool IsPlaceholderAddress(const std::string& email);

// A partial update: each engaged optional replaces that field (PUT merges). For the
// nullable dates, an engaged outer optional holding nullopt clears the field.
struct UserPatch {
  std::optional<std::string> email;
  std::optional<std::string> name;
  std::optional<std::optional<Millis>> last_order_date;
  std::optional<int64_t> order_count;
  std::optional<double> average_order_value;
  std::optional<std::vector<std::string>> preferred_categories;
  std::optional<std::optional<Millis>> last_email_date;
  std::optional<std::string> time_zone;  // empty: clear (the shop's)

  bool empty() const {
    return !email && !name && !last_order_date && !order_count && !average_order_value && !preferred_categories &&
           !last_email_date && !time_zone;
  }
};

// Applies `patch` to `user` (does not touch the score or timestamps).
// A patch of orderCount or averageOrderValue (a new client's figures, POST /api/users)
// restates the total as their product; an update takes them out first (TakeImpliedOrder).
void ApplyPatch(const UserPatch& patch, User* user);

// True when `before` and `after` differ in a field other than those the pipeline writes
// itself (engagementScore, lastEmailDate, updatedAt). Such changes are the only ones
// published, which closes the feedback loop (docs/invariants.md, "No feedback loop").
bool DiffersOutsidePipelineFields(const User& before, const User& after);

}  // namespace rkd
