#include "domain/journey.h"

#include <nlohmann/json.hpp>

#include "base/ids.h"

namespace rkd {

using nlohmann::json;

const std::vector<std::string>& JourneyDefinition::Exits() {
  static const std::vector<std::string> kExits = {"order", "unsubscribe", "bounce", "complaint"};
  return kExits;
}

JourneyDefinition DefaultJourney() { return {{{0, "winback-1"}, {10, "winback-2"}, {14, "winback-3"}}, 90}; }

std::string EncodeJourneyDefinition(const JourneyDefinition& d) {
  json steps = json::array();
  for (const JourneyStep& s : d.steps) steps.push_back({{"delayDays", s.delay_days}, {"message", s.message}});
  return json{{"steps", steps}, {"restDays", d.rest_days}, {"exits", JourneyDefinition::Exits()}}.dump();
}

Result<JourneyDefinition> DecodeJourneyDefinition(const std::string& text) {
  try {
    const json j = json::parse(text);
    JourneyDefinition d;
    for (const json& s : j.at("steps")) d.steps.push_back({s.at("delayDays").get<int>(), s.at("message")});
    d.rest_days = j.at("restDays").get<int>();
    return d;
  } catch (const json::exception& e) {
    return Status::Internal(std::string("stored journey does not parse: ") + e.what());
  }
}

std::string EpisodeIdFor(const std::string& user_id, int64_t number) {
  return StableId("ep-", user_id + "|" + std::to_string(number));
}

std::string StepEmailId(const std::string& episode_id, int step) {
  return StableId("em-", episode_id + "|step-" + std::to_string(step));
}

}  // namespace rkd
