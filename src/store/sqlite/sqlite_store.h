// The Store on SQLite: the embedded default. One file in WAL mode (see SqliteDatabase
// for connections, group commit and checkpoints) under the store core (SqlStore), which
// holds every use case. What is SQLite's own: one writer at a time (so no row locks and
// no ordering work for the change stream), and a read snapshot is a read transaction on
// a reader connection. Thread-safe.
#pragma once

#include <memory>
#include <string>

#include "base/time.h"
#include "domain/score.h"
#include "store/sql/sql_store.h"

namespace rkd {

class SqliteStore final : public SqlStore {
 public:
  // Opens `path` (creating it and its folder), applies pending migrations and prepares
  // every named query, so a broken query fails here rather than on a request.
  // `clock` must outlive the store.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path, const ScoreRules& rules, const Clock* clock,
                                                   StoreOptions options = {});

  // The schema version after migrations (the highest applied).
  int schema_version() const { return schema_version_; }

 private:
  SqliteStore(std::unique_ptr<SqlBackend> db, int schema_version, const ScoreRules& rules, const Clock* clock,
              StoreOptions options)
      : SqlStore(std::move(db), rules, clock, options), schema_version_(schema_version) {}
  int schema_version_;
};

}  // namespace rkd
