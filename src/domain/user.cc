#include "domain/user.h"

namespace rkd {

void ApplyPatch(const UserPatch& p, User* u) {
  if (p.email) u->email = *p.email;
  if (p.name) u->name = *p.name;
  if (p.last_order_date) u->last_order_date = *p.last_order_date;
  if (p.order_count) u->order_count = *p.order_count;
  if (p.average_order_value) u->average_order_value = *p.average_order_value;
  if (p.preferred_categories) u->preferred_categories = *p.preferred_categories;
  if (p.last_email_date) u->last_email_date = *p.last_email_date;
  if (p.time_zone) u->time_zone = *p.time_zone;
}

bool DiffersOutsidePipelineFields(const User& a, const User& b) {
  return a.user_id != b.user_id || a.email != b.email || a.name != b.name || a.last_order_date != b.last_order_date ||
         a.order_count != b.order_count || a.average_order_value != b.average_order_value ||
         a.preferred_categories != b.preferred_categories || a.created_at != b.created_at || a.time_zone != b.time_zone;
}

}  // namespace rkd
