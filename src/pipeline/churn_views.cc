#include "pipeline/churn_views.h"

namespace rkd {
namespace {

// A prediction of an older fit is on its way out (the refit removes it at its end); one
// made before the client's latest order has not seen it.
std::optional<ChurnView> ViewFrom(const ModelFitRecord& fit, const User& user, const ClientPredictionRecord& p) {
  if (p.fit_id != fit.fit_id || !PredictionIsFresh(user, fit.until)) return std::nullopt;
  return ChurnView{p.churn_probability, p.churn_probability * p.predicted_value.value_or(0)};
}

}  // namespace

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
  for (const ClientPredictionRecord& p : *predictions)
    if (auto u = by_id.find(p.user_id); u != by_id.end())
      if (auto view = ViewFrom(**fit, *u->second, p)) out.emplace(p.user_id, *view);
  return out;
}

Result<std::vector<std::optional<ChurnView>>> ChurnViewsOfPage(Store& store, const ModelFitRecord* fit,
                                                               const std::string& after_user_id,
                                                               const std::vector<const User*>& users) {
  std::vector<std::optional<ChurnView>> out(users.size());
  if (!fit || users.empty()) return out;
  auto predictions = store.PredictionsBetween(after_user_id, users.back()->user_id);
  if (!predictions.ok()) return predictions.status();
  // Both in user id order (the primary keys' byte order): one walk.
  size_t k = 0;
  for (const ClientPredictionRecord& p : *predictions) {
    while (k < users.size() && users[k]->user_id < p.user_id) ++k;
    if (k == users.size()) break;
    if (users[k]->user_id == p.user_id) out[k] = ViewFrom(*fit, *users[k], p);
  }
  return out;
}

std::optional<ChurnView> ViewOf(const std::map<std::string, ChurnView>& views, const std::string& user_id) {
  auto it = views.find(user_id);
  if (it == views.end()) return std::nullopt;
  return it->second;
}

}  // namespace rkd
