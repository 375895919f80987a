// The store core: every use case the Store contract promises (store.h), written once
// over SqlBackend. A user write loads the row (locked for the transaction where the
// database has row locks), recomputes the score with the store's rules and clock, writes
// the row and appends its change record as the transaction's last statements; an order
// moves its client's derived fields and is attributed to the latest email; an email is
// reserved, leased and finished; tracking events, suppressions and holdouts are recorded.
// SqliteStore and PostgresStore give it their backend and keep only their connections
// and what truly differs. Thread-safe (as its backend).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/time.h"
#include "domain/score.h"
#include "store/sql/sql_backend.h"
#include "store/store.h"

namespace rkd {

class SqlStore : public Store {
 public:
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
  Result<int64_t> PruneChanges(int64_t below_seq, Millis retention, int limit) override;
  Result<std::vector<SettingRow>> GetSettings() override;
  Status PutSettings(const std::vector<std::pair<std::string, std::string>>& values, const std::string& by,
                     bool only_if_absent) override;
  Result<SendBudget> TakeSendBudget(const std::vector<SendPeriod>& periods, int64_t wanted,
                                    Millis prune_before) override;
  Result<std::vector<int64_t>> SendCounts(const std::vector<std::string>& period_keys) override;
  Result<int64_t> ImportRows(ImportFeed& feed, const ImportWriteOptions& options) override;
  Result<User> GetUserByExternalId(const std::string& external_id) override;
  Status SaveImportJob(const ImportJob& job) override;
  Result<ImportJob> GetImportJob(const std::string& import_id) override;
  Result<std::vector<ImportJob>> ListImportJobs(int limit) override;
  Result<std::vector<Order>> ScanOrders(const std::string& after_order_id, int limit) override;
  Result<bool> RecordHookDelivery(const HookDelivery& delivery) override;  // hook_store.cc
  Result<std::vector<HookDelivery>> ClaimHookDeliveries(Millis lease, int limit) override;
  Status FinishHookDelivery(const std::string& hook_id, const std::string& status, const std::string& error) override;
  Result<std::vector<HookDelivery>> ListHookDeliveries(const std::string& source, int limit) override;
  Result<std::optional<ShopSyncState>> BeginShopSync(const std::string& source, const std::string& trigger,
                                                     Millis lease) override;  // shop_sync_store.cc
  Status SaveShopSync(const ShopSyncState& state) override;
  Result<std::vector<ShopSyncState>> ListShopSyncs() override;
  Result<MessageVersion> SaveMessage(const MessageVersion& message, std::optional<int64_t> expected_version) override;
  Result<MessageVersion> GetMessage(const std::string& name, std::optional<int64_t> version) override;
  Result<std::vector<MessageVersion>> ListMessages() override;
  Result<std::vector<MessageVersion>> MessageHistory(const std::string& name, int limit) override;
  Status CreateExperiment(const Experiment& experiment) override;
  Result<Experiment> GetExperiment(const std::string& experiment_id) override;
  Result<std::vector<Experiment>> ListExperiments() override;
  Result<std::optional<Experiment>> RunningExperiment() override;
  Status StopExperiment(const std::string& experiment_id) override;
  Result<bool> ReplanExperiment(const std::string& experiment_id, Millis planned_at,
                                const ExperimentAllocation& allocation) override;
  Status MarkPromoted(const std::string& experiment_id, int variant) override;
  Result<std::vector<ExperimentAllocation>> ExperimentAllocations(const std::string& experiment_id) override;
  Result<std::vector<ExperimentVariantTotals>> ExperimentTotals(const std::string& experiment_id,
                                                                int variants) override;
  Result<Order> GetOrderByExternalId(const std::string& external_id) override;
  Status CreateWebhookEndpoint(const WebhookEndpoint& endpoint) override;  // webhook_store.cc
  Result<std::vector<WebhookEndpoint>> ListWebhookEndpoints() override;
  Result<bool> DeleteWebhookEndpoint(const std::string& endpoint_id) override;
  Result<std::vector<WebhookDelivery>> ClaimWebhookDeliveries(Millis lease, int limit) override;
  Status FinishWebhookDeliveries(const std::vector<WebhookAttempt>& attempts) override;
  Result<int64_t> PruneWebhookDeliveries(Millis before, int limit) override;
  Result<std::vector<WebhookDelivery>> ListWebhookDeliveries(const std::string& endpoint_id, const std::string& status,
                                                             int limit) override;
  Result<bool> ReplayWebhookDelivery(const std::string& delivery_id) override;
  Result<std::vector<ScoreRefresh>> RefreshScores(const std::vector<std::string>& user_ids) override;
  Result<EmailReservation> ReserveEmail(const Email& draft, const std::string& trigger_id, Millis cooldown,
                                        Millis lease) override;
  Status FinishEmail(const std::string& email_id, const std::string& status, std::optional<Millis> sent_at,
                     const std::string& error) override;
  Result<std::vector<Result<EmailReservation>>> ReserveEmails(const std::vector<EmailDraft>& drafts, Millis cooldown,
                                                              Millis lease) override;
  Result<std::vector<Status>> FinishEmails(const std::vector<EmailOutcome>& outcomes) override;
  Result<std::vector<User>> GetUsers(const std::vector<std::string>& user_ids) override;
  Result<std::vector<Email>> GetEmails(const std::vector<std::string>& email_ids) override;
  Result<std::vector<std::string>> SuppressedAmong(const std::vector<std::string>& emails) override;
  Result<std::vector<User>> ScanUsers(const std::string& after_user_id, int limit) override;
  Result<bool> IsSuppressed(const std::string& email) override;
  Status Suppress(const std::string& email, const std::string& reason) override;
  Status Unsuppress(const std::string& email) override;
  Result<Page<Suppression>> ListSuppressions(const SuppressionQuery& query) override;
  Result<int64_t> CountSuppressions(const std::string& search) override;
  Result<std::optional<Suppression>> GetSuppression(const std::string& email) override;
  Result<std::map<std::string, ClientFacts>> FactsOf(const std::vector<User>& users) override;
  Result<ClientHistory> History(const std::string& user_id, int limit) override;
  Result<int64_t> CountEmails(const EmailQuery& query) override;
  Result<StoreMetrics> Metrics(double threshold) override;
  Result<DeliveryFailures> RecentDeliveryFailures(Millis since) override;
  Status RecordHoldout(const std::string& user_id, const std::string& trigger_id, double score,
                       const std::string& targeting_rule, Millis cooldown) override;
  Result<Email> RecordEmailEvent(const std::string& email_id, const std::string& type, const std::string& url) override;
  Result<EffectivenessFigures> Effectiveness(int days) override;
  Result<JourneyVersion> SaveJourney(const JourneyDefinition& definition, const std::string& created_by) override;
  Result<JourneyVersion> GetJourney(std::optional<int64_t> version) override;
  Result<std::vector<JourneyVersion>> ListJourneys(int limit) override;
  Result<std::vector<Episode>> LatestEpisodes(const std::vector<std::string>& user_ids) override;
  Status StartEpisodes(const std::vector<Episode>& episodes) override;
  Status EndEpisodes(const std::vector<EpisodeEnd>& ends) override;
  Status DeferEpisodes(const std::vector<EpisodeEnd>& deferrals) override;
  Result<std::vector<DueEpisode>> DueEpisodes(Millis now, Millis after_due, const std::string& after_id,
                                              int limit) override;
  Result<std::vector<Suppression>> SuppressionsAmong(const std::vector<std::string>& emails) override;
  // Churn and value models (issue 11; model_store.cc).
  Result<std::vector<ClientOrders>> ScanClientOrders(const std::string& after_user_id, Millis until,
                                                     int limit) override;
  Status SaveModelFit(const ModelFitRecord& fit) override;
  Result<std::optional<ModelFitRecord>> LatestModelFit() override;
  Status SavePredictions(const std::vector<ClientPredictionRecord>& rows) override;
  Result<int64_t> DeletePredictionsNotOf(const std::string& fit_id) override;
  Result<std::vector<ClientPredictionRecord>> PredictionsOf(const std::vector<std::string>& user_ids) override;
  Result<std::vector<ClientPredictionRecord>> PredictionsBetween(const std::string& after_user_id,
                                                                 const std::string& last_user_id) override;

  // The named queries the users' list runs: one per sort and direction, expanded from
  // the templates "list-users" and "list-users-search" ({key}: the sort's column, {cmp}, {dir}; `type_of` fills
  // {type} where a dialect needs the key's SQL type). Backends call it before preparing.
  using SortTypeOf = const char* (*)(UserSort);
  static Status ExpandListUsers(std::map<std::string, std::string>& queries, SortTypeOf type_of);

 protected:
  SqlStore(std::unique_ptr<SqlBackend> db, const ScoreRules& rules, const Clock* clock, StoreOptions options)
      : db_(std::move(db)), rules_(rules), clock_(clock), options_(options) {}

 private:
  // The user, locked for the rest of the transaction when `lock` (row-locking databases).
  Result<User> LoadUser(SqlTx& tx, const std::string& user_id, bool lock);
  Result<std::optional<Email>> LoadEmail(SqlTx& tx, const std::string& email_id);
  Status InsertUser(SqlTx& tx, const User& user);
  Status UpdateUserRow(SqlTx& tx, const User& user);
  // The change record of a user write: the last statements of its transaction. A
  // MODIFY that changes only the pipeline's own fields records nothing (store.h).
  Status AppendChange(SqlTx& tx, ChangeOp op, const User* old_image, const User* new_image);
  // Stamps a written user: updated_at = `now` and the score as of `now`.
  void Rescore(User& user, Millis now) const;
  // Attribution: a new order converts the latest email (or holdout record) of its client
  // within the window before it; each converts once.
  Status AttributeOrder(SqlTx& tx, const Order& order);

  class ImportWriter;  // import_store.cc
  // GET /api/users sorted by churn probability or filtered by it (issue 11; model_store.cc).
  Result<Page<User>> ListUsersByChurn(const UserQuery& query);

  std::unique_ptr<SqlBackend> db_;
  ScoreRules rules_;
  const Clock* clock_;
  StoreOptions options_;
};

}  // namespace rkd
