#include "leader/pg_advisory_lock.h"

#include "base/log.h"

namespace rkd {

Result<bool> PgAdvisoryLock::TryAcquire() {
  if (held_ && Held()) return true;
  if (!conn_ || !conn_->healthy()) {
    conn_.reset();
    auto conn = PgConn::Open(url_, options_.statement_timeout_ms);
    if (!conn.ok()) return conn.status();
    // The server's side of the session: notice a holder whose host vanished (no FIN
    // ever comes) after 5 + 3 × 3 s of silence instead of the kernel's two hours.
    // Ignored on Unix sockets, where the peer's death is always seen.
    auto set = (*conn)->Exec(
        "SET tcp_keepalives_idle = 5; SET tcp_keepalives_interval = 3; "
        "SET tcp_keepalives_count = 3; SET application_name = '" +
        options_.application_name + "'");  // our own constant, no quotes in it
    if (!set.ok()) return set.status();
    conn_ = std::move(conn).value();
  }
  auto taken = conn_->Exec("SELECT pg_try_advisory_lock(hashtextextended(coalesce(current_schema(), '') || '/" +
                           std::to_string(key_) + "', 0))");
  if (!taken.ok()) {
    if (!conn_->healthy()) conn_.reset();
    return taken.status();
  }
  held_ = taken->size() == 1 && taken->Text(0, 0) == "t";
  checked_ = std::chrono::steady_clock::now();
  return held_;
}

bool PgAdvisoryLock::Held() {
  if (!held_) return false;
  const auto now = std::chrono::steady_clock::now();
  if (now - checked_ < options_.check_every) return true;
  checked_ = now;
  // A live session keeps its advisory lock: a connection that answers still holds it.
  if (Status st = conn_->Ping(options_.check_timeout); !st.ok()) {
    LogWarn("advisory lock connection lost", {{"key", key_}, {"error", st.ToString()}});
    Release();
  }
  return held_;
}

void PgAdvisoryLock::Release() {
  conn_.reset();
  held_ = false;
}

}  // namespace rkd
