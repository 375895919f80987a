#include "db/named_queries.h"

#include <sstream>

namespace rkd {

Result<std::map<std::string, std::string>> ParseNamedQueries(std::string_view text) {
  std::map<std::string, std::string> out;
  std::string name, sql;
  auto flush = [&]() -> Status {
    if (name.empty()) return Status::Ok();
    if (sql.find_first_not_of(" \n\t") == std::string::npos)
      return Status::Internal("named query '" + name + "' has no statement");
    if (!out.emplace(name, sql).second) return Status::Internal("named query '" + name + "' defined twice");
    return Status::Ok();
  };
  std::istringstream in{std::string(text)};
  std::string line;
  constexpr std::string_view kMarker = "-- name:";
  while (std::getline(in, line)) {
    if (line.rfind(kMarker, 0) == 0) {
      RKD_RETURN_IF_ERROR(flush());
      name = line.substr(kMarker.size());
      name.erase(0, name.find_first_not_of(' '));
      name.erase(name.find_last_not_of(" \r") + 1);
      sql.clear();
    } else if (line.rfind("--", 0) != 0 && !name.empty()) {
      sql += line;
      sql += '\n';
    }
  }
  RKD_RETURN_IF_ERROR(flush());
  return out;
}

}  // namespace rkd
