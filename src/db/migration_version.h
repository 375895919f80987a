// The schema version a binary knows, and its refusal to open a database that a newer
// binary migrated: that database may hold tables, columns and meanings this one does
// not know, and writing to it could corrupt what the newer version keeps. Both dialects'
// migration runners (db/sqlite/sqlite_database.cc, db/postgres/pg_database.cc) use it.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <string>

#include "base/embedded_files.h"
#include "base/status.h"

namespace rkd {

// The highest version among the embedded migrations under `prefix`
// ("sql/sqlite/migrations/": files NNNN_name.sql); 0 when there are none.
inline int HighestMigration(const std::string& prefix) {
  int highest = 0;
  for (const auto& entry : EmbeddedFiles())
    if (entry.first.rfind(prefix, 0) == 0)
      highest = std::max(highest, std::atoi(std::string(entry.first.substr(prefix.size())).c_str()));
  return highest;
}

// FailedPrecondition naming `database`, its schema `version` and the highest `known`.
inline Status NewerSchema(const std::string& database, int version, int known) {
  return Status::FailedPrecondition(
      "the database " + database + " was migrated by a newer Rekindle: its schema is at version " +
      std::to_string(version) + ", this binary knows versions up to " + std::to_string(known) +
      ". Run the newer binary, or restore the backup taken before the upgrade (a schema is never migrated back)");
}

}  // namespace rkd
