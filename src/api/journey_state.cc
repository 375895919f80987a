#include "api/journey_state.h"

#include "domain/journey.h"

namespace rkd {
namespace {

nlohmann::json OptionalTime(const std::optional<Millis>& t) {
  return t ? nlohmann::json(FormatRfc3339(*t)) : nlohmann::json(nullptr);
}

}  // namespace

Result<std::map<std::string, nlohmann::json>> JourneyStates(Store& store, const std::vector<User>& users, Millis now) {
  std::map<std::string, nlohmann::json> out;
  std::vector<std::string> ids;
  std::map<std::string, const User*> by_id;
  for (const User& u : users) {
    ids.push_back(u.user_id);
    by_id[u.user_id] = &u;
    out[u.user_id] = nullptr;
  }
  auto episodes = store.LatestEpisodes(ids);
  if (!episodes.ok()) return episodes.status();
  std::map<int64_t, int> rest_days;  // by journey version
  for (const Episode& e : *episodes) {
    const User& u = *by_id[e.user_id];
    std::string status;
    std::optional<Millis> rest_until;
    if (e.open()) {
      status = "active";
    } else if (e.end_reason != kEndConverted && e.end_reason != kEndDeleted &&
               !(u.last_order_date && *u.last_order_date >= e.started_at)) {
      auto days = rest_days.find(e.journey_version);
      if (days == rest_days.end()) {
        auto j = store.GetJourney(e.journey_version);
        if (!j.ok()) return j.status();
        days = rest_days.emplace(e.journey_version, j->definition.rest_days).first;
      }
      rest_until = *e.ended_at + Millis{days->second} * kMillisPerDay;
      if (now < *rest_until) status = "resting";
    }
    if (status.empty()) continue;
    out[e.user_id] = {{"episodeId", e.episode_id},
                      {"status", status},
                      {"step", e.step},
                      {"steps", e.steps},
                      {"nextDueAt", OptionalTime(e.next_due_at)},
                      {"startedAt", FormatRfc3339(e.started_at)},
                      {"endedAt", OptionalTime(e.ended_at)},
                      {"endReason", e.end_reason.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.end_reason)},
                      {"restUntil", OptionalTime(rest_until)},
                      {"targetingRule", e.targeting_rule}};
  }
  return out;
}

}  // namespace rkd
