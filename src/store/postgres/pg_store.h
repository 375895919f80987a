// The Store on PostgreSQL 15 (DESIGN.md, "scale-out"): several `rekindle` processes
// share one database. Writes run in READ COMMITTED transactions that lock the user row
// (SELECT … FOR UPDATE), so concurrent writes to one user serialize and add up; the
// change record is the last statement of each write, under the outbox lock (see
// AppendChange), so the stream's seqs become visible in order. Thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/time.h"
#include "domain/score.h"
#include "store/postgres/pg_database.h"
#include "store/store.h"

namespace rkd {

class PgStore final : public Store {
 public:
  // Connects to `url` (postgres://user@host:port/db?…), applies pending migrations and
  // prepares every named query, so a broken query fails here. `clock` must outlive the store.
  static Result<std::unique_ptr<PgStore>> Open(const std::string& url, const ScoreRules& rules, const Clock* clock,
                                               StoreOptions options = {}, PgOptions pg = {});

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
  Result<int64_t> LatestChangeSeq() override;
  Result<std::vector<ScoreRefresh>> RefreshScores(const std::vector<std::string>& user_ids) override;
  Result<EmailReservation> ReserveEmail(const Email& draft, const std::string& trigger_id, Millis cooldown,
                                        Millis lease) override;
  Status FinishEmail(const std::string& email_id, const std::string& status, std::optional<Millis> sent_at,
                     const std::string& error) override;
  Result<bool> IsSuppressed(const std::string& email) override;
  Status Suppress(const std::string& email, const std::string& reason) override;
  Status Unsuppress(const std::string& email) override;
  Result<std::vector<Suppression>> ListSuppressions(int limit) override;
  Result<StoreMetrics> Metrics(double threshold) override;
  Status RecordHoldout(const std::string& user_id, const std::string& trigger_id, double score,
                       Millis cooldown) override;
  Result<Email> RecordEmailEvent(const std::string& email_id, const std::string& type, const std::string& url) override;
  Result<EffectivenessFigures> Effectiveness(int days) override;

  int schema_version() const { return db_->schema_version(); }

 private:
  PgStore(std::unique_ptr<PgDatabase> db, const ScoreRules& rules, const Clock* clock, StoreOptions options)
      : db_(std::move(db)), rules_(rules), clock_(clock), options_(options) {}

  // `lock`: SELECT … FOR UPDATE (inside a write).
  Result<User> LoadUser(PgConn& conn, const std::string& user_id, bool lock);
  Result<std::optional<Email>> LoadEmail(PgConn& conn, const std::string& email_id);
  // The order holding `external_id`, read inside a transaction that just found it taken.
  Result<Order> LoadOrderByExternalId(PgConn& conn, const std::string& external_id);
  Status WriteUser(PgConn& conn, const User& user, bool insert);
  Status AppendChange(PgConn& conn, ChangeOp op, const User* old_image, const User* new_image);

  std::unique_ptr<PgDatabase> db_;
  ScoreRules rules_;
  const Clock* clock_;
  StoreOptions options_;
};

}  // namespace rkd
