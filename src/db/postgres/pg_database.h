// A PostgreSQL database as Rekindle uses it: versioned migrations and named queries from
// embedded .sql files (every query is prepared on every connection, the first one at
// Open, so a broken query fails at boot), and a small pool of connections. Thread-safe.
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/time.h"
#include "db/postgres/pg_conn.h"

namespace rkd {

struct PgOptions {
  int pool_size = 8;                  // connections at most; callers wait for a free one
  int statement_timeout_ms = 10'000;  // per statement (also the lock wait bound)
  int max_attempts = 5;               // a transaction failing with a deadlock or serialization failure
};

class PgDatabase {
 public:
  // Connects to `url`, applies the migrations embedded under `sql_dir`/migrations/
  // (NNNN_name.sql, each in its own transaction, serialized across processes by an
  // advisory lock) and prepares the queries of `sql_dir`/queries.sql after `expand` has
  // had the chance to add derived ones (templates).
  using Expand = std::function<Status(std::map<std::string, std::string>&)>;
  static Result<std::unique_ptr<PgDatabase>> Open(const std::string& url, const std::string& sql_dir, PgOptions options,
                                                  const Expand& expand);

  // Runs `body` on a pooled connection outside any explicit transaction (each statement
  // commits alone): for reads.
  using Body = std::function<Status(PgConn&)>;
  Status Read(const Body& body);
  // Runs `body` in a READ COMMITTED transaction; rolls back when it fails and runs it
  // again from the start (up to max_attempts) on a deadlock or serialization failure, so
  // `body` must reset whatever it fills in.
  Status Write(const Body& body);

  int schema_version() const { return schema_version_; }

 private:
  PgDatabase(std::string url, PgOptions options) : url_(std::move(url)), options_(options) {}
  Status Migrate(PgConn& conn, const std::string& sql_dir);
  Result<std::unique_ptr<PgConn>> Take();
  void Return(std::unique_ptr<PgConn> conn);

  std::string url_;
  PgOptions options_;
  int schema_version_ = 0;
  std::map<std::string, std::string> sql_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<PgConn>> idle_;
  int open_ = 0;  // connections handed out or idle
};

}  // namespace rkd
