#include "domain/targeting.h"

namespace rkd {

const char* TargetingRuleName(TargetingRule rule) {
  switch (rule) {
    case TargetingRule::kScore:
      return "score";
    case TargetingRule::kChurn:
      return "churn";
    case TargetingRule::kBoth:
      return "both";
  }
  return "score";
}

std::optional<TargetingRule> ParseTargetingRule(const std::string& name) {
  if (name == "score") return TargetingRule::kScore;
  if (name == "churn") return TargetingRule::kChurn;
  if (name == "both") return TargetingRule::kBoth;
  return std::nullopt;
}

std::string ChosenBy(const Targeting& targeting, const ScoreRules& rules, double score,
                     const std::optional<ChurnView>& churn) {
  const bool by_score = targeting.rule != TargetingRule::kChurn && IsAtRisk(rules, score);
  const bool by_churn =
      targeting.rule != TargetingRule::kScore && churn && churn->churn_probability > targeting.churn_threshold;
  if (by_score && by_churn) return "score+churn";
  if (by_score) return "score";
  if (by_churn) return "churn";
  return "";
}

bool PredictionIsFresh(const User& user, Millis calibrated_until) {
  // The fit's history ends with the UTC day starting at calibrated_until.
  return !user.last_order_date || *user.last_order_date < calibrated_until + kMillisPerDay;
}

}  // namespace rkd
