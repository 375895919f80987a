// The churn and value models run on a store (issue 11): every client's order history,
// read once, page by page, summarized (x, t_x, T), the purchase model (BG/NBD or
// Pareto/NBD) and the Gamma-Gamma spend model fitted, then each client's prediction
// computed from the summaries kept, a page at a time, and handed to a sink (stored by
// `rekindle model fit` and POST /api/model/fit, written as CSV by `rekindle model
// predict`). No more than one page of orders, and one summary with its ids per client
// (about 120 bytes), sit in memory. Thread-compatible functions; ModelRunner serializes
// fits in one process.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "leader/leader_lock.h"
#include "model/gamma_gamma.h"
#include "model/prediction.h"
#include "model/purchase_model.h"
#include "model/rfm_summary.h"
#include "store/store.h"

namespace rkd {

struct ModelRunOptions {
  ModelKind kind = ModelKind::kBgNbd;
  TimeUnit unit = TimeUnit::kWeeks;
  Millis until = 0;                // the last calibration day is the UTC day holding it
  double horizon_days = 90;        // churn and expected orders over this many days after it
  int clv_months = 12;             // the predicted value's months
  double monthly_discount = 0.01;  // each month's orders worth 1 / (1 + this)^m
  int64_t min_clients = 500;       // clients with an order on or before `until`
  int64_t min_history_days = 180;  // from the first order's day to the last calibration day
  int page_size = 2000;            // clients per store read
};

// One client's prediction, as the sink gets it.
struct ClientModelRow {
  std::string user_id;
  std::string external_id;
  RfmSummary summary;
  ClientPrediction prediction;
};

// What a fit gave: the models, the record stored, and the CLI's JSON summary.
struct StoreModelFit {
  PurchaseModel model;
  FitResult result;
  std::optional<GammaGammaFit> spend;  // absent when the spend model could not be fitted
  std::string spend_error;             // why, then
  int64_t clients = 0;                 // clients with an order up to `until`
  int64_t predictions = 0;             // FitAndStore: the predictions stored
  ModelFitRecord record;               // fit_id, params and diagnostics as stored
  // Every client's summary with their ids, in user id order (what the predictions need).
  std::vector<ClientModelRow> rows;
};

// "days" / "weeks".
const char* TimeUnitName(TimeUnit unit);
std::optional<TimeUnit> ParseTimeUnit(const std::string& name);

// Fits the models on the store's history up to options.until. FailedPrecondition with a
// message naming the setting when the minimums are not met (too few clients with an
// order, too short a history) or the data cannot identify the model; InvalidArgument for
// bad options; the store's errors. `now` stamps the record (fitted_at); orders after the
// calibration day up to now are the diagnostics' holdout.
Result<StoreModelFit> FitStoreModel(Store& store, const ModelRunOptions& options, Millis now);

// Every client's prediction from `fit` (its rows), a page at a time, in user id order:
// `sink` gets each page (its error stops the run and is returned).
Status PredictStoreClients(const StoreModelFit& fit, const ModelRunOptions& options,
                           const std::function<Status(const std::vector<ClientModelRow>&)>& sink);

// Fits, stores the fit and every client's prediction (replacing the previous fit's), in
// pages; returns the fit. The predictions of clients who no longer have one (no order up
// to the new fit's day) are removed at the end.
Result<StoreModelFit> FitAndStore(Store& store, const ModelRunOptions& options, Millis now);

// The fit's summary as `rekindle model fit` prints it and GET /api/model shows it: model,
// unit, until, params, spendParams, logLikelihood, clients, iterations, seconds,
// converged, fitId, fittedAt, diagnostics.
nlohmann::json FitRecordJson(const ModelFitRecord& record);

// The scheduled refit's state in this process (GET /api/model's `refit`).
struct RefitStatus {
  std::optional<Millis> last_attempt_at;  // the last scheduled attempt, when one was made here
  std::string last_error;                 // why it failed; empty when it fitted
};

// The last fit this process ran (GET /api/model's `lastRun`): started by POST
// /api/model/fit or by the schedule.
struct FitRun {
  enum class Trigger { kApi, kSchedule };
  Trigger trigger = Trigger::kApi;
  Millis started_at = 0;
  std::optional<Millis> finished_at;  // none while it runs
  Status outcome;                     // ok once it fitted (and while it runs)
  std::string fit_id;                 // when it fitted
  int64_t predictions = 0;
};

// One fit at a time: TryFit and StartFit answer AlreadyExists "a fit is already running"
// (field "fit") while another runs in this process, or, with a lock (RKD_DATABASE_URL's:
// an advisory lock on PostgreSQL, a file beside SQLite), in another process sharing the
// store, so two fits never interleave their predictions.
class ModelRunner {
 public:
  ModelRunner(Store& store, const Clock& clock, std::unique_ptr<LeaderLock> lock = nullptr)
      : store_(store), clock_(clock), lock_(std::move(lock)) {}
  ~ModelRunner();  // waits for a fit StartFit began
  ModelRunner(const ModelRunner&) = delete;
  ModelRunner& operator=(const ModelRunner&) = delete;

  // Fits now, on the caller's thread (`rekindle model fit`, the schedule).
  Result<StoreModelFit> TryFit(const ModelRunOptions& options, FitRun::Trigger trigger = FitRun::Trigger::kSchedule);
  // Claims the fit now (AlreadyExists as TryFit) and runs it on a thread of its own:
  // a fit of a large shop takes tens of seconds, longer than an HTTP request should
  // wait. Returns the run as started; last_run() tells how it ended.
  Result<FitRun> StartFit(const ModelRunOptions& options);
  bool running() const { return running_.load(); }
  std::optional<FitRun> last_run() const;

  // The schedule (RKD_MODEL_REFIT_HOURS): refits with options_at(now) when the latest
  // stored fit, whichever process made it, is `every` old (or there is none), unless an
  // attempt made here failed less than `retry` ago. True when it fitted. Its failures (too
  // little data, a fit running elsewhere, the store away) are kept in refit_status(), not
  // returned: the next due check tries again.
  bool RefitIfDue(std::chrono::hours every, const std::function<ModelRunOptions(Millis)>& options_at,
                  std::chrono::minutes retry = std::chrono::minutes(60));
  // RefitIfDue every `check` until `stop` (the sweep's process runs it: serve).
  void RefitPeriodically(const std::atomic<bool>& stop, std::chrono::hours every,
                         const std::function<ModelRunOptions(Millis)>& options_at,
                         std::chrono::seconds check = std::chrono::seconds(60));
  RefitStatus refit_status() const;

 private:
  Status Claim();  // running_ and the lock, or AlreadyExists
  void Release();
  // Fits with the claim held and records the run; releases the claim after recording,
  // so whoever sees running() false sees how the run ended.
  Result<StoreModelFit> RunClaimed(const ModelRunOptions& options, FitRun run);

  Store& store_;
  const Clock& clock_;
  std::unique_ptr<LeaderLock> lock_;  // may be null: this process alone
  std::mutex lock_mu_;                // LeaderLock is not thread-safe
  std::atomic<bool> running_{false};
  mutable std::mutex refit_mu_;  // guards refit_ and last_run_
  RefitStatus refit_;
  std::optional<FitRun> last_run_;
  std::thread worker_;  // StartFit's; joined before the next and on destruction
};

}  // namespace rkd
