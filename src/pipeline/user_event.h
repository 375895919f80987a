// The event on topic "user-events": a change of a user (from the change stream) or a
// sweep's finding that a user is at risk. JSON on the wire:
// {"eventId", "eventName": "INSERT"|"MODIFY"|"SWEEP", "seq", "userId", "oldImage",
//  "newImage", "changedAt"}. The processor reads the user's current state, so the images
// are informative only.
#pragma once

#include <optional>
#include <string>

#include "base/status.h"
#include "domain/user_change.h"

namespace rkd {

struct UserEvent {
  std::string event_id;    // unique per trigger: "chg-<seq>" or "sweep-<day>-<userId>"
  std::string event_name;  // INSERT, MODIFY, SWEEP
  int64_t seq = 0;         // the change's seq (0 for a sweep)
  std::string user_id;
  std::optional<User> old_image;
  std::optional<User> new_image;
  Millis changed_at = 0;
};

UserEvent EventFromChange(const UserChange& change);
std::string EncodeEvent(const UserEvent& event);
Result<UserEvent> DecodeEvent(const std::string& body);

}  // namespace rkd
