#include "pipeline/user_event.h"

#include "domain/json_codec.h"

namespace rkd {

UserEvent EventFromChange(const UserChange& c) {
  return UserEvent{
      "chg-" + std::to_string(c.seq), ChangeOpName(c.op), c.seq, c.user_id, c.old_image, c.new_image, c.changed_at};
}

std::string EncodeEvent(const UserEvent& e) {
  nlohmann::json j{{"eventId", e.event_id},
                   {"eventName", e.event_name},
                   {"seq", e.seq},
                   {"userId", e.user_id},
                   {"oldImage", e.old_image ? ToJson(*e.old_image) : nlohmann::json(nullptr)},
                   {"newImage", e.new_image ? ToJson(*e.new_image) : nlohmann::json(nullptr)},
                   {"changedAt", FormatRfc3339(e.changed_at)}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<UserEvent> DecodeEvent(const std::string& body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (!j.is_object() || !j.contains("eventId") || !j["eventId"].is_string() || !j.contains("userId") ||
      !j["userId"].is_string())
    return Status::InvalidArgument("not a user event: " + body.substr(0, 200));
  UserEvent e;
  e.event_id = j["eventId"].get<std::string>();
  e.event_name = j.value("eventName", "");
  e.seq = j.value("seq", int64_t{0});
  e.user_id = j["userId"].get<std::string>();
  for (auto [key, target] : {std::pair{"oldImage", &e.old_image}, std::pair{"newImage", &e.new_image}}) {
    if (!j.contains(key) || !j[key].is_object()) continue;
    auto u = UserFromJson(j[key]);
    if (u.ok()) *target = std::move(u).value();
  }
  if (j.contains("changedAt") && j["changedAt"].is_string())
    e.changed_at = ParseRfc3339(j["changedAt"].get<std::string>()).value_or(0);
  return e;
}

}  // namespace rkd
