// The clients' list filtered by a state (issue 16, GET /api/users?state=): one named query
// per state, sort and direction, expanded at start-up from the template
// "list-users-state" and the dialect's "user-state/<state>" fragments, so the planner sees
// each state's condition plainly (a rare state is read from its small table and sorted,
// not found by walking every client). The fragments are removed from `queries`.
#pragma once

#include <map>
#include <string>

#include "base/status.h"
#include "store/store.h"

namespace rkd {

inline constexpr const char* kUserStates[] = {"suppressed", "heldOut", "inEpisode", "neverOrdered", "lapsed"};

Status ExpandUserStateQueries(std::map<std::string, std::string>& queries, const char* (*type_of)(UserSort));
std::string UserStateQueryName(const std::string& state, UserSort sort, bool descending);

}  // namespace rkd
