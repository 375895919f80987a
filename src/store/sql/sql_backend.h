// What the store core (sql_store.h) needs from a SQL database, and nothing more: named
// queries run with positional parameters inside a read or a write transaction. Each
// dialect (sqlite/, postgres/) implements it over its own connections; the SQL itself
// lives in sql/<dialect>/queries.sql, under the same names in both.
// Implementations are thread-safe; an SqlTx is used by one thread, inside one call.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "base/status.h"

namespace rkd {

// One positional parameter: SQL NULL, an integer, a real or text.
class SqlValue {
 public:
  using Variant = std::variant<std::monostate, int64_t, double, std::string>;
  SqlValue(std::nullopt_t) {}                      // NOLINT: implicit by design (a parameter list reads as values)
  SqlValue(int64_t v) : v_(v) {}                   // NOLINT
  SqlValue(int v) : v_(int64_t{v}) {}              // NOLINT
  SqlValue(double v) : v_(v) {}                    // NOLINT
  SqlValue(std::string v) : v_(std::move(v)) {}    // NOLINT
  SqlValue(const char* v) : v_(std::string(v)) {}  // NOLINT
  template <typename T>
  SqlValue(const std::optional<T>& v) {  // NOLINT: nullopt is NULL
    if (v) *this = SqlValue(*v);
  }
  const Variant& get() const { return v_; }

 private:
  Variant v_;
};
using SqlParams = std::vector<SqlValue>;

// The current row of a result, read by column index.
class SqlRow {
 public:
  virtual bool IsNull(int col) const = 0;
  virtual int64_t Int(int col) const = 0;
  virtual double Real(int col) const = 0;
  virtual std::string Text(int col) const = 0;
  std::optional<int64_t> OptInt(int col) const { return IsNull(col) ? std::nullopt : std::optional<int64_t>(Int(col)); }
  std::optional<double> OptReal(int col) const { return IsNull(col) ? std::nullopt : std::optional<double>(Real(col)); }

 protected:
  ~SqlRow() = default;
};

// A connection inside one Read or Write call.
class SqlTx {
 public:
  using OnRow = std::function<void(const SqlRow&)>;
  // Runs the named query with `params`, calling `on_row` for each result row; returns
  // the number of rows a write changed. A unique violation is AlreadyExists whose field
  // names the constraint or index (e.g. "users.email" or "users_email_lower"); a busy,
  // locked or lost database is Unavailable.
  virtual Result<int64_t> Run(const std::string& query, const SqlParams& params, const OnRow& on_row = {}) = 0;
  // Runs `query` once for each row of parameters (no rows read back) and returns the
  // rows changed in all: an import's batches. A database a round trip away sends them as
  // one statement (PostgreSQL: the query's "<name>/batch" form, which takes the rows as
  // a JSON array of arrays); an in-process one runs the prepared statement per row.
  virtual Result<int64_t> RunBatch(const std::string& query, const std::vector<SqlParams>& rows) {
    int64_t changed = 0;
    for (const SqlParams& row : rows) {
      auto r = Run(query, row);
      if (!r.ok()) return r.status();
      changed += *r;
    }
    return changed;
  }
  // Called by a write just before it appends to the change stream, as its last
  // statements: the change stream's seqs must become visible in seq order (see
  // PostgreSQL's outbox lock); a single-writer database has nothing to do.
  virtual Status OrderChangeStream() = 0;
  // Around a bulk insert of clients (an import's batch, the demo data). The dashboard's
  // per-score counters are kept by a trigger per inserted row; in bulk that costs more
  // than the insert (SQLite journals every page a statement with a trigger touches;
  // PostgreSQL piles up row versions of the same counter rows in one transaction). After
  // PauseUserCounting, inserted clients are not counted until CountInsertedUsers counts
  // `user_ids` at once and counting resumes; updates and deletes count as always.
  virtual Status PauseUserCounting() = 0;
  virtual Status CountInsertedUsers(const std::vector<std::string>& user_ids) = 0;

 protected:
  ~SqlTx() = default;
};

class SqlBackend {
 public:
  virtual ~SqlBackend() = default;
  using Body = std::function<Status(SqlTx&)>;
  // Reads; each statement sees committed data.
  virtual Status Read(const Body& body) = 0;
  // Reads that must agree with each other: one snapshot for the whole body.
  virtual Status ReadSnapshot(const Body& body) = 0;
  // A transaction: all of `body`'s writes or none. A backend may run `body` again from
  // the start (a deadlock or serialization failure), so `body` resets what it fills in.
  virtual Status Write(const Body& body) = 0;
  // A write of one statement, atomic by itself (a backend may skip BEGIN/COMMIT).
  virtual Status WriteOne(const Body& body) = 0;
};

}  // namespace rkd
