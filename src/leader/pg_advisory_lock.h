// LeaderLock across hosts sharing one PostgreSQL database: a session-level advisory lock
// (pg_try_advisory_lock) held by a connection of its own, outside the store's pool.
// Advisory locks belong to the whole database while a Rekindle install is a schema (its
// search_path; the functional tests give each server one), so the lock's id is a hash
// of the schema and the key: installs in separate schemas elect separately. The
// server frees it when that session ends: when the holder dies (its socket closes) or,
// for a host that vanished, when TCP keepalives give up on it (about 15 s; set on the
// session). Held() asks the server at most once a second, with a short timeout; a
// connection that fails it is closed and leadership counts as lost, so a leader cut off
// from the database stops leading while the server lets a standby take over.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "db/postgres/pg_conn.h"
#include "leader/leader_lock.h"

namespace rkd {

// Rekindle's advisory lock keys go on from 7265600001 (migrations) and 7265600002 (the
// change stream's outbox, see sql/postgres/queries.sql); these two are hashed with the
// schema before use (above).
constexpr int64_t kStreamLeaderLockKey = 7265600010;
constexpr int64_t kSweepLockKey = 7265600011;

struct PgAdvisoryLockOptions {
  std::string application_name = "rekindle lock";  // finds the session in pg_stat_activity
  std::chrono::milliseconds check_every{1000};     // Held() asks the server at most this often
  std::chrono::milliseconds check_timeout{2000};   // … and gives it this long to answer
  int statement_timeout_ms = 10'000;               // for connecting and taking the lock
};

class PgAdvisoryLock final : public LeaderLock {
 public:
  PgAdvisoryLock(std::string url, int64_t key, PgAdvisoryLockOptions options = {})
      : url_(std::move(url)), key_(key), options_(options) {}

  // Connects first if there is no connection (again after a loss).
  Result<bool> TryAcquire() override;
  bool Held() override;
  // Ends the session, which frees the lock even if the unlock could not be sent.
  void Release() override;

 private:
  std::string url_;
  int64_t key_;
  PgAdvisoryLockOptions options_;
  std::unique_ptr<PgConn> conn_;  // the session that asks for, then holds, the lock
  bool held_ = false;
  std::chrono::steady_clock::time_point checked_;
};

}  // namespace rkd
