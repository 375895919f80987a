// What every Store implementation shares for its lists: the sorts' names and columns,
// the keyset cursors (opaque to clients; see cursor.h), LIKE patterns and limits.
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>

#include "base/status.h"
#include "domain/user.h"
#include "store/store.h"

namespace rkd {

const char* SortName(UserSort sort);                      // as the API and the cursor spell it
const char* SortColumn(UserSort sort);                    // the SQL expression the users' list orders by
nlohmann::json SortKey(const User& user, UserSort sort);  // that expression's value for `user`

// The user list's cursor: null for the first page; InvalidArgument (field "cursor") for
// a cursor that is not ours or belongs to another sort or direction.
Result<nlohmann::json> DecodeUserCursor(const UserQuery& query);
std::string EncodeUserCursor(const User& last, const UserQuery& query);

// The order and email lists' cursor: the last row's (time, id); nullopt on the first page.
Result<std::optional<std::pair<int64_t, std::string>>> DecodeKeyCursor(const std::string& cursor);
std::string EncodeKeyCursor(int64_t key, const std::string& id);

// A LIKE pattern matching `text` anywhere, its own wildcards escaped with '\'.
std::string ContainsPattern(const std::string& text);
std::string ReplaceAll(std::string s, const std::string& from, const std::string& to);
// The largest page any list returns, whatever RKD_MAX_PAGE_LIMIT a deployment sets.
constexpr int kPageLimitCeiling = 10000;
inline int ClampLimit(int limit) { return limit < 1 ? 1 : limit > kPageLimitCeiling ? kPageLimitCeiling : limit; }

}  // namespace rkd
