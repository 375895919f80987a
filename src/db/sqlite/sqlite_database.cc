#include "db/sqlite/sqlite_database.h"

#include <filesystem>

#include "base/embedded_files.h"
#include "base/log.h"
#include "db/migration_version.h"
#include "db/named_queries.h"

namespace rkd {

Result<std::unique_ptr<SqliteDatabase>> SqliteDatabase::Open(const std::string& path, const std::string& sql_dir,
                                                             const Clock* clock, const Expand& expand) {
  std::error_code ec;
  auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  std::unique_ptr<SqliteDatabase> db(new SqliteDatabase(path, clock));
  auto writer = SqliteConn::Open(path);
  if (!writer.ok()) return writer.status();
  db->writer_ = std::move(writer).value();
  RKD_RETURN_IF_ERROR(db->Migrate(sql_dir));
  RKD_RETURN_IF_ERROR(db->PrepareAll(sql_dir, expand));
  RKD_RETURN_IF_ERROR(db->writer_->Exec("PRAGMA wal_autocheckpoint=0"));
  db->checkpointer_ = std::thread([d = db.get()] { d->CheckpointLoop(); });
  return db;
}

SqliteDatabase::~SqliteDatabase() {
  {
    std::lock_guard lock(checkpoint_mu_);
    closing_ = true;
  }
  checkpoint_cv_.notify_all();
  if (checkpointer_.joinable()) checkpointer_.join();
}

const std::string& SqliteDatabase::Sql(const std::string& name) const { return sql_.at(name); }

Result<sqlite3_stmt*> SqliteDatabase::Prep(SqliteConn& conn, const std::string& name) const {
  auto it = sql_.find(name);
  if (it == sql_.end()) return Status::Internal("no named query " + name);
  return conn.Prepare(it->second);
}

Status SqliteDatabase::Migrate(const std::string& sql_dir) {
  RKD_RETURN_IF_ERROR(
      writer_->Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                    "applied_at INTEGER NOT NULL)"));
  // std::map keeps the embedded migrations in file-name (= version) order.
  const std::string prefix = sql_dir + "/migrations/";
  return Write([&](SqliteConn& c) -> Status {
    int current = 0;
    {
      auto p = c.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
      if (!p.ok()) return p.status();
      Stmt s(c.db(), *p);
      auto row = s.Step();
      if (!row.ok()) return row.status();
      current = static_cast<int>(s.Int(0));
    }
    schema_version_ = current;
    // A database migrated by a newer binary has tables and meanings this one does not
    // know: writing to it could corrupt what the newer version keeps, so refuse.
    const int known = HighestMigration(prefix);
    if (current > known) return NewerSchema(path_, current, known);
    for (const auto& [file, sql] : EmbeddedFiles()) {
      if (file.rfind(prefix, 0) != 0) continue;
      const std::string name(file.substr(prefix.size()));
      const int version = std::atoi(name.c_str());
      if (version <= current) continue;
      RKD_RETURN_IF_ERROR(c.Exec(std::string(sql)));
      auto p = c.Prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)");
      if (!p.ok()) return p.status();
      Stmt s(c.db(), *p);
      RKD_RETURN_IF_ERROR(s.Bind(1, int64_t{version}).Bind(2, name).Bind(3, clock_->Now()).Run());
      schema_version_ = version;
    }
    return Status::Ok();
  });
}

Status SqliteDatabase::PrepareAll(const std::string& sql_dir, const Expand& expand) {
  auto it = EmbeddedFiles().find(sql_dir + "/queries.sql");
  if (it == EmbeddedFiles().end()) return Status::Internal(sql_dir + "/queries.sql is not embedded");
  auto parsed = ParseNamedQueries(it->second);
  if (!parsed.ok()) return parsed.status();
  sql_ = std::move(parsed).value();
  if (expand) RKD_RETURN_IF_ERROR(expand(sql_));
  for (const auto& [name, sql] : sql_) {
    auto p = writer_->Prepare(sql);
    if (!p.ok()) return Status::Internal("query " + name + ": " + p.status().message());
  }
  return Status::Ok();
}

Result<std::unique_ptr<SqliteConn>> SqliteDatabase::TakeReader() {
  {
    std::lock_guard lock(readers_mu_);
    if (!idle_readers_.empty()) {
      auto conn = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return conn;
    }
  }
  return SqliteConn::Open(path_);
}

void SqliteDatabase::ReturnReader(std::unique_ptr<SqliteConn> conn) {
  std::lock_guard lock(readers_mu_);
  idle_readers_.push_back(std::move(conn));
}

struct SqliteDatabase::PendingWrite {
  const TxnBody* body;
  Status result;
  bool done = false;
};

Status SqliteDatabase::Write(const TxnBody& body) {
  PendingWrite me{&body};
  std::unique_lock lock(queue_mu_);
  queue_.push_back(&me);
  while (!me.done) {
    if (leader_active_) {
      queue_cv_.wait(lock);
      continue;
    }
    // Lead: take everything queued so far (this write included) as one batch.
    leader_active_ = true;
    std::vector<PendingWrite*> batch;
    batch.swap(queue_);
    lock.unlock();
    RunBatch(batch);
    lock.lock();
    // Marked done under the lock: the writers in the batch read `done` under it while the
    // batch runs (a spurious wakeup, or another leader's notify_all), so writing it in
    // RunBatch, unlocked, was a data race (TSan); their results were written before.
    for (PendingWrite* w : batch) w->done = true;
    leader_active_ = false;
    queue_cv_.notify_all();
  }
  return me.result;
}

void SqliteDatabase::RunBatch(const std::vector<PendingWrite*>& batch) {
  auto finish = [&](const Status& st) {
    for (PendingWrite* w : batch)
      if (w->result.ok()) w->result = st;
  };
  Status begin = writer_->ExecCached("BEGIN IMMEDIATE");
  if (!begin.ok()) return finish(begin);
  // A write alone in its batch needs no savepoint: a failure rolls back the transaction.
  // Inside a savepoint SQLite journals every page a statement first touches, which made
  // a large write (an import's batch, 2,000 clients refreshed) 6× slower (bench/README.md).
  if (batch.size() == 1) {
    PendingWrite* w = batch.front();
    w->result = (*w->body)(*writer_);
    if (!w->result.ok()) {
      writer_->ExecCached("ROLLBACK");
      return;
    }
    Status commit = writer_->ExecCached("COMMIT");
    if (!commit.ok()) writer_->ExecCached("ROLLBACK");
    return finish(commit);
  }
  for (PendingWrite* w : batch) {
    Status st = writer_->ExecCached("SAVEPOINT w");
    if (st.ok()) st = (*w->body)(*writer_);
    if (!st.ok()) writer_->ExecCached("ROLLBACK TO w");
    writer_->ExecCached("RELEASE w");
    w->result = st;
  }
  Status commit = writer_->ExecCached("COMMIT");
  if (!commit.ok()) writer_->ExecCached("ROLLBACK");
  finish(commit);
}

void SqliteDatabase::CheckpointLoop() {
  auto conn = SqliteConn::Open(path_);
  if (!conn.ok()) {
    LogError("sqlite checkpointer cannot open the database", {{"error", conn.status().ToString()}});
    return;
  }
  std::unique_lock lock(checkpoint_mu_);
  while (!checkpoint_cv_.wait_for(lock, std::chrono::milliseconds(200), [this] { return closing_; })) {
    lock.unlock();
    // PASSIVE never blocks readers or the writer. But the WAL only rewinds when a
    // checkpoint completes while no reader uses it, which steady traffic never allows;
    // so once it holds more than ~16 MB, a RESTART checkpoint waits (busy timeout) for a
    // quiet moment, copies the rest and makes the next writer start over, keeping the
    // WAL (and every read's search of it) small.
    int log_frames = 0;
    sqlite3_wal_checkpoint_v2((*conn)->db(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log_frames, nullptr);
    if (log_frames > 4096)
      sqlite3_wal_checkpoint_v2((*conn)->db(), nullptr, SQLITE_CHECKPOINT_RESTART, nullptr, nullptr);
    lock.lock();
  }
}

}  // namespace rkd
