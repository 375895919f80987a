#include "domain/user.h"

#include <cctype>
#include <cmath>
#include <string_view>

namespace rkd {

double AverageOrderValue(int64_t total_spent_cents, int64_t order_count) {
  if (order_count <= 0) return 0;
  const int64_t q = total_spent_cents / order_count, r = total_spent_cents % order_count;
  const int64_t cents = q + (2 * r >= order_count ? 1 : 0);  // half away from zero (totals are not negative)
  return static_cast<double>(cents) / 100.0;
}

void FillOrderTotals(User* u) {
  if (u->order_count <= 0 || u->total_spent_cents != 0) return;
  u->total_spent_cents = std::llround(u->average_order_value * 100.0 * static_cast<double>(u->order_count));
  if (!u->first_order_date) u->first_order_date = u->last_order_date;
}

bool IsPlaceholderAddress(const std::string& email) {
  constexpr std::string_view kTld = ".invalid";
  if (email.size() < kTld.size()) return false;
  for (size_t i = 0; i < kTld.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(email[email.size() - kTld.size() + i])) != kTld[i]) return false;
  return true;
}

void ApplyPatch(const UserPatch& p, User* u) {
  if (p.email) u->email = *p.email;
  if (p.name) u->name = *p.name;
  if (p.last_order_date) u->last_order_date = *p.last_order_date;
  if (p.order_count) u->order_count = *p.order_count;
  if (p.average_order_value) u->average_order_value = *p.average_order_value;
  if (p.order_count || p.average_order_value)
    u->total_spent_cents = std::llround(u->average_order_value * 100.0 * static_cast<double>(u->order_count));
  if (p.preferred_categories) u->preferred_categories = *p.preferred_categories;
  if (p.last_email_date) u->last_email_date = *p.last_email_date;
  if (p.time_zone) u->time_zone = *p.time_zone;
}

bool DiffersOutsidePipelineFields(const User& a, const User& b) {
  return a.user_id != b.user_id || a.email != b.email || a.name != b.name || a.last_order_date != b.last_order_date ||
         a.order_count != b.order_count || a.average_order_value != b.average_order_value ||
         a.preferred_categories != b.preferred_categories || a.created_at != b.created_at ||
         a.time_zone != b.time_zone || a.external_id != b.external_id || a.total_spent_cents != b.total_spent_cents ||
         a.first_order_date != b.first_order_date;
}

}  // namespace rkd
