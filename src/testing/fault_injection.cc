#include "testing/fault_injection.h"

#include <thread>

namespace rkd::testkit {

void FaultPlan::Add(const std::string& method, Fault fault) {
  std::lock_guard lock(mu_);
  if (fault.at != 0) fault.at += calls_[method];  // counted from now
  faults_[method].push_back(std::move(fault));
}

void FaultPlan::FailNth(const std::string& method, int n, Status error) {
  Add(method, Fault{Kind::kFail, n, std::move(error)});
}

void FaultPlan::FailAlways(const std::string& method, Status error) {
  Add(method, Fault{Kind::kFail, 0, std::move(error)});
}

void FaultPlan::CrashAfterNth(const std::string& method, int n) { Add(method, Fault{Kind::kCrash, n, Status()}); }

void FaultPlan::TimeOutNth(const std::string& method, int n, std::chrono::milliseconds after) {
  Add(method, Fault{Kind::kTimeOut, n, Status::Unavailable("injected: " + method + " timed out"), after});
}

void FaultPlan::Clear() {
  std::lock_guard lock(mu_);
  faults_.clear();
}

int FaultPlan::Calls(const std::string& method) const {
  std::lock_guard lock(mu_);
  auto it = calls_.find(method);
  return it == calls_.end() ? 0 : it->second;
}

std::optional<Status> FaultPlan::Before(const std::string& method) {
  std::optional<Status> error;
  std::chrono::milliseconds wait{0};
  {
    std::lock_guard lock(mu_);
    const int call = ++calls_[method];
    for (const Fault& f : faults_[method]) {
      if (f.kind == Kind::kCrash || (f.at != 0 && f.at != call)) continue;
      error = f.error;
      wait = f.wait;
      break;
    }
  }
  if (wait.count() > 0) std::this_thread::sleep_for(wait);
  return error;
}

void FaultPlan::After(const std::string& method) {
  bool crash = false;
  {
    std::lock_guard lock(mu_);
    const int call = calls_[method];
    for (const Fault& f : faults_[method])
      if (f.kind == Kind::kCrash && (f.at == 0 || f.at == call)) crash = true;
  }
  if (crash) throw InjectedCrash(method);
}

// Each wrapper method: the plan may answer instead; else the real call, then maybe a crash.
#define RKD_FORWARD(method, call)                                \
  do {                                                           \
    if (auto injected = plan_.Before(#method)) return *injected; \
    auto result = call;                                          \
    plan_.After(#method);                                        \
    return result;                                               \
  } while (false)

Result<User> FaultyStore::CreateUser(User user) { RKD_FORWARD(CreateUser, inner_.CreateUser(std::move(user))); }
Status FaultyStore::Ping() { RKD_FORWARD(Ping, inner_.Ping()); }
Result<User> FaultyStore::GetUser(const std::string& user_id) { RKD_FORWARD(GetUser, inner_.GetUser(user_id)); }
Result<User> FaultyStore::UpdateUser(const std::string& user_id, const UserPatch& patch) {
  RKD_FORWARD(UpdateUser, inner_.UpdateUser(user_id, patch));
}
Status FaultyStore::DeleteUser(const std::string& user_id) { RKD_FORWARD(DeleteUser, inner_.DeleteUser(user_id)); }
Result<Page<User>> FaultyStore::ListUsers(const UserQuery& query) { RKD_FORWARD(ListUsers, inner_.ListUsers(query)); }
Result<int64_t> FaultyStore::CountUsers() { RKD_FORWARD(CountUsers, inner_.CountUsers()); }
Result<OrderResult> FaultyStore::CreateOrder(Order order) {
  RKD_FORWARD(CreateOrder, inner_.CreateOrder(std::move(order)));
}
Result<Page<Order>> FaultyStore::ListOrders(const std::string& user_id, int limit, const std::string& cursor) {
  RKD_FORWARD(ListOrders, inner_.ListOrders(user_id, limit, cursor));
}
Result<Email> FaultyStore::GetEmail(const std::string& email_id) { RKD_FORWARD(GetEmail, inner_.GetEmail(email_id)); }
Result<Page<Email>> FaultyStore::ListEmails(const EmailQuery& query) {
  RKD_FORWARD(ListEmails, inner_.ListEmails(query));
}
Status FaultyStore::Import(std::vector<User> users, std::vector<Order> orders) {
  RKD_FORWARD(Import, inner_.Import(std::move(users), std::move(orders)));
}
Result<std::vector<ScoreRefresh>> FaultyStore::RefreshScores(const std::vector<std::string>& user_ids) {
  RKD_FORWARD(RefreshScores, inner_.RefreshScores(user_ids));
}
Result<EmailReservation> FaultyStore::ReserveEmail(const Email& draft, const std::string& trigger_id, Millis cooldown,
                                                   Millis lease) {
  RKD_FORWARD(ReserveEmail, inner_.ReserveEmail(draft, trigger_id, cooldown, lease));
}
Status FaultyStore::FinishEmail(const std::string& email_id, const std::string& status, std::optional<Millis> sent_at,
                                const std::string& error) {
  RKD_FORWARD(FinishEmail, inner_.FinishEmail(email_id, status, sent_at, error));
}
Result<std::vector<Result<EmailReservation>>> FaultyStore::ReserveEmails(const std::vector<EmailDraft>& drafts,
                                                                         Millis cooldown, Millis lease) {
  RKD_FORWARD(ReserveEmail, inner_.ReserveEmails(drafts, cooldown, lease));
}
Result<std::vector<Status>> FaultyStore::FinishEmails(const std::vector<EmailOutcome>& outcomes) {
  RKD_FORWARD(FinishEmail, inner_.FinishEmails(outcomes));
}
Result<std::vector<User>> FaultyStore::GetUsers(const std::vector<std::string>& user_ids) {
  RKD_FORWARD(GetUser, inner_.GetUsers(user_ids));
}
Result<std::vector<Email>> FaultyStore::GetEmails(const std::vector<std::string>& email_ids) {
  RKD_FORWARD(GetEmail, inner_.GetEmails(email_ids));
}
Result<std::vector<std::string>> FaultyStore::SuppressedAmong(const std::vector<std::string>& emails) {
  RKD_FORWARD(IsSuppressed, inner_.SuppressedAmong(emails));
}
Result<std::vector<User>> FaultyStore::ScanUsers(const std::string& after_user_id, int limit) {
  RKD_FORWARD(ScanUsers, inner_.ScanUsers(after_user_id, limit));
}
Result<JourneyVersion> FaultyStore::SaveJourney(const JourneyDefinition& definition, const std::string& created_by) {
  RKD_FORWARD(SaveJourney, inner_.SaveJourney(definition, created_by));
}
Result<JourneyVersion> FaultyStore::GetJourney(std::optional<int64_t> version) {
  RKD_FORWARD(GetJourney, inner_.GetJourney(version));
}
Result<std::vector<JourneyVersion>> FaultyStore::ListJourneys(int limit) {
  RKD_FORWARD(ListJourneys, inner_.ListJourneys(limit));
}
Result<std::vector<Episode>> FaultyStore::LatestEpisodes(const std::vector<std::string>& user_ids) {
  RKD_FORWARD(LatestEpisodes, inner_.LatestEpisodes(user_ids));
}
Status FaultyStore::StartEpisodes(const std::vector<Episode>& episodes) {
  RKD_FORWARD(StartEpisodes, inner_.StartEpisodes(episodes));
}
Status FaultyStore::EndEpisodes(const std::vector<EpisodeEnd>& ends) {
  RKD_FORWARD(EndEpisodes, inner_.EndEpisodes(ends));
}
Status FaultyStore::DeferEpisodes(const std::vector<EpisodeEnd>& deferrals) {
  RKD_FORWARD(DeferEpisodes, inner_.DeferEpisodes(deferrals));
}
Result<std::vector<DueEpisode>> FaultyStore::DueEpisodes(Millis now, Millis after_due, const std::string& after_id,
                                                         int limit) {
  RKD_FORWARD(DueEpisodes, inner_.DueEpisodes(now, after_due, after_id, limit));
}
// Counts as "IsSuppressed", as SuppressedAmong: a plan that fails the suppression check fails both.
Result<std::vector<Suppression>> FaultyStore::SuppressionsAmong(const std::vector<std::string>& emails) {
  RKD_FORWARD(IsSuppressed, inner_.SuppressionsAmong(emails));
}
Result<std::vector<ClientOrders>> FaultyStore::ScanClientOrders(const std::string& after_user_id, Millis until,
                                                                int limit) {
  RKD_FORWARD(ScanClientOrders, inner_.ScanClientOrders(after_user_id, until, limit));
}
Status FaultyStore::SaveModelFit(const ModelFitRecord& fit) { RKD_FORWARD(SaveModelFit, inner_.SaveModelFit(fit)); }
Result<std::optional<ModelFitRecord>> FaultyStore::LatestModelFit() {
  RKD_FORWARD(LatestModelFit, inner_.LatestModelFit());
}
Status FaultyStore::SavePredictions(const std::vector<ClientPredictionRecord>& rows) {
  RKD_FORWARD(SavePredictions, inner_.SavePredictions(rows));
}
Result<int64_t> FaultyStore::DeletePredictionsNotOf(const std::string& fit_id) {
  RKD_FORWARD(DeletePredictionsNotOf, inner_.DeletePredictionsNotOf(fit_id));
}
Result<std::vector<ClientPredictionRecord>> FaultyStore::PredictionsOf(const std::vector<std::string>& user_ids) {
  RKD_FORWARD(PredictionsOf, inner_.PredictionsOf(user_ids));
}
Result<std::vector<ClientPredictionRecord>> FaultyStore::PredictionsBetween(const std::string& after_user_id,
                                                                            const std::string& last_user_id) {
  RKD_FORWARD(PredictionsBetween, inner_.PredictionsBetween(after_user_id, last_user_id));
}
Result<int64_t> FaultyStore::ImportRows(ImportFeed& feed, const ImportWriteOptions& options) {
  RKD_FORWARD(ImportRows, inner_.ImportRows(feed, options));
}
Result<User> FaultyStore::GetUserByExternalId(const std::string& external_id) {
  RKD_FORWARD(GetUser, inner_.GetUserByExternalId(external_id));
}
Status FaultyStore::SaveImportJob(const ImportJob& job) { RKD_FORWARD(SaveImportJob, inner_.SaveImportJob(job)); }
Result<ImportJob> FaultyStore::GetImportJob(const std::string& import_id) {
  RKD_FORWARD(GetImportJob, inner_.GetImportJob(import_id));
}
Result<std::vector<ImportJob>> FaultyStore::ListImportJobs(int limit) {
  RKD_FORWARD(ListImportJobs, inner_.ListImportJobs(limit));
}
Result<std::vector<Order>> FaultyStore::ScanOrders(const std::string& after_order_id, int limit) {
  RKD_FORWARD(ScanOrders, inner_.ScanOrders(after_order_id, limit));
}
Result<bool> FaultyStore::RecordHookDelivery(const HookDelivery& delivery) {
  RKD_FORWARD(RecordHookDelivery, inner_.RecordHookDelivery(delivery));
}
Result<std::vector<HookDelivery>> FaultyStore::ClaimHookDeliveries(Millis lease, int limit) {
  RKD_FORWARD(ClaimHookDeliveries, inner_.ClaimHookDeliveries(lease, limit));
}
Status FaultyStore::FinishHookDelivery(const std::string& hook_id, const std::string& status,
                                       const std::string& error) {
  RKD_FORWARD(FinishHookDelivery, inner_.FinishHookDelivery(hook_id, status, error));
}
Result<std::vector<HookDelivery>> FaultyStore::ListHookDeliveries(const std::string& source, int limit) {
  RKD_FORWARD(ListHookDeliveries, inner_.ListHookDeliveries(source, limit));
}
Result<std::optional<ShopSyncState>> FaultyStore::BeginShopSync(const std::string& source, const std::string& trigger,
                                                                Millis lease) {
  RKD_FORWARD(BeginShopSync, inner_.BeginShopSync(source, trigger, lease));
}
Status FaultyStore::SaveShopSync(const ShopSyncState& state) { RKD_FORWARD(SaveShopSync, inner_.SaveShopSync(state)); }
Result<std::vector<ShopSyncState>> FaultyStore::ListShopSyncs() { RKD_FORWARD(ListShopSyncs, inner_.ListShopSyncs()); }
Result<MessageVersion> FaultyStore::SaveMessage(const MessageVersion& message,
                                                std::optional<int64_t> expected_version) {
  RKD_FORWARD(SaveMessage, inner_.SaveMessage(message, expected_version));
}
Result<MessageVersion> FaultyStore::GetMessage(const std::string& name, std::optional<int64_t> version) {
  RKD_FORWARD(GetMessage, inner_.GetMessage(name, version));
}
Result<std::vector<MessageVersion>> FaultyStore::ListMessages() { RKD_FORWARD(ListMessages, inner_.ListMessages()); }
Result<std::vector<MessageVersion>> FaultyStore::MessageHistory(const std::string& name, int limit) {
  RKD_FORWARD(MessageHistory, inner_.MessageHistory(name, limit));
}
Status FaultyStore::CreateExperiment(const Experiment& experiment) {
  RKD_FORWARD(CreateExperiment, inner_.CreateExperiment(experiment));
}
Result<Experiment> FaultyStore::GetExperiment(const std::string& experiment_id) {
  RKD_FORWARD(GetExperiment, inner_.GetExperiment(experiment_id));
}
Result<std::vector<Experiment>> FaultyStore::ListExperiments() {
  RKD_FORWARD(ListExperiments, inner_.ListExperiments());
}
Result<std::optional<Experiment>> FaultyStore::RunningExperiment() {
  RKD_FORWARD(RunningExperiment, inner_.RunningExperiment());
}
Status FaultyStore::StopExperiment(const std::string& experiment_id) {
  RKD_FORWARD(StopExperiment, inner_.StopExperiment(experiment_id));
}
Result<bool> FaultyStore::ReplanExperiment(const std::string& experiment_id, Millis planned_at,
                                           const ExperimentAllocation& allocation) {
  RKD_FORWARD(ReplanExperiment, inner_.ReplanExperiment(experiment_id, planned_at, allocation));
}
Status FaultyStore::MarkPromoted(const std::string& experiment_id, int variant) {
  RKD_FORWARD(MarkPromoted, inner_.MarkPromoted(experiment_id, variant));
}
Result<std::vector<ExperimentAllocation>> FaultyStore::ExperimentAllocations(const std::string& experiment_id) {
  RKD_FORWARD(ExperimentAllocations, inner_.ExperimentAllocations(experiment_id));
}
Result<std::vector<ExperimentVariantTotals>> FaultyStore::ExperimentTotals(const std::string& experiment_id,
                                                                           int variants) {
  RKD_FORWARD(ExperimentTotals, inner_.ExperimentTotals(experiment_id, variants));
}
Result<Order> FaultyStore::GetOrderByExternalId(const std::string& external_id) {
  RKD_FORWARD(GetOrderByExternalId, inner_.GetOrderByExternalId(external_id));
}
Status FaultyStore::CreateWebhookEndpoint(const WebhookEndpoint& endpoint) {
  RKD_FORWARD(CreateWebhookEndpoint, inner_.CreateWebhookEndpoint(endpoint));
}
Result<std::vector<WebhookEndpoint>> FaultyStore::ListWebhookEndpoints() {
  RKD_FORWARD(ListWebhookEndpoints, inner_.ListWebhookEndpoints());
}
Result<bool> FaultyStore::DeleteWebhookEndpoint(const std::string& endpoint_id) {
  RKD_FORWARD(DeleteWebhookEndpoint, inner_.DeleteWebhookEndpoint(endpoint_id));
}
Result<std::vector<WebhookDelivery>> FaultyStore::ClaimWebhookDeliveries(Millis lease, int limit) {
  RKD_FORWARD(ClaimWebhookDeliveries, inner_.ClaimWebhookDeliveries(lease, limit));
}
Status FaultyStore::FinishWebhookDeliveries(const std::vector<WebhookAttempt>& attempts) {
  RKD_FORWARD(FinishWebhookDeliveries, inner_.FinishWebhookDeliveries(attempts));
}
Result<int64_t> FaultyStore::PruneWebhookDeliveries(Millis before, int limit) {
  RKD_FORWARD(PruneWebhookDeliveries, inner_.PruneWebhookDeliveries(before, limit));
}
Result<std::vector<WebhookDelivery>> FaultyStore::ListWebhookDeliveries(const std::string& endpoint_id,
                                                                        const std::string& status, int limit) {
  RKD_FORWARD(ListWebhookDeliveries, inner_.ListWebhookDeliveries(endpoint_id, status, limit));
}
Result<bool> FaultyStore::ReplayWebhookDelivery(const std::string& delivery_id) {
  RKD_FORWARD(ReplayWebhookDelivery, inner_.ReplayWebhookDelivery(delivery_id));
}
Result<bool> FaultyStore::IsSuppressed(const std::string& email) {
  RKD_FORWARD(IsSuppressed, inner_.IsSuppressed(email));
}
Status FaultyStore::Suppress(const std::string& email, const std::string& reason) {
  RKD_FORWARD(Suppress, inner_.Suppress(email, reason));
}
Status FaultyStore::Unsuppress(const std::string& email) { RKD_FORWARD(Unsuppress, inner_.Unsuppress(email)); }
Result<Page<Suppression>> FaultyStore::ListSuppressions(const SuppressionQuery& query) {
  RKD_FORWARD(ListSuppressions, inner_.ListSuppressions(query));
}
Result<int64_t> FaultyStore::CountSuppressions(const std::string& search) {
  RKD_FORWARD(CountSuppressions, inner_.CountSuppressions(search));
}
Result<std::optional<Suppression>> FaultyStore::GetSuppression(const std::string& email) {
  RKD_FORWARD(GetSuppression, inner_.GetSuppression(email));
}
Result<std::map<std::string, ClientFacts>> FaultyStore::FactsOf(const std::vector<User>& users) {
  RKD_FORWARD(FactsOf, inner_.FactsOf(users));
}
Result<ClientHistory> FaultyStore::History(const std::string& user_id, int limit) {
  RKD_FORWARD(History, inner_.History(user_id, limit));
}
Result<int64_t> FaultyStore::CountEmails(const EmailQuery& query) {
  RKD_FORWARD(CountEmails, inner_.CountEmails(query));
}
Status FaultyStore::RecordHoldout(const std::string& user_id, const std::string& trigger_id, double score,
                                  const std::string& targeting_rule, Millis cooldown) {
  RKD_FORWARD(RecordHoldout, inner_.RecordHoldout(user_id, trigger_id, score, targeting_rule, cooldown));
}
Result<Email> FaultyStore::RecordEmailEvent(const std::string& email_id, const std::string& type,
                                            const std::string& url) {
  RKD_FORWARD(RecordEmailEvent, inner_.RecordEmailEvent(email_id, type, url));
}
Result<EffectivenessFigures> FaultyStore::Effectiveness(int days) {
  RKD_FORWARD(Effectiveness, inner_.Effectiveness(days));
}
Result<StoreMetrics> FaultyStore::Metrics(double threshold) { RKD_FORWARD(Metrics, inner_.Metrics(threshold)); }
Result<DeliveryFailures> FaultyStore::RecentDeliveryFailures(Millis since) {
  RKD_FORWARD(RecentDeliveryFailures, inner_.RecentDeliveryFailures(since));
}
Result<std::vector<UserChange>> FaultyStore::ReadChanges(int64_t after_seq, int limit) {
  RKD_FORWARD(ReadChanges, inner_.ReadChanges(after_seq, limit));
}
Result<int64_t> FaultyStore::GetCheckpoint(const std::string& name) {
  RKD_FORWARD(GetCheckpoint, inner_.GetCheckpoint(name));
}
Status FaultyStore::SetCheckpoint(const std::string& name, int64_t seq) {
  RKD_FORWARD(SetCheckpoint, inner_.SetCheckpoint(name, seq));
}
Result<int64_t> FaultyStore::LatestChangeSeq() { RKD_FORWARD(LatestChangeSeq, inner_.LatestChangeSeq()); }
Result<int64_t> FaultyStore::PruneChanges(int64_t below_seq, Millis retention, int limit) {
  RKD_FORWARD(PruneChanges, inner_.PruneChanges(below_seq, retention, limit));
}
Result<std::vector<SettingRow>> FaultyStore::GetSettings() { RKD_FORWARD(GetSettings, inner_.GetSettings()); }
Status FaultyStore::PutSettings(const std::vector<std::pair<std::string, std::string>>& values, const std::string& by,
                                bool only_if_absent) {
  RKD_FORWARD(PutSettings, inner_.PutSettings(values, by, only_if_absent));
}
Result<SendBudget> FaultyStore::TakeSendBudget(const std::vector<SendPeriod>& periods, int64_t wanted,
                                               Millis prune_before) {
  RKD_FORWARD(TakeSendBudget, inner_.TakeSendBudget(periods, wanted, prune_before));
}
Result<std::vector<int64_t>> FaultyStore::SendCounts(const std::vector<std::string>& period_keys) {
  RKD_FORWARD(SendCounts, inner_.SendCounts(period_keys));
}

Status FaultyBus::Subscribe(const std::string& topic, const std::string& queue) {
  RKD_FORWARD(Subscribe, inner_.Subscribe(topic, queue));
}
Status FaultyBus::Publish(const std::string& topic, const std::vector<OutgoingMessage>& messages) {
  RKD_FORWARD(Publish, inner_.Publish(topic, messages));
}
Result<std::vector<Message>> FaultyBus::Receive(const std::string& queue, int max, std::chrono::milliseconds wait) {
  RKD_FORWARD(Receive, inner_.Receive(queue, max, wait));
}
Status FaultyBus::Ack(const std::string& queue, const std::vector<std::string>& receipts) {
  RKD_FORWARD(Ack, inner_.Ack(queue, receipts));
}
Status FaultyBus::Extend(const std::string& queue, const std::vector<std::string>& receipts) {
  RKD_FORWARD(Extend, inner_.Extend(queue, receipts));
}
Status FaultyBus::Nack(const std::string& queue, const std::string& receipt, std::chrono::milliseconds delay,
                       const std::string& error) {
  RKD_FORWARD(Nack, inner_.Nack(queue, receipt, delay, error));
}
Result<int64_t> FaultyBus::Redrive(const std::string& queue) { RKD_FORWARD(Redrive, inner_.Redrive(queue)); }
Result<std::vector<Message>> FaultyBus::PeekDeadLetters(const std::string& queue, int max) {
  RKD_FORWARD(PeekDeadLetters, inner_.PeekDeadLetters(queue, max));
}
Result<std::vector<QueueStats>> FaultyBus::Stats() { RKD_FORWARD(Stats, inner_.Stats()); }
Result<int64_t> FaultyBus::PurgeExpired() { RKD_FORWARD(PurgeExpired, inner_.PurgeExpired()); }

#undef RKD_FORWARD

SendResult FaultyMailer::Send(const MailMessage& message) {
  if (auto injected = plan_.Before("Send"))
    return {injected->code() == Code::kUnavailable ? SendResult::Outcome::kRetryable : SendResult::Outcome::kPermanent,
            injected->message()};
  SendResult result = inner_.Send(message);
  plan_.After("Send");
  return result;
}

}  // namespace rkd::testkit
