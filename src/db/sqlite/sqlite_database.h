// One SQLite database file as Rekindle uses it (the store and the embedded bus each own
// one): versioned migrations and named queries from embedded .sql files, a pool of
// reader connections, one writer connection with group commit, and a background WAL
// checkpointer. Thread-safe.
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/time.h"
#include "db/sqlite/sqlite_conn.h"

namespace rkd {

class SqliteDatabase {
 public:
  // Opens `path` (creating it and its folder), applies the migrations embedded under
  // `sql_dir`/migrations/NNNN_name.sql and prepares every query of `sql_dir`/queries.sql,
  // so a broken query fails here. `clock` must outlive the database.
  // `expand`, when given, may add derived queries (templates) before they are prepared.
  using Expand = std::function<Status(std::map<std::string, std::string>&)>;
  static Result<std::unique_ptr<SqliteDatabase>> Open(const std::string& path, const std::string& sql_dir,
                                                      const Clock* clock, const Expand& expand = nullptr);
  ~SqliteDatabase();

  // The SQL of a named query (the database owns it; valid for its lifetime).
  const std::string& Sql(const std::string& name) const;
  // Prepares a named query on `conn` (cached per connection).
  Result<sqlite3_stmt*> Prep(SqliteConn& conn, const std::string& name) const;

  // A reader connection for the duration of one call.
  class ReadLease {
   public:
    ReadLease(SqliteDatabase* db, std::unique_ptr<SqliteConn> conn) : db_(db), conn_(std::move(conn)) {}
    ~ReadLease() { db_->ReturnReader(std::move(conn_)); }
    SqliteConn& operator*() { return *conn_; }

   private:
    SqliteDatabase* db_;
    std::unique_ptr<SqliteConn> conn_;
  };
  Result<std::unique_ptr<SqliteConn>> TakeReader();

  // Runs `body` in a write transaction (BEGIN IMMEDIATE, which also orders writers in
  // other processes); what `body` wrote is rolled back when it fails. Group commit:
  // concurrent callers' bodies share one transaction, each inside its own savepoint, so
  // the commit is paid once per batch. Returns after the commit.
  using TxnBody = std::function<Status(SqliteConn&)>;
  Status Write(const TxnBody& body);

  int schema_version() const { return schema_version_; }

 private:
  SqliteDatabase(std::string path, const Clock* clock) : path_(std::move(path)), clock_(clock) {}
  Status Migrate(const std::string& sql_dir);
  Status PrepareAll(const std::string& sql_dir, const Expand& expand);
  void ReturnReader(std::unique_ptr<SqliteConn> conn);
  struct PendingWrite;
  void RunBatch(const std::vector<PendingWrite*>& batch);
  // Checkpoints the WAL in the background so that no writer pays for it (SQLite's
  // automatic checkpoint runs inside a commit and syncs the database file).
  void CheckpointLoop();

  std::string path_;
  const Clock* clock_;
  int schema_version_ = 0;
  std::map<std::string, std::string> sql_;

  std::unique_ptr<SqliteConn> writer_;  // used only by the current batch leader
  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::vector<PendingWrite*> queue_;
  bool leader_active_ = false;

  std::mutex readers_mu_;
  std::vector<std::unique_ptr<SqliteConn>> idle_readers_;

  std::thread checkpointer_;
  std::mutex checkpoint_mu_;
  std::condition_variable checkpoint_cv_;
  bool closing_ = false;
};

}  // namespace rkd

// Declares `var`, a Stmt for the named query `name` of database `db` on connection
// `conn`, or returns the preparation's error from the enclosing function.
#define RKD_STMT(var, database, conn, name)          \
  auto var##_prep = (database).Prep((conn), (name)); \
  if (!var##_prep.ok()) return var##_prep.status();  \
  ::rkd::Stmt var((conn).db(), *var##_prep)

// Declares `var`, a reader connection of database `db` for the enclosing scope.
#define RKD_READER(var, database)                                                            \
  auto var##_taken = (database).TakeReader();                                                \
  if (!var##_taken.ok()) return var##_taken.status();                                        \
  ::rkd::SqliteDatabase::ReadLease var##_lease(&(database), std::move(var##_taken).value()); \
  ::rkd::SqliteConn& var = *var##_lease
