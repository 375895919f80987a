#include "store/sqlite/sqlite_store.h"

#include <type_traits>

#include "db/sqlite/sqlite_database.h"
#include "store/sql/sql_helpers.h"

namespace rkd {
namespace {

// The current row of a stepped statement.
class StmtRow final : public SqlRow {
 public:
  explicit StmtRow(const Stmt& s) : s_(s) {}
  bool IsNull(int col) const override { return s_.IsNull(col); }
  int64_t Int(int col) const override { return s_.Int(col); }
  double Real(int col) const override { return s_.Real(col); }
  std::string Text(int col) const override { return s_.Text(col); }

 private:
  const Stmt& s_;
};

class SqliteTx final : public SqlTx {
 public:
  SqliteTx(const SqliteDatabase& db, SqliteConn& conn) : db_(db), conn_(conn) {}

  Result<int64_t> Run(const std::string& query, const SqlParams& params, const OnRow& on_row) override {
    RKD_STMT(s, db_, conn_, query);
    for (size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i + 1);
      std::visit(
          [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>)
              s.Bind(index, std::optional<int64_t>());
            else
              s.Bind(index, v);
          },
          params[i].get());
    }
    const StmtRow row(s);
    for (;;) {
      auto stepped = s.Step();
      if (!stepped.ok()) return stepped.status();
      if (!*stepped) break;
      if (on_row) on_row(row);
    }
    return sqlite3_stmt_readonly(*s_prep) ? int64_t{0} : int64_t{sqlite3_changes(conn_.db())};
  }

  // One writer at a time: seqs are drawn and committed in order already.
  Status OrderChangeStream() override { return Status::Ok(); }

  // The counting trigger is dropped and made again from its own text, inside the write's
  // transaction: no other connection ever sees the schema without it, and a write that
  // fails between the two rolls back to it.
  Status PauseUserCounting() override {
    if (!paused_trigger_.empty()) return Status::Ok();
    auto r = Run("user-count-trigger", {}, [&](const SqlRow& row) { paused_trigger_ = row.Text(0); });
    if (!r.ok()) return r.status();
    if (paused_trigger_.empty()) return Status::Internal("the users_counted_on_insert trigger is missing");
    r = Run("drop-user-count-trigger", {}, {});
    return r.ok() ? Status::Ok() : r.status();
  }
  Status CountInsertedUsers(const std::vector<std::string>& user_ids) override {
    if (paused_trigger_.empty()) return Status::Internal("CountInsertedUsers without PauseUserCounting");
    if (!user_ids.empty())
      if (auto r = Run("count-inserted-users", {sql::IdArray(user_ids)}, {}); !r.ok()) return r.status();
    RKD_RETURN_IF_ERROR(conn_.Exec(paused_trigger_));
    paused_trigger_.clear();
    return Status::Ok();
  }

 private:
  const SqliteDatabase& db_;
  SqliteConn& conn_;
  std::string paused_trigger_;  // users_counted_on_insert's CREATE TRIGGER, while paused
};

class SqliteBackend final : public SqlBackend {
 public:
  explicit SqliteBackend(std::unique_ptr<SqliteDatabase> db) : db_(std::move(db)) {}

  Status Read(const Body& body) override {
    RKD_READER(c, *db_);
    SqliteTx tx(*db_, c);
    return body(tx);
  }

  Status ReadSnapshot(const Body& body) override {
    RKD_READER(c, *db_);
    RKD_RETURN_IF_ERROR(c.ExecCached("BEGIN"));
    SqliteTx tx(*db_, c);
    Status st = body(tx);
    Status end = c.ExecCached("COMMIT");  // a read transaction: COMMIT only ends it
    return st.ok() ? end : st;
  }

  // The database's group commit: concurrent writes share one transaction, each in its
  // own savepoint.
  Status Write(const Body& body) override {
    return db_->Write([&](SqliteConn& c) {
      SqliteTx tx(*db_, c);
      return body(tx);
    });
  }
  Status WriteOne(const Body& body) override { return Write(body); }

 private:
  std::unique_ptr<SqliteDatabase> db_;
};

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path, const ScoreRules& rules,
                                                       const Clock* clock, StoreOptions options) {
  auto db = SqliteDatabase::Open(path, "sql/sqlite", clock, [](std::map<std::string, std::string>& queries) {
    return ExpandListUsers(queries, nullptr);
  });
  if (!db.ok()) return db.status();
  const int version = (*db)->schema_version();
  return std::unique_ptr<SqliteStore>(
      new SqliteStore(std::make_unique<SqliteBackend>(std::move(db).value()), version, rules, clock, options));
}

}  // namespace rkd
