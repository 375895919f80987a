// The engagement score (docs/score.md: the seed's rule, exactly), with
// its penalties and weights configurable (the day boundaries and caps are fixed). Pure functions; thread-safe.
#pragma once

#include "base/time.h"
#include "domain/user.h"

namespace rkd {

struct ScoreRules {
  double base = 100;
  // Days since the last order (or since createdAt when there is none): one tier applies.
  int recency_days_1 = 30;
  double recency_penalty_1 = 15;  // > 30 days
  int recency_days_2 = 60;
  double recency_penalty_2 = 30;  // > 60 days
  int recency_days_3 = 90;
  double recency_penalty_3 = 40;  // > 90 days
  double orders_weight = 15;      // × min(orderCount / orders_cap, 1)
  double orders_cap = 10;
  double value_weight = 10;  // × min(averageOrderValue / value_cap, 1)
  double value_cap = 200;
  double recent_email_penalty = 10;  // when the last email is less than this many days old:
  int recent_email_days = 7;
  double threshold = 75;  // "at risk" means score < threshold
};

// Each term of the score, so a person can see why a client is at risk.
struct ScoreBreakdown {
  double base = 0;
  double recency = 0;       // ≤ 0
  double orders = 0;        // ≥ 0
  double order_value = 0;   // ≥ 0
  double recent_email = 0;  // ≤ 0
  double total = 0;         // clamped to [0, 100], rounded to 2 decimals
  int64_t days_since_last_order = 0;
};

ScoreBreakdown ExplainScore(const ScoreRules& rules, const User& user, Millis now);
inline double ComputeScore(const ScoreRules& rules, const User& user, Millis now) {
  return ExplainScore(rules, user, now).total;
}
inline bool IsAtRisk(const ScoreRules& rules, double score) { return score < rules.threshold; }

}  // namespace rkd
