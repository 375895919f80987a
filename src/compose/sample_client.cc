#include "compose/sample_client.h"

namespace rkd {

User SampleClient(Millis now) {
  User u;
  u.name = "Alex Sample";
  u.email = "alex.sample@example.com";
  u.order_count = 4;
  u.total_spent_cents = 23'960;
  u.average_order_value = AverageOrderValue(u.total_spent_cents, u.order_count);
  u.first_order_date = now - 400 * kMillisPerDay;
  u.last_order_date = now - 75 * kMillisPerDay;
  u.preferred_categories = {"Outerwear", "Shoes"};
  u.engagement_score = 22;
  return u;
}

}  // namespace rkd
