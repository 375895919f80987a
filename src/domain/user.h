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
  double average_order_value = 0;
  std::vector<std::string> preferred_categories;
  double engagement_score = 0;  // computed by the store on every write, never by a client
  std::optional<Millis> last_email_date;
  Millis created_at = 0;
  Millis updated_at = 0;
  std::string time_zone;  // IANA name ("Europe/Berlin"); empty: the shop's (quiet hours)
};

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
void ApplyPatch(const UserPatch& patch, User* user);

// True when `before` and `after` differ in a field other than those the pipeline writes
// itself (engagementScore, lastEmailDate, updatedAt). Such changes are the only ones
// published, which closes the feedback loop (docs/invariants.md, "No feedback loop").
bool DiffersOutsidePipelineFields(const User& before, const User& after);

}  // namespace rkd
