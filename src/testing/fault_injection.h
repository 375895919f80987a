// Fault injection in the shape of LevelDB's FaultInjectionTestEnv: forwarding wrappers
// around a real Store, Bus and Mailer that pass every call through to it, except where
// a FaultPlan says otherwise. A plan names methods ("ReserveEmail", "Publish", "Send")
// and, per method:
//   FailNth(m, n, error)  the n-th call from now returns `error` without reaching the
//                         real component (1: the very next call);
//   FailAlways(m, error)  every call does;
//   CrashAfterNth(m, n)   the n-th call from now reaches the real component, which
//                         commits its effect, and then InjectedCrash is thrown instead of
//                         returning: the caller "dies" right after it (e.g. a worker
//                         killed between ReserveEmail and the mailer's Send);
//   TimeOutNth(m, n, d)   the n-th call from now waits `d` (real time) and then fails
//                         with Unavailable("… timed out"), never reaching the component.
// Calls are counted per method whether or not a fault fires (Calls(m)). The Mailer
// wrapper turns an injected Unavailable into a retryable SendResult, any other code into
// a permanent one; an injected crash in Send happens after the real send.
// Thread-safe: the plan is guarded by a mutex, and the wrappers add no state of their
// own, so they are as thread-safe as the components they wrap.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "bus/bus.h"
#include "delivery/mailer.h"
#include "store/store.h"

namespace rkd::testkit {

// Thrown by a wrapper where the plan says the caller crashes. Tests catch it where the
// process would have died, and carry on as its restart would.
class InjectedCrash : public std::runtime_error {
 public:
  explicit InjectedCrash(const std::string& method) : std::runtime_error("injected crash after " + method) {}
};

class FaultPlan {
 public:
  void FailNth(const std::string& method, int n, Status error);
  void FailAlways(const std::string& method, Status error);
  void CrashAfterNth(const std::string& method, int n);
  void TimeOutNth(const std::string& method, int n, std::chrono::milliseconds after);
  void Clear();  // no more faults (the counts stay)
  int Calls(const std::string& method) const;

  // For the wrappers: counts a call of `method` and returns the error to return instead
  // of calling through, if any (after waiting, for a time-out).
  std::optional<Status> Before(const std::string& method);
  // For the wrappers: after the call went through; throws InjectedCrash when planned.
  void After(const std::string& method);

 private:
  enum class Kind { kFail, kCrash, kTimeOut };
  struct Fault {
    Kind kind = Kind::kFail;
    int at = 0;  // the call number it fires on; 0: every call
    Status error;
    std::chrono::milliseconds wait{0};
  };
  void Add(const std::string& method, Fault fault);

  mutable std::mutex mu_;
  std::map<std::string, int> calls_;
  std::map<std::string, std::vector<Fault>> faults_;
};

class FaultyStore final : public Store {
 public:
  FaultyStore(Store& inner, FaultPlan& plan) : inner_(inner), plan_(plan) {}

  Status Ping() override;

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
  Result<std::vector<ScoreRefresh>> RefreshScores(const std::vector<std::string>& user_ids) override;
  Result<EmailReservation> ReserveEmail(const Email& draft, const std::string& trigger_id, Millis cooldown,
                                        Millis lease) override;
  Status FinishEmail(const std::string& email_id, const std::string& status, std::optional<Millis> sent_at,
                     const std::string& error) override;
  // The batch methods count as one call of the method they batch ("GetUser",
  // "GetEmail", "IsSuppressed", "ReserveEmail", "FinishEmail"): a plan that crashes after
  // the first ReserveEmail crashes after the first batch reservation, whatever its size.
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
  Status RecordHoldout(const std::string& user_id, const std::string& trigger_id, double score,
                       const std::string& targeting_rule, Millis cooldown) override;
  Result<Email> RecordEmailEvent(const std::string& email_id, const std::string& type, const std::string& url) override;
  Result<EffectivenessFigures> Effectiveness(int days) override;
  Result<StoreMetrics> Metrics(double threshold) override;
  Result<DeliveryFailures> RecentDeliveryFailures(Millis since) override;
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
  // Churn and value models (issue 11).
  Result<std::vector<ClientOrders>> ScanClientOrders(const std::string& after_user_id, Millis until,
                                                     int limit) override;
  Status SaveModelFit(const ModelFitRecord& fit) override;
  Result<std::optional<ModelFitRecord>> LatestModelFit() override;
  Status SavePredictions(const std::vector<ClientPredictionRecord>& rows) override;
  Result<int64_t> DeletePredictionsNotOf(const std::string& fit_id) override;
  Result<std::vector<ClientPredictionRecord>> PredictionsOf(const std::vector<std::string>& user_ids) override;
  Result<std::vector<ClientPredictionRecord>> PredictionsBetween(const std::string& after_user_id,
                                                                 const std::string& last_user_id) override;
  Result<int64_t> ImportRows(ImportFeed& feed, const ImportWriteOptions& options) override;
  Result<User> GetUserByExternalId(const std::string& external_id) override;
  Status SaveImportJob(const ImportJob& job) override;
  Result<ImportJob> GetImportJob(const std::string& import_id) override;
  Result<std::vector<ImportJob>> ListImportJobs(int limit) override;
  Result<std::vector<Order>> ScanOrders(const std::string& after_order_id, int limit) override;
  Result<bool> RecordHookDelivery(const HookDelivery& delivery) override;
  Result<std::vector<HookDelivery>> ClaimHookDeliveries(Millis lease, int limit) override;
  Status FinishHookDelivery(const std::string& hook_id, const std::string& status, const std::string& error) override;
  Result<std::vector<HookDelivery>> ListHookDeliveries(const std::string& source, int limit) override;
  Result<std::optional<ShopSyncState>> BeginShopSync(const std::string& source, const std::string& trigger,
                                                     Millis lease) override;
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
  Status CreateWebhookEndpoint(const WebhookEndpoint& endpoint) override;
  Result<std::vector<WebhookEndpoint>> ListWebhookEndpoints() override;
  Result<bool> DeleteWebhookEndpoint(const std::string& endpoint_id) override;
  Result<std::vector<WebhookDelivery>> ClaimWebhookDeliveries(Millis lease, int limit) override;
  Status FinishWebhookDeliveries(const std::vector<WebhookAttempt>& attempts) override;
  Result<int64_t> PruneWebhookDeliveries(Millis before, int limit) override;
  Result<std::vector<WebhookDelivery>> ListWebhookDeliveries(const std::string& endpoint_id, const std::string& status,
                                                             int limit) override;
  Result<bool> ReplayWebhookDelivery(const std::string& delivery_id) override;

 private:
  Store& inner_;
  FaultPlan& plan_;
};

class FaultyBus final : public Bus {
 public:
  FaultyBus(Bus& inner, FaultPlan& plan) : inner_(inner), plan_(plan) {}

  Status Subscribe(const std::string& topic, const std::string& queue) override;
  Status Publish(const std::string& topic, const std::vector<OutgoingMessage>& messages) override;
  Result<std::vector<Message>> Receive(const std::string& queue, int max, std::chrono::milliseconds wait) override;
  Status Ack(const std::string& queue, const std::vector<std::string>& receipts) override;
  Status Extend(const std::string& queue, const std::vector<std::string>& receipts) override;
  Status Nack(const std::string& queue, const std::string& receipt, std::chrono::milliseconds delay,
              const std::string& error) override;
  Result<int64_t> Redrive(const std::string& queue) override;
  Result<std::vector<Message>> PeekDeadLetters(const std::string& queue, int max) override;
  Result<std::vector<QueueStats>> Stats() override;
  Result<int64_t> PurgeExpired() override;

 private:
  Bus& inner_;
  FaultPlan& plan_;
};

class FaultyMailer final : public Mailer {
 public:
  FaultyMailer(Mailer& inner, FaultPlan& plan) : inner_(inner), plan_(plan) {}
  SendResult Send(const MailMessage& message) override;  // method name "Send"
  bool DeliversRepeatsOnce() const override { return inner_.DeliversRepeatsOnce(); }

 private:
  Mailer& inner_;
  FaultPlan& plan_;
};

}  // namespace rkd::testkit
