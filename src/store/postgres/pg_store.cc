#include "store/postgres/pg_store.h"

#include <nlohmann/json.hpp>
#include <type_traits>

#include "store/sql/sql_helpers.h"

namespace rkd {
namespace {

class PgRow final : public SqlRow {
 public:
  PgRow(const PgRows& rows, int index) : rows_(rows), i_(index) {}
  bool IsNull(int col) const override { return rows_.IsNull(i_, col); }
  int64_t Int(int col) const override { return rows_.Int(i_, col); }
  double Real(int col) const override { return rows_.Real(i_, col); }
  std::string Text(int col) const override { return rows_.Text(i_, col); }

 private:
  const PgRows& rows_;
  int i_;
};

class PgTx final : public SqlTx {
 public:
  explicit PgTx(PgConn& conn) : conn_(conn) {}

  Result<int64_t> Run(const std::string& query, const SqlParams& params, const OnRow& on_row) override {
    PgParams p;
    for (const SqlValue& v : params)
      std::visit(
          [&](const auto& x) {
            if constexpr (std::is_same_v<std::decay_t<decltype(x)>, std::monostate>)
              p.Add(std::nullopt);
            else
              p.Add(x);
          },
          v.get());
    auto rows = conn_.Run(query, p);
    if (!rows.ok()) return rows.status();
    if (on_row)
      for (int i = 0; i < rows->size(); ++i) on_row(PgRow(*rows, i));
    return rows->Affected();
  }

  // One statement per batch: "<query>/batch" with the rows as a JSON array of arrays.
  Result<int64_t> RunBatch(const std::string& query, const std::vector<SqlParams>& rows) override {
    if (rows.empty()) return int64_t{0};
    nlohmann::json array = nlohmann::json::array();
    for (const SqlParams& params : rows) {
      nlohmann::json row = nlohmann::json::array();
      for (const SqlValue& v : params)
        std::visit(
            [&row](const auto& x) {
              if constexpr (std::is_same_v<std::decay_t<decltype(x)>, std::monostate>)
                row.push_back(nullptr);
              else
                row.push_back(x);
            },
            v.get());
      array.push_back(std::move(row));
    }
    return Run(query + "/batch", {array.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)}, {});
  }

  // The transactional outbox. The change record is written in the user write's own
  // transaction, so neither exists without the other. Ordering: an identity seq is drawn
  // when the row is inserted but becomes visible only at commit, so without care a relay
  // reading "seq > checkpoint" could see seq 11 (a fast transaction, committed) before
  // seq 10 (a slower one, still open), move its checkpoint past 10 and never publish it.
  // Every writer therefore takes one transaction-scoped advisory lock (outbox-lock) just
  // before drawing its seq and keeps it until COMMIT/ROLLBACK: seqs are drawn and
  // committed one transaction at a time, so when seq N is visible every seq below N is
  // committed (or rolled back, leaving a harmless gap). The price is that the tail of
  // each user write (change insert + commit) is serialized; the store core appends the
  // change last so the lock is held as briefly as possible. A higher-throughput
  // alternative (not needed yet) is to store pg_current_xact_id() with each change and
  // let the relay read only rows whose transaction is older than
  // pg_snapshot_xmin(pg_current_snapshot()), with a (xid, seq) cursor.
  Status OrderChangeStream() override { return Exec("outbox-lock"); }

  // The dashboard counters' per-row triggers pause for an import (migration 0006): one
  // transaction updating the same counter rows per client piles up row versions.
  Status PauseUserCounting() override { return Exec("start-bulk-load"); }
  Status CountInsertedUsers(const std::vector<std::string>& user_ids) override {
    if (!user_ids.empty())
      if (auto r = Run("count-inserted-users", {sql::IdArray(user_ids)}, {}); !r.ok()) return r.status();
    return Exec("end-bulk-load");
  }

 private:
  Status Exec(const char* query) {
    auto r = conn_.Run(query, PgParams());
    return r.ok() ? Status::Ok() : r.status();
  }
  PgConn& conn_;
};

class PgBackend final : public SqlBackend {
 public:
  explicit PgBackend(std::unique_ptr<PgDatabase> db) : db_(std::move(db)) {}

  Status Read(const Body& body) override {
    return db_->Read([&](PgConn& c) {
      PgTx tx(c);
      return body(tx);
    });
  }

  // A short transaction that writes nothing, in one REPEATABLE READ snapshot.
  Status ReadSnapshot(const Body& body) override {
    return db_->Write([&](PgConn& c) -> Status {
      auto iso = c.Exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
      if (!iso.ok()) return iso.status();
      PgTx tx(c);
      return body(tx);
    });
  }

  Status Write(const Body& body) override {
    return db_->Write([&](PgConn& c) {
      PgTx tx(c);
      return body(tx);
    });
  }

  // One statement commits by itself: no BEGIN/COMMIT round trips.
  Status WriteOne(const Body& body) override { return Read(body); }

 private:
  std::unique_ptr<PgDatabase> db_;
};

const char* SortKeyType(UserSort s) {
  switch (s) {
    case UserSort::kScore:
      return "float8";
    case UserSort::kName:
      return "text";
    default:
      return "bigint";
  }
}

}  // namespace

Result<std::unique_ptr<PgStore>> PgStore::Open(const std::string& url, const ScoreRules& rules, const Clock* clock,
                                               StoreOptions options, PgOptions pg) {
  auto db = PgDatabase::Open(url, "sql/postgres", pg, [](std::map<std::string, std::string>& queries) {
    return ExpandListUsers(queries, SortKeyType);
  });
  if (!db.ok()) return db.status();
  const int version = (*db)->schema_version();
  return std::unique_ptr<PgStore>(
      new PgStore(std::make_unique<PgBackend>(std::move(db).value()), version, rules, clock, options));
}

}  // namespace rkd
