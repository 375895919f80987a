#include "db/sqlite/sqlite_backup.h"

#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>

namespace rkd {
namespace {

using DbHandle = std::unique_ptr<sqlite3, decltype(&sqlite3_close_v2)>;

Result<DbHandle> OpenDb(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  DbHandle db(raw, &sqlite3_close_v2);
  if (rc != SQLITE_OK)
    return Status::FailedPrecondition("cannot open " + path + ": " + (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  sqlite3_busy_timeout(raw, 5000);
  return db;
}

// The first row's first column of `sql` as text ("" when none).
std::string QueryText(sqlite3* db, const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(stmt, 0);
    if (text) out = reinterpret_cast<const char*>(text);
  }
  sqlite3_finalize(stmt);
  return out;
}

}  // namespace

Result<BackupResult> BackupSqlite(const std::string& source, const std::string& dest) {
  const auto started = std::chrono::steady_clock::now();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(source, ec))
    return Status::FailedPrecondition("there is no database at " + source);
  auto src = OpenDb(source, SQLITE_OPEN_READWRITE);  // read-write: a WAL database's reader may need to recover it
  if (!src.ok()) return src.status();
  if (QueryText(src->get(), "PRAGMA schema_version").empty())
    return Status::FailedPrecondition(source + " is not a SQLite database");

  const std::string tmp = dest + ".part";
  std::filesystem::remove(tmp, ec);
  auto dst = OpenDb(tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (!dst.ok()) return dst.status();
  sqlite3_backup* backup = sqlite3_backup_init(dst->get(), "main", src->get(), "main");
  if (!backup) return Status::Internal("cannot start the backup: " + std::string(sqlite3_errmsg(dst->get())));
  int rc;
  // One step copies every page under one read transaction: one snapshot. BUSY/LOCKED
  // (another process checkpointing at that moment) is tried again after a pause.
  for (int attempt = 0; (rc = sqlite3_backup_step(backup, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED; ++attempt) {
    if (attempt >= 100) break;
    sqlite3_sleep(50);
  }
  BackupResult result;
  result.pages = sqlite3_backup_pagecount(backup);
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) {
    dst->reset();
    std::filesystem::remove(tmp, ec);
    return Status::Unavailable("the backup did not finish: " + std::string(sqlite3_errstr(rc)));
  }
  // The copy must be a sound database on its own before it replaces anything.
  const std::string check = QueryText(dst->get(), "PRAGMA quick_check");
  if (check != "ok") {
    dst->reset();
    std::filesystem::remove(tmp, ec);
    return Status::Internal("the copy failed its integrity check: " + check);
  }
  // A plain rollback-journal file: one file to keep, readable by any sqlite3.
  QueryText(dst->get(), "PRAGMA journal_mode=DELETE");
  dst->reset();  // closes it: everything is on disk in one file
  std::filesystem::rename(tmp, dest, ec);
  if (ec) return Status::Internal("cannot move the copy to " + dest + ": " + ec.message());
  result.bytes = static_cast<int64_t>(std::filesystem::file_size(dest, ec));
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace rkd
