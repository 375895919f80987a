#include "db/sqlite/sqlite_conn.h"

namespace rkd {

Status SqliteStatus(int rc, sqlite3* db, const char* what) {
  if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW) return Status::Ok();
  std::string msg = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  const int primary = rc & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) return Status::Unavailable(msg);
  return Status::Internal(msg);
}

Result<std::unique_ptr<SqliteConn>> SqliteConn::Open(const std::string& path) {
  sqlite3* db = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Status st = SqliteStatus(rc, db, ("open " + path).c_str());
    sqlite3_close(db);
    return st;
  }
  std::unique_ptr<SqliteConn> conn(new SqliteConn(db));
  // WAL lets readers run beside the one writer; NORMAL sync is durable across process
  // crashes (a power loss may drop the last commits); the busy timeout makes writers
  // from other processes wait for BEGIN IMMEDIATE instead of failing at once. No
  // foreign_keys: the schema declares none, and with it on every write inside the group
  // commit's savepoints paid for a statement journal (a client's update took 5× as long;
  // bench/README.md, issue 10).
  sqlite3_busy_timeout(db, 5000);
  RKD_RETURN_IF_ERROR(
      conn->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY;"
                 "PRAGMA cache_size=-16000;"));
  return conn;
}

SqliteConn::~SqliteConn() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

Status SqliteConn::Exec(const std::string& sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    return (rc & 0xff) == SQLITE_BUSY ? Status::Unavailable(msg) : Status::Internal(msg);
  }
  return Status::Ok();
}

Status SqliteConn::ExecCached(const std::string& sql) {
  auto stmt = Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  return Stmt(db_, *stmt).Run();
}

Result<sqlite3_stmt*> SqliteConn::Prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) return it->second;
  sqlite3_stmt* stmt = nullptr;
  int rc =
      sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return SqliteStatus(rc, db_, "prepare");
  cache_.emplace(sql, stmt);
  return stmt;
}

Result<bool> Stmt::Step() {
  int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  if ((rc & 0xff) == SQLITE_CONSTRAINT) {
    // "UNIQUE constraint failed: users.email": the field names the column (or index).
    const std::string msg = sqlite3_errmsg(db_);
    const size_t colon = msg.rfind(": ");
    return Status::AlreadyExists(msg, colon == std::string::npos ? std::string() : msg.substr(colon + 2));
  }
  return SqliteStatus(rc, db_, "step");
}

Status Stmt::Run() {
  auto row = Step();
  return row.ok() ? Status::Ok() : row.status();
}

}  // namespace rkd
