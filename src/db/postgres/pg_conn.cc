#include "db/postgres/pg_conn.h"

#include <poll.h>

#include <charconv>
#include <cstdlib>

namespace rkd {

PgParams& PgParams::Add(double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);  // shortest form that round-trips
  values_.emplace_back(std::string(buf, end));
  return *this;
}

int64_t PgRows::Int(int row, int col) const { return std::strtoll(PQgetvalue(r_.get(), row, col), nullptr, 10); }

double PgRows::Real(int row, int col) const { return std::strtod(PQgetvalue(r_.get(), row, col), nullptr); }

int64_t PgRows::Affected() const {
  const char* n = PQcmdTuples(r_.get());
  return n && *n ? std::strtoll(n, nullptr, 10) : 0;
}

Result<std::unique_ptr<PgConn>> PgConn::Open(const std::string& url, int statement_timeout_ms) {
  // connect_timeout comes first so that one in the URL, expanded after it, wins: a server
  // that does not answer cannot hold a caller (or a whole pool) for the kernel's minutes.
  const char* keys[] = {"connect_timeout", "dbname", nullptr};
  const char* values[] = {"10", url.c_str(), nullptr};
  PGconn* c = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (PQstatus(c) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(c);
    PQfinish(c);
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    return Status::Unavailable("postgres connect: " + msg);
  }
  std::unique_ptr<PgConn> conn(new PgConn(c));
  // A statement that runs longer than this is cancelled (SQLSTATE 57014 → Unavailable),
  // so one slow query cannot hold a pooled connection forever. Times are stored as
  // integers; the session's time zone never matters.
  auto set = conn->Exec("SET statement_timeout = " + std::to_string(statement_timeout_ms) + "; SET lock_timeout = " +
                        std::to_string(statement_timeout_ms) + "; SET client_min_messages = warning");
  if (!set.ok()) return set.status();
  return conn;
}

PgConn::~PgConn() { PQfinish(conn_); }

Result<PgRows> PgConn::Check(PGresult* r, const std::string& what) {
  const ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY) return PgRows(r);
  std::string state = r ? (PQresultErrorField(r, PG_DIAG_SQLSTATE) ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : "") : "";
  std::string constraint =
      r && PQresultErrorField(r, PG_DIAG_CONSTRAINT_NAME) ? PQresultErrorField(r, PG_DIAG_CONSTRAINT_NAME) : "";
  std::string msg = r ? PQresultErrorMessage(r) : PQerrorMessage(conn_);
  if (r) PQclear(r);
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  msg = what + ": " + msg + " [SQLSTATE " + (state.empty() ? "none" : state) + "]";
  // The field names the constraint; the store knows which one means what.
  if (state == "23505") return Status::AlreadyExists(msg, constraint);
  // 40001 serialization failure, 40P01 deadlock, 55P03 lock timeout, 57014 statement
  // timeout, 08xxx / no state: the connection failed.
  if (state == "40001" || state == "40P01" || state == "55P03" || state == "57014" || state.empty() ||
      state.rfind("08", 0) == 0 || state.rfind("57P", 0) == 0 || !healthy())
    return Status::Unavailable(msg);
  return Status::Internal(msg);
}

Status PgConn::PrepareAll(const std::map<std::string, std::string>& queries) {
  for (const auto& [name, sql] : queries) {
    auto r = Check(PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr), "prepare " + name);
    if (!r.ok()) return Status::Internal("query " + name + ": " + r.status().message());
  }
  return Status::Ok();
}

Result<PgRows> PgConn::Run(const std::string& name, const PgParams& params) {
  std::vector<const char*> values;
  values.reserve(params.values().size());
  for (const auto& v : params.values()) values.push_back(v ? v->c_str() : nullptr);
  return Check(PQexecPrepared(conn_, name.c_str(), static_cast<int>(values.size()), values.data(), nullptr, nullptr, 0),
               name);
}

Result<PgRows> PgConn::Exec(const std::string& sql) { return Check(PQexec(conn_, sql.c_str()), "exec"); }

bool PgConn::LooksAlive() const {
  if (!healthy()) return false;
  pollfd p{PQsocket(conn_), POLLIN, 0};
  return ::poll(&p, 1, 0) == 0;
}

Status PgConn::Ping(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  if (!PQsendQuery(conn_, "SELECT 1")) return Check(nullptr, "ping").status();
  while (PQisBusy(conn_)) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd p{PQsocket(conn_), POLLIN, 0};
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) == 0)
      return Status::Unavailable("ping: postgres did not answer within " + std::to_string(timeout.count()) + " ms");
    if (!PQconsumeInput(conn_)) return Check(nullptr, "ping").status();
  }
  Status st;
  while (PGresult* r = PQgetResult(conn_)) {  // until nullptr: the connection is idle again
    auto checked = Check(r, "ping");
    if (!checked.ok()) st = checked.status();
  }
  return st;
}

bool IsRetryablePgFailure(const Status& st) {
  const std::string& m = st.message();
  return m.find("[SQLSTATE 40001]") != std::string::npos || m.find("[SQLSTATE 40P01]") != std::string::npos;
}

}  // namespace rkd
