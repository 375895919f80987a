// A thin RAII layer over one sqlite3 connection and its prepared statements.
// A SqliteConn is not thread-safe: the store hands each to one thread at a time.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "base/status.h"

namespace rkd {

// Maps an SQLite result code to a Status (BUSY/LOCKED are Unavailable: retryable).
Status SqliteStatus(int rc, sqlite3* db, const char* what);

class SqliteConn {
 public:
  // Opens (creating if needed) the database at `path` in WAL mode with a busy timeout.
  static Result<std::unique_ptr<SqliteConn>> Open(const std::string& path);
  ~SqliteConn();
  SqliteConn(const SqliteConn&) = delete;
  SqliteConn& operator=(const SqliteConn&) = delete;

  sqlite3* db() const { return db_; }
  Status Exec(const std::string& sql);
  // Runs one statement without results through the statement cache (for the hot
  // transaction-control statements: parsing them each time costs more than running them).
  Status ExecCached(const std::string& sql);
  // Prepares `sql` once and caches it under `sql` itself; the statement lives as long
  // as the connection.
  Result<sqlite3_stmt*> Prepare(const std::string& sql);

 private:
  explicit SqliteConn(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::map<std::string, sqlite3_stmt*> cache_;
};

// One use of a cached statement: binds, steps, reads columns; resets on destruction.
class Stmt {
 public:
  Stmt(sqlite3* db, sqlite3_stmt* s) : db_(db), s_(s) {}
  ~Stmt() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& Bind(int i, const std::string& v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& Bind(int i, int64_t v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  Stmt& Bind(int i, double v) {
    sqlite3_bind_double(s_, i, v);
    return *this;
  }
  Stmt& Bind(int i, const std::optional<int64_t>& v) {
    v ? sqlite3_bind_int64(s_, i, *v) : sqlite3_bind_null(s_, i);
    return *this;
  }
  Stmt& Bind(int i, const std::optional<double>& v) {
    v ? sqlite3_bind_double(s_, i, *v) : sqlite3_bind_null(s_, i);
    return *this;
  }
  Stmt& Bind(int i, const std::optional<std::string>& v) {
    if (v) return Bind(i, *v);
    sqlite3_bind_null(s_, i);
    return *this;
  }

  // True when a row is ready, false when done.
  Result<bool> Step();
  // Runs a statement that returns no rows.
  Status Run();

  int64_t Int(int col) const { return sqlite3_column_int64(s_, col); }
  double Real(int col) const { return sqlite3_column_double(s_, col); }
  bool IsNull(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
  std::optional<int64_t> OptInt(int col) const { return IsNull(col) ? std::nullopt : std::optional<int64_t>(Int(col)); }
  std::string Text(int col) const {
    auto p = reinterpret_cast<const char*>(sqlite3_column_text(s_, col));
    return p ? std::string(p, sqlite3_column_bytes(s_, col)) : std::string();
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* s_;
};

}  // namespace rkd
