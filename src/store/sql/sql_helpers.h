// Small pieces every part of the store core uses (sql_store.cc, import_store.cc,
// client_state_store.cc): running a query into rows, a batch of ids as one JSON-array
// parameter, an ASCII lower case for addresses.
#pragma once

#include <cctype>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "store/sql/sql_backend.h"

namespace rkd::sql {

// Runs a query whose rows are read by `read` into `out`.
template <typename T, typename Read>
Status RunInto(SqlTx& tx, const std::string& query, const SqlParams& params, Read read, std::vector<T>* out) {
  auto r = tx.Run(query, params, [&](const SqlRow& row) { out->push_back(read(row)); });
  return r.ok() ? Status::Ok() : r.status();
}

// Runs a query of one row (an aggregate): `read` sees it; NotFound-free.
template <typename Read>
Status RunOne(SqlTx& tx, const std::string& query, const SqlParams& params, Read read) {
  auto r = tx.Run(query, params, read);
  return r.ok() ? Status::Ok() : r.status();
}

// A batch's ids (or addresses) as one parameter: a JSON array the query unpacks.
inline std::string IdArray(const std::vector<std::string>& ids) {
  return nlohmann::json(ids).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

inline std::string AsciiLower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace rkd::sql
