// A client's place in the win-back journey (issue 16): the `journey` of a user in the
// API. null, or {episodeId, status: "active"|"resting", step, steps, nextDueAt,
// startedAt, endedAt, endReason, restUntil}: "active" while their episode runs (step k
// of N sent, the next due when), "resting" after an episode that ended without an order,
// until restUntil (the rest of the version it ran on). null otherwise: never in a
// journey, converted, or rested.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "store/store.h"

namespace rkd {

// The journey JSON of each of `users` (by user id), from their latest episodes: one read
// for the page, and one per journey version they ran on.
Result<std::map<std::string, nlohmann::json>> JourneyStates(Store& store, const std::vector<User>& users, Millis now);

}  // namespace rkd
