// Store: where clients, orders, emails and the change stream live.
//
// Contract (checked by store/store_contract_test.cc against every implementation):
// - Every user write that the pipeline can act on (create, update, order, delete, the
//   seed's Import) appends one record to the change stream in the same transaction (but
//   ImportRows, a shop's history, which records none: see there), with a strictly
//   increasing seq; nothing can write such a change without its record. A write that
//   changes only the fields the pipeline writes itself (engagementScore, lastEmailDate,
//   updatedAt: a score refresh, an email reservation) records nothing, since the stream
//   processor would never publish it (DiffersOutsidePipelineFields). A MODIFY record
//   keeps the new image whole and the old one as the fields that differ (see
//   table_rows.h); ReadChanges gives both images whole.
// - Every user write recomputes engagementScore with the store's ScoreRules and Clock, so
//   a stored score is never stale for the data stored beside it.
// - Errors: NotFound for an unknown id, AlreadyExists (field "email") for a duplicate
//   email (field "externalId" for an order's differing duplicate), InvalidArgument (field "cursor") for a cursor that
//   is not ours, Unavailable for a transient fault (busy database), Internal otherwise. A failed call writes nothing.
// Implementations are thread-safe: one instance serves every thread of a process, and
// several processes may share one database.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "domain/email.h"
#include "domain/experiment.h"
#include "domain/hook_delivery.h"
#include "domain/import_rows.h"
#include "domain/journey.h"
#include "domain/message.h"
#include "domain/order.h"
#include "domain/shop_settings.h"
#include "domain/shop_sync.h"
#include "domain/user.h"
#include "domain/user_change.h"
#include "domain/webhook.h"

namespace rkd {

struct StoreOptions {
  Millis attribution_window = 7 * kMillisPerDay;  // an order this soon after an email converts it
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::string next_cursor;  // empty on the last page
};

// kChurnProbability (issue 11) lists only the clients that have a prediction.
enum class UserSort { kCreatedAt, kScore, kLastOrderDate, kName, kChurnProbability };

struct UserQuery {
  int limit = 50;
  std::string cursor;  // opaque, from a previous page with the same sort and filters
  UserSort sort = UserSort::kCreatedAt;
  bool descending = true;
  std::optional<double> score_below;  // "at risk": engagementScore < this
  std::string search;                 // case-insensitive substring of name or email
  // A client state (issue 16): "" (any), suppressed (their address is on the suppression
  // list), heldOut (they have a holdout record), neverOrdered (no order), lapsed (an
  // order once; with score_below: at risk now), inEpisode (a journey episode runs).
  std::string state;
  // Issue 11: only the clients whose predicted churn probability is at least this (and
  // who have a prediction).
  std::optional<double> min_churn_probability;
};

struct EmailQuery {
  int limit = 50;
  std::string cursor;
  std::string user_id;  // empty: every user
  std::string status;   // empty: every status
  // Issue 16's filters: created in [from, to); a case-insensitive substring of the
  // subject or of the client's name or email.
  std::optional<Millis> from, to;
  std::string search;
  std::optional<int> step;  // the journey step (1..N)
};

// The suppression list's page: newest first, optionally the addresses containing `search`.
struct SuppressionQuery {
  int limit = 50;
  std::string cursor;
  std::string search;
};

// A user and the order that changed it, as CreateOrder returns them.
struct OrderResult {
  Order order;
  User user;
  bool replayed = false;  // the order existed (same externalId, same order): nothing was written
};

// A user after a score refresh, with the score stored before it.
struct ScoreRefresh {
  User user;
  double old_score = 0;
};

// What ReserveEmail decided.
struct EmailReservation {
  enum class Outcome {
    kReserved,  // the draft is stored (GENERATED) and lastEmailDate set: send it
    kExisting,  // an email with this id exists (a redelivered trigger): `email` is it
    kCooldown,  // the user got another email within the cooldown: send nothing
    kClaimed,   // an email with this id is being sent by another delivery (its lease runs): try later
  };
  Outcome outcome = Outcome::kReserved;
  Email email;
};

// One email of a batch to reserve (ReserveEmails): the draft and the event that caused it.
struct EmailDraft {
  Email draft;
  std::string trigger_id;
  // The journey episode as it stands once this email is reserved (its step, when the
  // next is due, or its end after the last step): written with the email, in its
  // transaction, and only when the email is new (kReserved). Absent: an email outside
  // any journey.
  std::optional<Episode> episode;
};

// One sent (or failed) email of a batch to record (FinishEmails), as FinishEmail takes it.
struct EmailOutcome {
  std::string email_id;
  std::string status;  // SENT, FAILED, or GENERATED with a temporary error
  std::optional<Millis> sent_at;
  std::string error;
};

// The dashboard's figures. They come from counters the store keeps as it writes, so
// reading them costs the same at any size. "Last N days" is today and the N − 1 days
// before it (UTC), as the daily chart counts them.
struct StoreMetrics {
  int64_t users = 0;
  int64_t at_risk = 0;
  double average_score = 0;
  int64_t score_histogram[10] = {};  // buckets [0,10) … [90,100]
  int64_t emails_total = 0;
  int64_t emails_last_7_days = 0;
  int64_t emails_last_30_days = 0;
  std::vector<std::pair<std::string, int64_t>> emails_by_status;
  std::vector<std::pair<Millis, int64_t>> emails_per_day;  // day start (UTC), count; last 30 days
};

// Failed deliveries in a recent window (Store::RecentDeliveryFailures).
struct DeliveryFailures {
  int64_t count = 0;
  // The newest failure (empty email_id: none): its email, client, the server's reply or
  // the last error, and the email's creation time.
  std::string email_id, user_id, error;
  Millis at = 0;
};

struct Suppression {
  std::string email;
  std::string reason;  // unsubscribed, bounced, complained, manual
  Millis created_at = 0;
};

// What a client's badges need beyond the user row (GET /api/users' `state`): their
// address's suppression, their latest holdout record, their latest email when it failed.
struct ClientFacts {
  std::optional<Suppression> suppression;
  std::optional<Millis> held_out_at;
  std::optional<std::pair<std::string, Millis>> failed;  // the server's reply, when
};

// One client's history, the newest `limit` of each kind (GET /api/users/:id/timeline).
struct EmailSummary {
  std::string email_id, subject, status, error;
  Millis created_at = 0;
  std::optional<Millis> sent_at, opened_at, clicked_at, converted_at;
  std::optional<double> conversion_revenue;
  double score_at_time = 0;
  std::optional<int64_t> step;  // its journey step, when it has one
};
struct EmailEventRecord {
  std::string email_id, type, url;  // type: open or click
  Millis at = 0;
};
struct HoldoutRecord {
  Millis at = 0;
  double score = 0;
};
struct ClientHistory {
  std::vector<Order> orders;
  std::vector<EmailSummary> emails;
  std::vector<EmailEventRecord> events;
  std::vector<HoldoutRecord> holdouts;
  std::optional<Suppression> suppression;
};

// A group in the lift comparison: clients emailed, or held out.
struct LiftGroup {
  int64_t clients = 0;
  int64_t converted = 0;
  double revenue = 0;
};

struct DailyEffect {
  Millis day = 0;  // start of the UTC day
  int64_t sent = 0, opened = 0, clicked = 0, converted = 0;
  double revenue = 0;
};

// A journey step's emails (delivered) and how many of them converted.
struct StepEffect {
  int step = 0;
  int64_t sent = 0, converted = 0;
};

// One open episode whose next step is due (the due scan's row).
struct DueEpisode {
  std::string episode_id;
  std::string user_id;
  int step = 0;  // sent so far: step + 1 is due
  Millis next_due_at = 0;
};

// An episode's end (EndEpisodes) or a later due time (DeferEpisodes).
struct EpisodeEnd {
  std::string episode_id;
  std::string reason;
  Millis at = 0;
};

// Both groups of the clients one targeting rule chose (issue 11): "score", "churn", "score+churn".
struct RuleLift {
  std::string rule;
  LiftGroup emailed, held_out;
};

// The raw figures behind GET /api/effectiveness, over the last `days` days.
struct EffectivenessFigures {
  int64_t sent = 0, delivered = 0, failed = 0, opened = 0, clicked = 0, converted = 0;
  double revenue = 0;
  int64_t unsubscribes = 0, bounces = 0, complaints = 0;
  LiftGroup emailed, held_out;
  std::vector<DailyEffect> daily;   // one per day, oldest first
  std::vector<StepEffect> by_step;  // the journey's steps that sent an email, by step
  std::vector<RuleLift> by_rule;    // by targeting rule, in the rules' name order
};

// One period of the send budget (the sending controls' daily cap or hourly rate): its
// key ("day:2026-03-29", "hour:492113"), when it started, and its cap (nullopt: counted,
// not capped).
struct SendPeriod {
  std::string key;
  Millis start = 0;
  std::optional<int64_t> cap;
};

// What TakeSendBudget admitted, and each period's count after it.
struct SendBudget {
  int64_t granted = 0;
  std::vector<int64_t> sent;
};

// Imports (issue 10). A batch of rows of one kind, as the import's second pass gives
// them, and what became of each.
struct ImportBatch {
  std::vector<ClientRow> clients;
  std::vector<OrderRow> orders;
  // An orders file's figures per client key (ClientKeyOf), the whole file's: a client
  // the import creates is written with them at once (else its figures are refreshed at
  // the end). Null: none known.
  const std::unordered_map<std::string, ClientTotals>* totals = nullptr;
};
enum class ImportOutcome { kImported, kUpdated, kUnchanged, kRejected };
struct ImportBatchResult {
  std::vector<ImportOutcome> outcomes;  // one per row, in the batch's order
  std::vector<RowError> rejects;        // the rows the store refused (an address another client has…)
  int64_t clients_created = 0;          // by orders naming clients the store did not have
};
// Where Store::ImportRows takes its batches from, and tells what it wrote.
class ImportFeed {
 public:
  virtual ~ImportFeed() = default;
  // The next batch; nullopt at the end.
  virtual Result<std::optional<ImportBatch>> Next() = 0;
  // After each batch is written (committed, or inside a dry run's transaction).
  virtual void Written(const ImportBatch& batch, const ImportBatchResult& result) = 0;
  // As the derived fields of clients whose orders changed are refreshed, the count so far.
  virtual void Refreshed(int64_t clients) = 0;
};
struct ImportWriteOptions {
  bool dry_run = false;        // one transaction for everything, rolled back at the end
  bool stop_on_reject = true;  // a row the store refuses fails the call (its batch is not written)
  double at_risk_below = 40;   // the at-risk bound of the count returned
};
// An import job started through the API: its state and its JSON (GET /api/imports/:id).
struct ImportJob {
  std::string import_id;
  std::string status;  // running, done, failed
  std::string detail;  // the job's JSON: options, figures, first rejected rows
  std::string created_by;
  Millis started_at = 0;
  std::optional<Millis> finished_at;
};

// Churn and value models (issue 11). One client's non-cancelled orders, oldest first, as
// the model's summaries read them (ScanClientOrders).
struct ClientOrders {
  std::string user_id;
  std::string external_id;                        // the shop's customer id; empty when it gave none
  std::vector<std::pair<Millis, double>> orders;  // (order_date, total_value), by date
};
// A stored model fit: the purchase model's parameters (and the spend model's, when it
// was fitted) as JSON, its figures, and the diagnostics (repeat orders, actual against
// expected, by the number of past orders) as JSON.
struct ModelFitRecord {
  std::string fit_id;
  std::string model;   // bgnbd, paretonbd
  std::string unit;    // days, weeks
  Millis until = 0;    // midnight UTC of the last calibration day
  std::string params;  // JSON object
  double log_likelihood = 0;
  int64_t clients = 0;
  int64_t iterations = 0;
  double seconds = 0;
  bool converged = true;
  std::string diagnostics;  // JSON
  Millis fitted_at = 0;
};
// One client's prediction from a fit (a refit replaces it).
struct ClientPredictionRecord {
  std::string user_id;
  std::string fit_id;
  double p_alive = 0;
  double churn_probability = 0;
  double expected_orders = 0;
  std::optional<Millis> next_order_at;    // absent: more likely never
  std::optional<double> predicted_value;  // absent: no spend model
  Millis computed_at = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // A cheap call that needs the database: ok when it answers now, Unavailable when it
  // cannot be reached. The email workers probe it while the store is away, and receive
  // again only once it answers (docs/invariants.md, "Failures").
  virtual Status Ping() { return GetCheckpoint("ping").status(); }

  // Users. CreateUser fills createdAt, updatedAt and engagementScore (and userId when
  // empty) and returns the stored user.
  virtual Result<User> CreateUser(User user) = 0;
  virtual Result<User> GetUser(const std::string& user_id) = 0;
  virtual Result<User> UpdateUser(const std::string& user_id, const UserPatch& patch) = 0;
  // Removes the user with their orders and emails.
  virtual Status DeleteUser(const std::string& user_id) = 0;
  virtual Result<Page<User>> ListUsers(const UserQuery& query) = 0;
  virtual Result<int64_t> CountUsers() = 0;

  // Orders. Stores the order and, in the same transaction, moves the user's
  // lastOrderDate (to the later of the two), orderCount and averageOrderValue.
  // An order's externalId (when not empty) is unique in the store and makes the call
  // idempotent: when an order with it exists and IsSameOrder holds, the stored order and
  // the current user come back with `replayed` set and nothing is written (no order, no
  // statistics, no change record); when it differs, AlreadyExists on "externalId". The
  // decision is taken by the unique index inside the transaction, so two concurrent
  // calls with one externalId store exactly one order.
  virtual Result<OrderResult> CreateOrder(Order order) = 0;
  virtual Result<Page<Order>> ListOrders(const std::string& user_id, int limit, const std::string& cursor) = 0;

  // Emails, newest first.
  virtual Result<Email> GetEmail(const std::string& email_id) = 0;
  virtual Result<Page<Email>> ListEmails(const EmailQuery& query) = 0;

  // Bulk load (the `seed` command): users and their orders in one transaction, users'
  // derived fields taken as given, scores computed, one INSERT change per user.
  virtual Status Import(std::vector<User> users, std::vector<Order> orders) = 0;

  // Imports (issue 10). ImportRows writes every batch `feed` gives, each in its own
  // transaction: clients are matched by externalId, else by email (without case), and
  // inserted or updated; orders find their client by userId, clientExternalId or email
  // (creating one the store lacks, under a placeholder address when none is given) and
  // are matched by externalId: a new one is inserted, a differing one updated, an equal
  // one left alone. Then every client whose orders changed gets orderCount, totalSpent,
  // averageOrderValue, firstOrderDate, lastOrderDate and the score recomputed from all of
  // their orders (exact, whatever order they came in), in transactions of their own;
  // clients marked by an import that stopped before this step are refreshed too. Nothing
  // is appended to the change stream: an import emails no one by itself. New orders are
  // attributed to emails as CreateOrder does. Returns the clients at risk once done. A row
  // the store refuses fails the call with InvalidArgument naming its line (its batch
  // unwritten) under `stop_on_reject`, else it is reported in the batch's result.
  virtual Result<int64_t> ImportRows(ImportFeed& feed, const ImportWriteOptions& options) = 0;
  // The client with the shop's customer id; NotFound otherwise.
  virtual Result<User> GetUserByExternalId(const std::string& external_id) = 0;
  // Import jobs: SaveImportJob inserts or replaces one; ListImportJobs the newest first.
  virtual Status SaveImportJob(const ImportJob& job) = 0;
  virtual Result<ImportJob> GetImportJob(const std::string& import_id) = 0;
  virtual Result<std::vector<ImportJob>> ListImportJobs(int limit) = 0;
  // Export (issue 10): up to `limit` orders with order_id > after_order_id, in order_id
  // order (the whole table, page by page); emails likewise by email_id.
  virtual Result<std::vector<Order>> ScanOrders(const std::string& after_order_id, int limit) = 0;

  // Shop webhooks (issue 17). Stores a verified delivery as pending; false when one with
  // the same (source, delivery_id) is already stored (the platform delivered it again).
  virtual Result<bool> RecordHookDelivery(const HookDelivery& delivery) = 0;
  // Up to `limit` pending deliveries, oldest first, leased to the caller until
  // now + `lease` (a process that dies while applying them leaves them to another after
  // the lease); each claim counts an attempt.
  virtual Result<std::vector<HookDelivery>> ClaimHookDeliveries(Millis lease, int limit) = 0;
  // Records what became of a claimed delivery: applied, ignored or failed (final), or
  // pending again (to be retried after its lease), with `error` saying why.
  virtual Status FinishHookDelivery(const std::string& hook_id, const std::string& status,
                                    const std::string& error) = 0;
  // The newest deliveries first, without their bodies; `source` empty: every source.
  virtual Result<std::vector<HookDelivery>> ListHookDeliveries(const std::string& source, int limit) = 0;
  // The order with the shop's order number `external_id` (NotFound when none).
  virtual Result<Order> GetOrderByExternalId(const std::string& external_id) = 0;

  // Reconciliation with a shop's REST API (issue 17). Begins a run of `source`'s sync:
  // the platform's state with its cursors, running and leased to the caller until
  // now + `lease`; nullopt while another run's lease holds.
  virtual Result<std::optional<ShopSyncState>> BeginShopSync(const std::string& source, const std::string& trigger,
                                                             Millis lease) = 0;
  // Writes a run's state as it goes (after each page) and as it ends.
  virtual Status SaveShopSync(const ShopSyncState& state) = 0;
  // Every platform synced at least once, by source.
  virtual Result<std::vector<ShopSyncState>> ListShopSyncs() = 0;

  // Messages (issue 12; domain/message.h), every version kept. SaveMessage stores a new
  // version of `message.name` (its highest + 1, 1 for a new name; createdAt by the store's
  // clock) and returns it; with `expected_version` it is refused (FailedPrecondition,
  // field baseVersion) unless that is the name's highest now: someone saved in between.
  // GetMessage: the newest version or the given one (NotFound when not stored);
  // ListMessages: the newest version of each name; MessageHistory: a name's versions,
  // newest first, without their templates.
  virtual Result<MessageVersion> SaveMessage(const MessageVersion& message,
                                             std::optional<int64_t> expected_version) = 0;
  virtual Result<MessageVersion> GetMessage(const std::string& name, std::optional<int64_t> version) = 0;
  virtual Result<std::vector<MessageVersion>> ListMessages() = 0;
  virtual Result<std::vector<MessageVersion>> MessageHistory(const std::string& name, int limit) = 0;

  // Experiments (issue 12; domain/experiment.h). CreateExperiment stores a running one with
  // its first allocation; AlreadyExists (field "status") while another runs. Get: NotFound
  // for an unknown id; List: newest first; Running: the one running, if any.
  // StopExperiment: FailedPrecondition (field "status") unless it runs. ReplanExperiment
  // sets a new plan and records it, only when the plan is still the one set at
  // `planned_at` (false otherwise: another process re-planned first). MarkPromoted records
  // which variant became the message. ExperimentTotals: each variant's recipients,
  // one grouped read, `variants` entries (zeros for a variant with none yet); a client
  // emailed twice in one variant counts once.
  virtual Status CreateExperiment(const Experiment& experiment) = 0;
  virtual Result<Experiment> GetExperiment(const std::string& experiment_id) = 0;
  virtual Result<std::vector<Experiment>> ListExperiments() = 0;
  virtual Result<std::optional<Experiment>> RunningExperiment() = 0;
  virtual Status StopExperiment(const std::string& experiment_id) = 0;
  virtual Result<bool> ReplanExperiment(const std::string& experiment_id, Millis planned_at,
                                        const ExperimentAllocation& allocation) = 0;
  virtual Status MarkPromoted(const std::string& experiment_id, int variant) = 0;
  virtual Result<std::vector<ExperimentAllocation>> ExperimentAllocations(const std::string& experiment_id) = 0;
  virtual Result<std::vector<ExperimentVariantTotals>> ExperimentTotals(const std::string& experiment_id,
                                                                        int variants) = 0;

  // Outgoing webhooks (issue 17). The store itself writes a pending delivery for each
  // subscribed endpoint in the transaction of the change it reports (an email SENT,
  // opened, clicked or converted; an address suppressed as unsubscribed, bounced or
  // complained; an episode or holdout begun; an episode ended): see 0017_webhooks.sql.
  virtual Status CreateWebhookEndpoint(const WebhookEndpoint& endpoint) = 0;
  // The endpoints not deleted, oldest first, with their secrets (for the sender only).
  virtual Result<std::vector<WebhookEndpoint>> ListWebhookEndpoints() = 0;
  // False when no endpoint has the id (or it was deleted already). Its deliveries stay.
  virtual Result<bool> DeleteWebhookEndpoint(const std::string& endpoint_id) = 0;
  // Up to `limit` pending deliveries due now, the longest due first, leased to the
  // caller until now + `lease` (a process that dies while sending leaves them to another
  // after the lease); each claim counts an attempt. Each with its endpoint's url and
  // secret, both empty when the endpoint was deleted.
  virtual Result<std::vector<WebhookDelivery>> ClaimWebhookDeliveries(Millis lease, int limit) = 0;
  // What a batch of attempts came to, in one transaction.
  virtual Status FinishWebhookDeliveries(const std::vector<WebhookAttempt>& attempts) = 0;
  // Deletes up to `limit` delivered or dead deliveries of events before `before` (the
  // delivery ids begin with their event's time); how many.
  virtual Result<int64_t> PruneWebhookDeliveries(Millis before, int limit) = 0;
  // The newest first; `endpoint_id` or `status` empty: any.
  virtual Result<std::vector<WebhookDelivery>> ListWebhookDeliveries(const std::string& endpoint_id,
                                                                     const std::string& status, int limit) = 0;
  // A dead or delivered delivery made pending again, due now, its attempts reset; false
  // when none has the id, it is pending already, or its endpoint was deleted.
  virtual Result<bool> ReplayWebhookDelivery(const std::string& delivery_id) = 0;

  // Pipeline. RefreshScores recomputes the score of each user (as of now) and stores
  // it where it changed; unknown ids are skipped.
  virtual Result<std::vector<ScoreRefresh>> RefreshScores(const std::vector<std::string>& user_ids) = 0;
  // Atomically: returns the existing email with draft.email_id if there is one; else,
  // when the user's lastEmailDate is within `cooldown`, kCooldown; else stores the draft
  // (status GENERATED) and sets the user's lastEmailDate to draft.generated_at. NotFound
  // when the user is gone. `trigger_id` records which event caused it.
  // Sending is leased: a caller that gets an unsent email (kReserved, or kExisting while
  // GENERATED or FAILED) holds it for `lease`; meanwhile another caller gets kClaimed, so
  // two deliveries of one event (a bus redelivering during a failover) never both send.
  virtual Result<EmailReservation> ReserveEmail(const Email& draft, const std::string& trigger_id, Millis cooldown,
                                                Millis lease) = 0;
  // Records the outcome of sending a reserved email (SENT with sent_at, FAILED with error,
  // or GENERATED with a temporary error) and ends its send lease.
  virtual Status FinishEmail(const std::string& email_id, const std::string& status, std::optional<Millis> sent_at,
                             const std::string& error) = 0;
  // The same for a batch (the email processor's hot path), each in one transaction:
  // ReserveEmails decides every draft as ReserveEmail would, one after another in the
  // given order (a later draft for the same user sees an earlier one's reservation; a
  // second draft with an email id already reserved in the batch gets kClaimed), and
  // returns one outcome per draft, NotFound for a draft whose user is gone. An error of
  // the call itself (the database) writes nothing. FinishEmails records each outcome and
  // ends its lease; one status per outcome, NotFound for an unknown email.
  virtual Result<std::vector<Result<EmailReservation>>> ReserveEmails(const std::vector<EmailDraft>& drafts,
                                                                      Millis cooldown, Millis lease) = 0;
  virtual Result<std::vector<Status>> FinishEmails(const std::vector<EmailOutcome>& outcomes) = 0;
  // Batched reads: the users and emails among `ids` that exist (in no particular order),
  // and the addresses among `emails` that are suppressed (as given, compared without case).
  virtual Result<std::vector<User>> GetUsers(const std::vector<std::string>& user_ids) = 0;
  virtual Result<std::vector<Email>> GetEmails(const std::vector<std::string>& email_ids) = 0;
  virtual Result<std::vector<std::string>> SuppressedAmong(const std::vector<std::string>& emails) = 0;
  // The sweep's read: up to `limit` users (1..10,000) with user_id > after_user_id, in
  // user_id order; an empty after_user_id starts at the first.
  virtual Result<std::vector<User>> ScanUsers(const std::string& after_user_id, int limit) = 0;
  // Suppression list: addresses never to email (unsubscribed, bounced, complained).
  virtual Result<bool> IsSuppressed(const std::string& email) = 0;
  virtual Status Suppress(const std::string& email, const std::string& reason) = 0;
  // NotFound when the address is not on the list.
  virtual Status Unsuppress(const std::string& email) = 0;
  virtual Result<Page<Suppression>> ListSuppressions(const SuppressionQuery& query) = 0;
  // The list's size for the same search (the page's `total`).
  virtual Result<int64_t> CountSuppressions(const std::string& search) = 0;
  // The address's entry, compared without case; nullopt when it is not on the list.
  virtual Result<std::optional<Suppression>> GetSuppression(const std::string& email) = 0;
  // Effectiveness. A held-out client (scored, at risk, deliberately not emailed) is
  // recorded at most once per `cooldown`. Opens and clicks are stored with their time and
  // move the email's status SENT → OPENED → CLICKED. CreateOrder attributes the order to
  // the latest email (and holdout record) within the attribution window.
  virtual Status RecordHoldout(const std::string& user_id, const std::string& trigger_id, double score,
                               const std::string& targeting_rule, Millis cooldown) = 0;
  // `type` is "open" or "click"; returns the email after the event. NotFound for an unknown email.
  virtual Result<Email> RecordEmailEvent(const std::string& email_id, const std::string& type,
                                         const std::string& url) = 0;
  virtual Result<EffectivenessFigures> Effectiveness(int days) = 0;

  // Client state and lists (issue 16). FactsOf answers for a page of users at once
  // (a few batched reads, whatever the page's size), keyed by user id; a user with
  // nothing to tell is absent. History reads the newest `limit` (1..500) of each kind.
  // CountEmails counts what ListEmails would list (without cursor or limit).
  virtual Result<std::map<std::string, ClientFacts>> FactsOf(const std::vector<User>& users) = 0;
  virtual Result<ClientHistory> History(const std::string& user_id, int limit) = 0;
  virtual Result<int64_t> CountEmails(const EmailQuery& query) = 0;

  // Figures for the dashboard; `threshold` is the at-risk bound.
  virtual Result<StoreMetrics> Metrics(double threshold) = 0;
  // Emails whose sending failed (status FAILED) among those created at or after
  // `since`: how many, and the newest one. Read through an index on (status,
  // created_at), so its cost follows the failures, not the emails; /health and
  // GET /api/alerts read it through a short cache (api/delivery_alerts.h).
  virtual Result<DeliveryFailures> RecentDeliveryFailures(Millis since) = 0;

  // Change stream: up to `limit` records with seq > after_seq, in seq order.
  virtual Result<std::vector<UserChange>> ReadChanges(int64_t after_seq, int limit) = 0;
  // Durable named positions in the change stream (0 when never set).
  virtual Result<int64_t> GetCheckpoint(const std::string& name) = 0;
  virtual Status SetCheckpoint(const std::string& name, int64_t seq) = 0;
  // The highest seq written so far (0 for an empty stream).
  virtual Result<int64_t> LatestChangeSeq() = 0;
  // Deletes up to `limit` records with seq < below_seq written more than `retention`
  // ago (by the store's clock), in seq order; returns how many. The stream stays bounded
  // by its retention, not by its history.
  virtual Result<int64_t> PruneChanges(int64_t below_seq, Millis retention, int limit) = 0;

  // Settings (issue 16's sending controls; domain/shop_settings.h): every stored setting,
  // by name. PutSettings writes each (name, JSON value) in one transaction, stamped with
  // the store's clock and `by`; with `only_if_absent`, a setting already stored is kept
  // (the environment's values seed a fresh store without overriding what was set since).
  virtual Result<std::vector<SettingRow>> GetSettings() = 0;
  virtual Status PutSettings(const std::vector<std::pair<std::string, std::string>>& values, const std::string& by,
                             bool only_if_absent) = 0;
  // The send budget, in one transaction: admits min(wanted, each capped period's cap −
  // its count) and adds that to every period's count (a period opens at 0; periods that
  // started before `prune_before` are deleted). Periods are locked in the given order, so
  // processes taking at once never exceed a cap together. SendCounts reads each period's
  // count (0 for one never opened) and takes nothing.
  virtual Result<SendBudget> TakeSendBudget(const std::vector<SendPeriod>& periods, int64_t wanted,
                                            Millis prune_before) = 0;
  virtual Result<std::vector<int64_t>> SendCounts(const std::vector<std::string>& period_keys) = 0;

  // Journeys (issue 16; domain/journey.h). Versions are kept for good: SaveJourney
  // stores a new one (the highest version + 1, createdAt by the store's clock) and
  // returns it; GetJourney gives the newest (a fresh store has the default as version 1),
  // or the given version (NotFound for an unknown one); ListJourneys the newest first.
  virtual Result<JourneyVersion> SaveJourney(const JourneyDefinition& definition, const std::string& created_by) = 0;
  virtual Result<JourneyVersion> GetJourney(std::optional<int64_t> version = std::nullopt) = 0;
  virtual Result<std::vector<JourneyVersion>> ListJourneys(int limit) = 0;
  // Episodes. LatestEpisodes: the latest episode (highest number) of each of `user_ids`
  // that has one, in no particular order. StartEpisodes stores new episodes (one whose id
  // exists is left as it is: two workers started the same one). EndEpisodes ends the
  // open ones among them (an ended one keeps its end) and clears next_due_at;
  // DeferEpisodes moves an open episode's next_due_at to `at` when that is later (a client
  // the sending controls turned away: due again then). DueEpisodes: up to `limit` open
  // episodes with next_due_at <= `now`, in (next_due_at, episode_id) order after the
  // given position (`after_due`, `after_id`; an empty id starts at the first). Deleting a
  // user ends their open episodes as "deleted".
  virtual Result<std::vector<Episode>> LatestEpisodes(const std::vector<std::string>& user_ids) = 0;
  virtual Status StartEpisodes(const std::vector<Episode>& episodes) = 0;
  virtual Status EndEpisodes(const std::vector<EpisodeEnd>& ends) = 0;
  virtual Status DeferEpisodes(const std::vector<EpisodeEnd>& deferrals) = 0;
  virtual Result<std::vector<DueEpisode>> DueEpisodes(Millis now, Millis after_due, const std::string& after_id,
                                                      int limit) = 0;
  // The suppressions of the addresses among `emails` (compared without case), with
  // their reasons: why an episode ends.
  virtual Result<std::vector<Suppression>> SuppressionsAmong(const std::vector<std::string>& emails) = 0;

  // Churn and value models (issue 11). ScanClientOrders: up to `limit` clients (1..10,000)
  // with user_id > after_user_id that have a non-cancelled order dated at or before
  // `until`, in user_id order, each with all of their non-cancelled orders (cancelled,
  // canceled and refunded ones left out; later ones too: the fit's holdout), oldest
  // first. A shop is read page by page, never whole.
  virtual Result<std::vector<ClientOrders>> ScanClientOrders(const std::string& after_user_id, Millis until,
                                                             int limit) = 0;
  // Stores a fit; LatestModelFit gives the newest (nullopt when none).
  virtual Status SaveModelFit(const ModelFitRecord& fit) = 0;
  virtual Result<std::optional<ModelFitRecord>> LatestModelFit() = 0;
  // Inserts or replaces each client's prediction, in one transaction; a client that does
  // not exist (deleted since) is skipped. DeletePredictionsNotOf removes the predictions
  // of any other fit (clients who had no order up to the new fit's day) and returns how many.
  virtual Status SavePredictions(const std::vector<ClientPredictionRecord>& rows) = 0;
  virtual Result<int64_t> DeletePredictionsNotOf(const std::string& fit_id) = 0;
  // The predictions of those of `user_ids` that have one, in no particular order.
  virtual Result<std::vector<ClientPredictionRecord>> PredictionsOf(const std::vector<std::string>& user_ids) = 0;
  // The predictions of user ids in (after_user_id, last_user_id], in user id order: the
  // sweep's page of users (ScanUsers) read beside it as one range of the primary key.
  virtual Result<std::vector<ClientPredictionRecord>> PredictionsBetween(const std::string& after_user_id,
                                                                         const std::string& last_user_id) = 0;
};

}  // namespace rkd
