// Who the win-back flow is for (issue 11, RKD_TARGETING): the seed's score rule, the
// churn model's probability, or either. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "base/time.h"
#include "domain/score.h"
#include "domain/user.h"

namespace rkd {

enum class TargetingRule { kScore, kChurn, kBoth };

struct Targeting {
  TargetingRule rule = TargetingRule::kScore;
  // `churn` and `both`: a client whose churn probability is above this is chosen.
  double churn_threshold = 0.7;
};

// What the churn model says of one client, as targeting needs it: absent when the client
// has no prediction, or when it is stale (made before the client's latest order).
struct ChurnView {
  double churn_probability = 0;
  double value_at_stake = 0;  // churn probability × predicted value (0 without a spend model)
};

// "score", "churn", "both" (the setting's words).
const char* TargetingRuleName(TargetingRule rule);
std::optional<TargetingRule> ParseTargetingRule(const std::string& name);

// The rule that chose the client, as each email and holdout record stores it: "score",
// "churn", or "score+churn" when both rules are in force and both chose them; empty when
// the client is not chosen. Under `churn` a client without a (fresh) prediction is never
// chosen; under `both` the score rule still chooses them.
std::string ChosenBy(const Targeting& targeting, const ScoreRules& rules, double score,
                     const std::optional<ChurnView>& churn);

// Whether a prediction computed at `computed_at` from history up to `calibrated_until`
// still describes the client: no order of theirs came after the history it was fitted on.
bool PredictionIsFresh(const User& user, Millis calibrated_until);

}  // namespace rkd
