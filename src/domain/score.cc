#include "domain/score.h"

#include <algorithm>
#include <cmath>

namespace rkd {

ScoreBreakdown ExplainScore(const ScoreRules& r, const User& u, Millis now) {
  ScoreBreakdown b;
  b.base = r.base;
  b.days_since_last_order = WholeDaysBetween(u.last_order_date.value_or(u.created_at), now);
  const int64_t days = b.days_since_last_order;
  if (days > r.recency_days_3) {
    b.recency = -r.recency_penalty_3;
  } else if (days > r.recency_days_2) {
    b.recency = -r.recency_penalty_2;
  } else if (days > r.recency_days_1) {
    b.recency = -r.recency_penalty_1;
  }
  if (r.orders_cap > 0) b.orders = r.orders_weight * std::min(static_cast<double>(u.order_count) / r.orders_cap, 1.0);
  if (r.value_cap > 0) b.order_value = r.value_weight * std::min(u.average_order_value / r.value_cap, 1.0);
  if (u.last_email_date && WholeDaysBetween(*u.last_email_date, now) < r.recent_email_days)
    b.recent_email = -r.recent_email_penalty;
  const double raw = b.base + b.recency + b.orders + b.order_value + b.recent_email;
  // Two decimals keep the wire free of float noise (67.49999…) without moving any tier.
  b.total = std::round(std::clamp(raw, 0.0, 100.0) * 100.0) / 100.0;
  return b;
}

}  // namespace rkd
