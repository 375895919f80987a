#include "db/postgres/pg_database.h"

#include <cstdlib>

#include "base/embedded_files.h"
#include "db/migration_version.h"
#include "db/named_queries.h"

namespace rkd {
namespace {

// pg_advisory_xact_lock key that serializes migrations of one database across processes.
constexpr const char* kMigrationLock = "SELECT pg_advisory_xact_lock(7265600001)";

}  // namespace

Result<std::unique_ptr<PgDatabase>> PgDatabase::Open(const std::string& url, const std::string& sql_dir,
                                                     PgOptions options, const Expand& expand) {
  std::unique_ptr<PgDatabase> db(new PgDatabase(url, options));
  auto it = EmbeddedFiles().find(sql_dir + "/queries.sql");
  if (it == EmbeddedFiles().end()) return Status::Internal(sql_dir + "/queries.sql is not embedded");
  auto parsed = ParseNamedQueries(it->second);
  if (!parsed.ok()) return parsed.status();
  db->sql_ = std::move(parsed).value();
  if (expand) RKD_RETURN_IF_ERROR(expand(db->sql_));
  auto first = PgConn::Open(url, options.statement_timeout_ms);
  if (!first.ok()) return first.status();
  RKD_RETURN_IF_ERROR(db->Migrate(**first, sql_dir));
  RKD_RETURN_IF_ERROR((*first)->PrepareAll(db->sql_));
  db->open_ = 1;
  db->idle_.push_back(std::move(first).value());
  return db;
}

Status PgDatabase::Migrate(PgConn& c, const std::string& sql_dir) {
  auto created = c.Exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
      "applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
  // Two processes creating it at once: the loser sees a unique violation; the table exists.
  if (!created.ok() && created.status().code() != Code::kAlreadyExists) return created.status();
  const std::string prefix = sql_dir + "/migrations/";
  {
    // A database a newer binary migrated: refuse before touching it (migration_version.h).
    auto applied = c.Exec("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    if (!applied.ok()) return applied.status();
    const int current = applied->size() ? static_cast<int>(applied->Int(0, 0)) : 0;
    const int known = HighestMigration(prefix);
    if (current > known) return NewerSchema("at RKD_DATABASE_URL", current, known);
  }
  // std::map: file-name (= version) order. Not a structured binding: clang 14 (the fuzz
  // build) cannot capture one in the lambda below.
  for (const auto& entry : EmbeddedFiles()) {
    const auto& file = entry.first;
    const auto& sql = entry.second;
    if (file.rfind(prefix, 0) != 0) continue;
    const std::string name(file.substr(prefix.size()));
    const int version = std::atoi(name.c_str());
    Status st = [&]() -> Status {
      auto begin = c.Exec(std::string("BEGIN; ") + kMigrationLock);
      if (!begin.ok()) return begin.status();
      auto done = c.Exec("SELECT 1 FROM schema_migrations WHERE version = " + std::to_string(version));
      if (!done.ok()) return done.status();
      if (done->size() == 0) {
        auto applied = c.Exec(std::string(sql));
        if (!applied.ok()) return Status::Internal("migration " + name + ": " + applied.status().message());
        // Exec cannot bind; the name comes from our own embedded file list.
        auto recorded = c.Exec("INSERT INTO schema_migrations (version, name) VALUES (" + std::to_string(version) +
                               ", '" + name + "')");
        if (!recorded.ok()) return recorded.status();
      }
      auto commit = c.Exec("COMMIT");
      return commit.ok() ? Status::Ok() : commit.status();
    }();
    if (!st.ok()) {
      c.Exec("ROLLBACK");
      return st;
    }
    schema_version_ = std::max(schema_version_, version);
  }
  return Status::Ok();
}

Result<std::unique_ptr<PgConn>> PgDatabase::Take() {
  std::vector<std::unique_ptr<PgConn>> dead;  // closed after the lock is released
  {
    std::unique_lock lock(mu_);
    for (;;) {
      cv_.wait(lock, [&] { return !idle_.empty() || open_ < options_.pool_size; });
      if (idle_.empty()) break;
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      // An idle connection the server ended (a restart) is replaced before use, so no
      // call fails on it: after a restart every pooled connection is dead at once.
      if (conn->LooksAlive()) return conn;
      --open_;
      dead.push_back(std::move(conn));
    }
    ++open_;  // reserve a slot, connect outside the lock
  }
  auto conn = PgConn::Open(url_, options_.statement_timeout_ms);
  Status st = conn.ok() ? (*conn)->PrepareAll(sql_) : conn.status();
  if (!st.ok()) {
    std::lock_guard lock(mu_);
    --open_;
    cv_.notify_one();
    return st;
  }
  return conn;
}

void PgDatabase::Return(std::unique_ptr<PgConn> conn) {
  std::lock_guard lock(mu_);
  if (conn->healthy()) {
    idle_.push_back(std::move(conn));
  } else {
    --open_;  // dropped: the next Take reconnects (e.g. after a server restart)
    conn.reset();
  }
  cv_.notify_one();
}

Status PgDatabase::Read(const Body& body) {
  Status st;
  // A pooled connection the server dropped (a restart, an idle timeout) fails its first
  // statement; the statement is run once more on a fresh connection. Read bodies are
  // single statements or idempotent, so running one again is harmless.
  for (int attempt = 1; attempt <= 2; ++attempt) {
    auto conn = Take();
    if (!conn.ok()) return conn.status();
    st = body(**conn);
    const bool broken = !(*conn)->healthy();
    Return(std::move(conn).value());
    if (!broken) break;
  }
  return st;
}

Status PgDatabase::Write(const Body& body) {
  Status st;
  for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
    auto taken = Take();
    if (!taken.ok()) return taken.status();
    PgConn& c = **taken;
    auto begin = c.Exec("BEGIN");
    if (!begin.ok() && !c.healthy()) {  // a dropped connection, nothing sent: try a fresh one
      st = begin.status();
      Return(std::move(taken).value());
      continue;
    }
    st = begin.ok() ? body(c) : begin.status();
    if (st.ok()) {
      auto commit = c.Exec("COMMIT");
      if (!commit.ok()) st = commit.status();
    } else {
      c.Exec("ROLLBACK");
    }
    Return(std::move(taken).value());
    if (st.ok() || !IsRetryablePgFailure(st)) return st;
  }
  return st;
}

}  // namespace rkd
