// The Store on PostgreSQL 15: several `rekindle` processes share one database. The store
// core (SqlStore) holds every use case; what is PostgreSQL's own is here: writes run in
// READ COMMITTED transactions that lock the user row (get-user-for-update), so concurrent
// writes to one user serialize and add up; a transaction failing with a deadlock or a
// serialization failure runs again; the change record is the last statement of each
// write, under the outbox lock (see OrderChangeStream in pg_store.cc), so the stream's
// seqs become visible in order; a read snapshot is a REPEATABLE READ transaction.
// Thread-safe.
#pragma once

#include <memory>
#include <string>

#include "base/time.h"
#include "db/postgres/pg_database.h"
#include "domain/score.h"
#include "store/sql/sql_store.h"

namespace rkd {

class PgStore final : public SqlStore {
 public:
  // Connects to `url` (postgres://user@host:port/db?…), applies pending migrations and
  // prepares every named query, so a broken query fails here. `clock` must outlive the store.
  static Result<std::unique_ptr<PgStore>> Open(const std::string& url, const ScoreRules& rules, const Clock* clock,
                                               StoreOptions options = {}, PgOptions pg = {});

  int schema_version() const { return schema_version_; }

 private:
  PgStore(std::unique_ptr<SqlBackend> db, int schema_version, const ScoreRules& rules, const Clock* clock,
          StoreOptions options)
      : SqlStore(std::move(db), rules, clock, options), schema_version_(schema_version) {}
  int schema_version_;
};

}  // namespace rkd
