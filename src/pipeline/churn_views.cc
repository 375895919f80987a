#include "pipeline/churn_views.h"

namespace rkd {

Result<std::map<std::string, ChurnView>> ChurnViewsOf(Store& store, const Targeting& targeting,
                                                      const std::vector<const User*>& users) {
  std::map<std::string, ChurnView> out;
  if (targeting.rule == TargetingRule::kScore || users.empty()) return out;
  auto fit = store.LatestModelFit();
  if (!fit.ok()) return fit.status();
  if (!*fit) return out;  // nothing fitted yet: the churn rule chooses nobody
  std::map<std::string, const User*> by_id;
  std::vector<std::string> ids;
  for (const User* u : users) {
    by_id.emplace(u->user_id, u);
    ids.push_back(u->user_id);
  }
  auto predictions = store.PredictionsOf(ids);
  if (!predictions.ok()) return predictions.status();
  for (const ClientPredictionRecord& p : *predictions) {
    auto u = by_id.find(p.user_id);
    // A prediction of an older fit is on its way out (the refit removes it at its end).
    if (u == by_id.end() || p.fit_id != (*fit)->fit_id || !PredictionIsFresh(*u->second, (*fit)->until)) continue;
    out.emplace(p.user_id, ChurnView{p.churn_probability, p.churn_probability * p.predicted_value.value_or(0)});
  }
  return out;
}

std::optional<ChurnView> ViewOf(const std::map<std::string, ChurnView>& views, const std::string& user_id) {
  auto it = views.find(user_id);
  if (it == views.end()) return std::nullopt;
  return it->second;
}

}  // namespace rkd
