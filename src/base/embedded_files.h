// Files compiled into the binary (SQL, default templates), keyed by their path relative
// to the repository root, e.g. "sql/sqlite/queries.sql". Generated at build time.
#pragma once

#include <map>
#include <string_view>

namespace rkd {

const std::map<std::string_view, std::string_view>& EmbeddedFiles();

}  // namespace rkd
