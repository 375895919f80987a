// The Store on SQLite: the embedded default (DESIGN.md). One file, WAL mode; readers
// use a pool of connections, writers take one connection under a mutex and
// BEGIN IMMEDIATE (which also orders writers from other processes, with a busy timeout).
// Thread-safe.
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
#include "domain/score.h"
#include "store/sqlite/sqlite_conn.h"
#include "store/store.h"

namespace rkd {

class SqliteStore final : public Store {
 public:
  // Opens `path` (creating it and its folder), applies pending migrations and prepares
  // every named query, so a broken query fails here rather than on a request.
  // `clock` must outlive the store.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path, const ScoreRules& rules,
                                                   const Clock* clock);

  ~SqliteStore() override;

  Result<User> CreateUser(User user) override;
  Result<User> GetUser(const std::string& user_id) override;
  Result<User> UpdateUser(const std::string& user_id, const UserPatch& patch) override;
  Status DeleteUser(const std::string& user_id) override;
  Result<Page<User>> ListUsers(const UserQuery& query) override;
  Result<int64_t> CountUsers() override;
  Result<OrderResult> CreateOrder(Order order) override;
  Result<Page<Order>> ListOrders(const std::string& user_id, int limit, const std::string& cursor) override;
  Result<Email> GetEmail(const std::string& email_id) override;
  Result<Page<Email>> ListEmails(const EmailQuery& query) override;
  Status Import(std::vector<User> users, std::vector<Order> orders) override;
  Result<std::vector<UserChange>> ReadChanges(int64_t after_seq, int limit) override;
  Result<int64_t> GetCheckpoint(const std::string& name) override;
  Status SetCheckpoint(const std::string& name, int64_t seq) override;

  // The schema version after migrations (the highest applied).
  int schema_version() const { return schema_version_; }

 private:
  SqliteStore(std::string path, const ScoreRules& rules, const Clock* clock)
      : path_(std::move(path)), rules_(rules), clock_(clock) {}

  // A reader connection borrowed from the pool for one call.
  class ReadLease;
  Result<std::unique_ptr<SqliteConn>> TakeReader();
  void ReturnReader(std::unique_ptr<SqliteConn> conn);

  // Runs `body` in a write transaction on the writer connection; what `body` wrote is
  // rolled back when it fails. Group commit: concurrent callers' bodies share one
  // BEGIN IMMEDIATE … COMMIT, each inside its own savepoint, so a commit's cost is paid
  // once per batch rather than once per write. Returns after the commit.
  using TxnBody = std::function<Status(SqliteConn&)>;
  Status WriteTxn(const TxnBody& body);
  struct PendingWrite;
  void RunBatch(const std::vector<PendingWrite*>& batch);

  Status Migrate();
  Status PrepareAll();
  Result<sqlite3_stmt*> Prep(SqliteConn& conn, const std::string& name);
  const std::string& ListUsersSql(UserSort sort, bool descending) const;

  Result<User> LoadUser(SqliteConn& conn, const std::string& user_id);
  Status WriteUser(SqliteConn& conn, const User& user, const char* query);
  Status AppendChange(SqliteConn& conn, ChangeOp op, const User* old_image, const User* new_image);

  std::string path_;
  ScoreRules rules_;
  const Clock* clock_;
  int schema_version_ = 0;
  std::map<std::string, std::string> sql_;  // named queries
  std::map<std::pair<int, bool>, std::string> list_users_sql_;

  std::unique_ptr<SqliteConn> writer_;  // used only by the current batch leader
  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::vector<PendingWrite*> queue_;  // writes waiting for the next batch
  bool leader_active_ = false;

  // Checkpoints the WAL in the background so that no writer pays for it (SQLite's
  // automatic checkpoint runs inside a commit and syncs the database file).
  void CheckpointLoop();
  std::thread checkpointer_;
  std::mutex checkpoint_mu_;
  std::condition_variable checkpoint_cv_;
  bool closing_ = false;
  std::mutex readers_mu_;
  std::vector<std::unique_ptr<SqliteConn>> idle_readers_;
};

}  // namespace rkd
