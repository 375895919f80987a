// Named SQL blocks ("-- name: get-user" followed by the statement), as listmonk and
// userver keep them: SQL stays in .sql files, code refers to it by name.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "base/status.h"

namespace rkd {

// Splits `text` into name → SQL (comment lines dropped, trailing ';' kept). Fails on a
// duplicate name or a block without a statement.
Result<std::map<std::string, std::string>> ParseNamedQueries(std::string_view text);

}  // namespace rkd
