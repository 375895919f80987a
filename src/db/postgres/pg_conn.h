// One libpq connection as the PostgreSQL store uses it: named queries prepared on it at
// connect time, text-format parameters and results, and libpq errors mapped onto Status
// (unique violation → AlreadyExists, serialization failure, deadlock, statement timeout
// and a lost connection → Unavailable, anything else → Internal). Not thread-safe: one
// thread at a time (the pool in PgDatabase hands it out).
#pragma once

#include <libpq-fe.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace rkd {

// Positional parameters ($1, $2 …) in text format; nullopt is SQL NULL.
class PgParams {
 public:
  PgParams& Add(const std::string& v) {
    values_.emplace_back(v);
    return *this;
  }
  PgParams& Add(const char* v) {
    values_.emplace_back(std::string(v));
    return *this;
  }
  PgParams& Add(int64_t v) {
    values_.emplace_back(std::to_string(v));
    return *this;
  }
  PgParams& Add(int v) { return Add(int64_t{v}); }
  PgParams& Add(double v);
  PgParams& Add(std::nullopt_t) {
    values_.emplace_back(std::nullopt);
    return *this;
  }
  template <typename T>
  PgParams& Add(const std::optional<T>& v) {
    return v ? Add(*v) : Add(std::nullopt);
  }
  const std::vector<std::optional<std::string>>& values() const { return values_; }

 private:
  std::vector<std::optional<std::string>> values_;
};

// A query's result rows (owned; text format).
class PgRows {
 public:
  explicit PgRows(PGresult* r) : r_(r, &PQclear) {}
  int size() const { return PQntuples(r_.get()); }
  bool IsNull(int row, int col) const { return PQgetisnull(r_.get(), row, col); }
  std::string Text(int row, int col) const { return PQgetvalue(r_.get(), row, col); }
  int64_t Int(int row, int col) const;
  double Real(int row, int col) const;
  std::optional<int64_t> OptInt(int row, int col) const {
    return IsNull(row, col) ? std::nullopt : std::optional<int64_t>(Int(row, col));
  }
  // Rows an INSERT/UPDATE/DELETE touched.
  int64_t Affected() const;

 private:
  std::shared_ptr<PGresult> r_;
};

class PgConn {
 public:
  // Connects to `url` (a libpq URI or key=value string; connect_timeout 10 s unless the
  // URL says otherwise) and sets the statement timeout.
  static Result<std::unique_ptr<PgConn>> Open(const std::string& url, int statement_timeout_ms);
  ~PgConn();

  Status PrepareAll(const std::map<std::string, std::string>& queries);
  // Runs a prepared named query.
  Result<PgRows> Run(const std::string& name, const PgParams& params = {});
  // Runs SQL text (several statements allowed when there are no parameters).
  Result<PgRows> Exec(const std::string& sql);
  // Whether the connection is still usable (not broken by a server restart).
  bool healthy() const { return PQstatus(conn_) == CONNECTION_OK; }
  // Whether an idle connection (no query running) still looks usable, without a round
  // trip: healthy, and nothing waiting on its socket. A server that ended the session (a
  // restart, pg_terminate_backend) sent its goodbye and closed it, so the socket is
  // readable; a server gone silent is not seen here (Ping sees it).
  bool LooksAlive() const;
  // Whether the server answers a trivial query within `timeout`. Unlike the statement
  // timeout (which the server enforces), this also bounds a server or network that went
  // silent. After a failure the connection may be mid-query: drop it.
  Status Ping(std::chrono::milliseconds timeout);

 private:
  explicit PgConn(PGconn* c) : conn_(c) {}
  Result<PgRows> Check(PGresult* r, const std::string& what);
  PGconn* conn_;
};

// The SQLSTATE of a failed query is kept in the Status message as "[SQLSTATE xxxxx]";
// this says whether a transaction failing with `st` should be retried from the start.
bool IsRetryablePgFailure(const Status& st);

}  // namespace rkd
