#include "pipeline/model_runner.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <thread>

#include "base/ids.h"
#include "base/log.h"
#include "pipeline/prediction_histograms.h"

namespace rkd {
namespace {

using nlohmann::json;

// The diagnostics group clients by their repeat orders before the fit's day: 0..6, 7+.
constexpr int kDiagnosticGroups = 8;

// Floor division: the UTC day of a time.
int64_t DayOf(Millis t) { return t >= 0 ? t / kMillisPerDay : -((-t + kMillisPerDay - 1) / kMillisPerDay); }

std::string DateOf(Millis t) { return FormatRfc3339(DayOf(t) * kMillisPerDay).substr(0, 10); }

// A number as JSON, null when it is not finite (JSON has no NaN or infinity).
json Number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

std::vector<DatedOrder> DatedOrders(const ClientOrders& client) {
  std::vector<DatedOrder> orders;
  orders.reserve(client.orders.size());
  for (const auto& [at, value] : client.orders) orders.push_back({at, std::llround(value * 100)});
  return orders;
}

json ParamsJson(const std::vector<NamedParam>& params) {
  json out = json::object();
  for (const NamedParam& p : params) out[p.name] = Number(p.value);
  return out;
}

Status CheckOptions(const ModelRunOptions& o) {
  if (!(o.horizon_days > 0)) return Status::InvalidArgument("horizon must be more than 0 days", "horizon");
  PredictionOptions p{o.horizon_days / DaysPerUnit(o.unit), o.clv_months, o.monthly_discount};
  return CheckPredictionOptions(p);
}

// Reads every client with an order up to options.until, a page at a time.
Status ForEachClient(Store& store, const ModelRunOptions& options,
                     const std::function<Status(const std::vector<ClientOrders>&)>& visit) {
  std::string after;
  for (;;) {
    auto page = store.ScanClientOrders(after, options.until, options.page_size);
    if (!page.ok()) return page.status();
    if (page->empty()) return Status::Ok();
    RKD_RETURN_IF_ERROR(visit(*page));
    if (static_cast<int>(page->size()) < options.page_size) return Status::Ok();
    after = page->back().user_id;
  }
}

}  // namespace

const char* TimeUnitName(TimeUnit unit) { return unit == TimeUnit::kWeeks ? "weeks" : "days"; }

std::optional<TimeUnit> ParseTimeUnit(const std::string& name) {
  if (name == "days") return TimeUnit::kDays;
  if (name == "weeks") return TimeUnit::kWeeks;
  return std::nullopt;
}

Result<StoreModelFit> FitStoreModel(Store& store, const ModelRunOptions& options, Millis now) {
  RKD_RETURN_IF_ERROR(CheckOptions(options));
  const int64_t until_day = DayOf(options.until);
  // The holdout: the days after the calibration day up to today (and the last order).
  const int64_t today = DayOf(now);
  std::vector<RfmSummary> rows;
  std::vector<ClientModelRow> client_rows;
  int64_t first_day = std::numeric_limits<int64_t>::max();
  int64_t last_order_day = std::numeric_limits<int64_t>::min();
  std::array<double, kDiagnosticGroups> actual{}, expected{};
  std::array<int64_t, kDiagnosticGroups> group_clients{};
  Status st = ForEachClient(store, options, [&](const std::vector<ClientOrders>& page) {
    for (const ClientOrders& client : page) {
      const std::vector<DatedOrder> orders = DatedOrders(client);
      auto summary = SummarizeOrders(orders, options.until, options.unit);
      if (!summary) continue;
      rows.push_back(*summary);
      client_rows.push_back({client.user_id, client.external_id, *summary, {}});
      const int group = static_cast<int>(std::min<double>(summary->x, kDiagnosticGroups - 1));
      group_clients[static_cast<size_t>(group)] += 1;
      int64_t previous = until_day;
      for (const DatedOrder& o : orders) {  // oldest first: purchase days after the calibration
        const int64_t d = DayOf(o.at);
        if (d < first_day) first_day = d;
        if (d > today) continue;
        last_order_day = std::max(last_order_day, d);
        if (d > previous) {
          actual[static_cast<size_t>(group)] += 1;
          previous = d;
        }
      }
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  const int64_t clients = static_cast<int64_t>(rows.size());
  if (clients < options.min_clients)
    return Status::FailedPrecondition("only " + std::to_string(clients) + " clients have an order on or before " +
                                          DateOf(options.until) + ": a fit needs at least " +
                                          std::to_string(options.min_clients) + " (RKD_MODEL_MIN_CLIENTS)",
                                      "RKD_MODEL_MIN_CLIENTS");
  const int64_t history = until_day - first_day;
  if (history < options.min_history_days)
    return Status::FailedPrecondition("the order history spans " + std::to_string(history) + " days up to " +
                                          DateOf(options.until) + ": a fit needs at least " +
                                          std::to_string(options.min_history_days) + " (RKD_MODEL_MIN_HISTORY_DAYS)",
                                      "RKD_MODEL_MIN_HISTORY_DAYS");
  const std::vector<RfmSummary> compressed = Compress(rows);
  if (Status fittable = CheckFittable(compressed); !fittable.ok())
    return Status::FailedPrecondition("the history cannot be fitted: " + fittable.message(), "model");
  auto fit = FitPurchaseModel(options.kind, options.unit, compressed);
  if (!fit.ok()) return Status::FailedPrecondition("the model could not be fitted: " + fit.status().message(), "model");

  StoreModelFit out;
  out.model = fit->model;
  out.result = fit->result;
  out.clients = clients;
  auto spend = FitGammaGamma(rows);
  if (spend.ok())
    out.spend = *spend;
  else
    out.spend_error = spend.status().message();

  // Diagnostics: the repeat orders the model expects in the holdout against those made,
  // by repeat orders before it (the calibration's "conditional expectations").
  const int64_t holdout_days = last_order_day > until_day ? std::min(today, last_order_day) - until_day : 0;
  json groups = json::array();
  if (holdout_days > 0) {
    const double t = static_cast<double>(holdout_days) / DaysPerUnit(options.unit);
    for (const RfmSummary& r : compressed) {
      const int group = static_cast<int>(std::min<double>(r.x, kDiagnosticGroups - 1));
      expected[static_cast<size_t>(group)] += ExpectedPurchases(out.model, r, t) * static_cast<double>(r.weight);
    }
  }
  double actual_total = 0, expected_total = 0;
  for (int g = 0; g < kDiagnosticGroups; ++g) {
    const size_t i = static_cast<size_t>(g);
    json row = {{"pastOrders", g == kDiagnosticGroups - 1 ? std::to_string(g) + "+" : std::to_string(g)},
                {"clients", group_clients[i]}};
    if (holdout_days > 0) {
      row["actual"] = actual[i];
      row["expected"] = Number(expected[i]);
      row["actualPerClient"] = group_clients[i] ? Number(actual[i] / static_cast<double>(group_clients[i])) : json();
      row["expectedPerClient"] =
          group_clients[i] ? Number(expected[i] / static_cast<double>(group_clients[i])) : json();
    }
    actual_total += actual[i];
    expected_total += expected[i];
    groups.push_back(std::move(row));
  }
  json diagnostics = {
      {"holdoutDays", holdout_days},
      {"holdoutEnd", holdout_days > 0 ? json(DateOf((until_day + holdout_days) * kMillisPerDay)) : json(nullptr)},
      {"byPastOrders", std::move(groups)},
      {"rows", out.result.rows},
      {"algorithm", out.result.algorithm}};
  if (holdout_days > 0) {
    diagnostics["actualRepeatOrders"] = actual_total;
    diagnostics["expectedRepeatOrders"] = Number(expected_total);
  }
  json params = {{"purchase", ParamsJson(out.result.params)},
                 {"spend", out.spend ? ParamsJson(out.spend->result.params) : json(nullptr)}};
  if (out.spend) params["spendLogLikelihood"] = Number(out.spend->result.log_likelihood);
  if (!out.spend) params["spendError"] = out.spend_error;
  out.record.fit_id = NewUuid();
  out.record.model = ModelKindName(options.kind);
  out.record.unit = TimeUnitName(options.unit);
  out.record.until = until_day * kMillisPerDay;
  out.record.params = params.dump();
  out.record.log_likelihood = out.result.log_likelihood;
  out.record.clients = clients;
  out.record.iterations = out.result.iterations;
  out.record.seconds = out.result.seconds;
  out.record.converged = out.result.converged;
  out.record.diagnostics = diagnostics.dump();
  out.record.fitted_at = now;
  out.rows = std::move(client_rows);
  return out;
}

Status PredictStoreClients(const StoreModelFit& fit, const ModelRunOptions& options,
                           const std::function<Status(const std::vector<ClientModelRow>&)>& sink) {
  RKD_RETURN_IF_ERROR(CheckOptions(options));
  const PredictionOptions popts{options.horizon_days / DaysPerUnit(fit.model.unit), options.clv_months,
                                options.monthly_discount};
  const GammaGammaParams* spend = fit.spend ? &fit.spend->params : nullptr;
  const size_t page_size = static_cast<size_t>(std::max(1, options.page_size));
  for (size_t from = 0; from < fit.rows.size(); from += page_size) {
    const auto first = fit.rows.begin() + static_cast<std::ptrdiff_t>(from);
    std::vector<ClientModelRow> rows(first,
                                     first + static_cast<std::ptrdiff_t>(std::min(page_size, fit.rows.size() - from)));
    std::vector<RfmSummary> summaries;
    summaries.reserve(rows.size());
    for (const ClientModelRow& r : rows) summaries.push_back(r.summary);
    auto predictions = PredictClients(fit.model, spend, summaries, popts);
    if (!predictions.ok()) return predictions.status();
    for (size_t i = 0; i < rows.size(); ++i) rows[i].prediction = (*predictions)[i];
    RKD_RETURN_IF_ERROR(sink(rows));
  }
  return Status::Ok();
}

Result<StoreModelFit> FitAndStore(Store& store, const ModelRunOptions& options, Millis now) {
  auto fit = FitStoreModel(store, options, now);
  if (!fit.ok()) return fit.status();
  const Millis origin = DayOf(options.until) * kMillisPerDay;
  const double unit_ms = DaysPerUnit(fit->model.unit) * static_cast<double>(kMillisPerDay);
  PredictionHistograms histograms;
  Status st = PredictStoreClients(*fit, options, [&](const std::vector<ClientModelRow>& rows) {
    std::vector<ClientPredictionRecord> records;
    records.reserve(rows.size());
    for (const ClientModelRow& row : rows) {
      const ClientPrediction& p = row.prediction;
      // A prediction the numerics could not compute (none are expected) is left out rather
      // than stored as a number it is not.
      if (!std::isfinite(p.p_alive) || !std::isfinite(p.churn_probability) || !std::isfinite(p.expected_purchases))
        continue;
      ClientPredictionRecord r;
      r.user_id = row.user_id;
      r.fit_id = fit->record.fit_id;
      r.p_alive = p.p_alive;
      r.churn_probability = p.churn_probability;
      r.expected_orders = p.expected_purchases;
      // A median beyond ~100 years is "never" for a shop (and would overflow the time).
      if (std::isfinite(p.median_time_to_next_purchase) && p.median_time_to_next_purchase * unit_ms < 3.2e12)
        r.next_order_at = origin + static_cast<Millis>(std::llround(p.median_time_to_next_purchase * unit_ms));
      if (p.predicted_value && std::isfinite(*p.predicted_value)) r.predicted_value = *p.predicted_value;
      r.computed_at = now;
      histograms.Add(r.churn_probability, r.predicted_value);
      records.push_back(std::move(r));
    }
    fit->predictions += static_cast<int64_t>(records.size());
    return store.SavePredictions(records);
  });
  if (!st.ok()) return st;
  auto removed = store.DeletePredictionsNotOf(fit->record.fit_id);
  if (!removed.ok()) return removed.status();
  fit->rows = {};  // stored: their memory goes back before the fit is returned
  json diagnostics = json::parse(fit->record.diagnostics);
  diagnostics["distributions"] = histograms.ToJson();
  fit->record.diagnostics = diagnostics.dump();
  // Stored last: the current fit is one whose predictions are all written.
  RKD_RETURN_IF_ERROR(store.SaveModelFit(fit->record));
  return fit;
}

json FitRecordJson(const ModelFitRecord& r) {
  json params = json::parse(r.params, nullptr, false);
  json diagnostics = json::parse(r.diagnostics, nullptr, false);
  if (params.is_discarded() || !params.is_object()) params = json::object();
  if (diagnostics.is_discarded()) diagnostics = nullptr;
  json out = {{"fitId", r.fit_id},
              {"model", r.model},
              {"unit", r.unit},
              {"until", DateOf(r.until)},
              {"params", params.value("purchase", json::object())},
              {"spendParams", params.contains("spend") ? params["spend"] : json(nullptr)},
              {"logLikelihood", Number(r.log_likelihood)},
              {"clients", r.clients},
              {"iterations", r.iterations},
              {"seconds", Number(r.seconds)},
              {"converged", r.converged},
              {"fittedAt", FormatRfc3339(r.fitted_at)},
              {"diagnostics", diagnostics}};
  if (params.contains("spendError")) out["spendError"] = params["spendError"];
  return out;
}

bool ModelRunner::RefitIfDue(std::chrono::hours every, const std::function<ModelRunOptions(Millis)>& options_at,
                             std::chrono::minutes retry) {
  const Millis now = clock_.Now();
  {
    std::lock_guard lock(refit_mu_);
    if (refit_.last_attempt_at && !refit_.last_error.empty() &&
        now - *refit_.last_attempt_at < std::chrono::duration_cast<std::chrono::milliseconds>(retry).count())
      return false;
  }
  auto latest = store_.LatestModelFit();
  if (latest.ok() && *latest &&
      now - (*latest)->fitted_at < std::chrono::duration_cast<std::chrono::milliseconds>(every).count())
    return false;
  Status st = latest.status();
  if (st.ok()) {
    LogInfo("scheduled model refit started");
    auto fit = TryFit(options_at(now));
    st = fit.status();
    if (fit.ok())
      LogInfo("scheduled model refit finished",
              {{"fitId", fit->record.fit_id}, {"clients", fit->clients}, {"seconds", fit->record.seconds}});
  }
  if (!st.ok()) LogWarn("scheduled model refit did not run", {{"error", st.ToString()}});
  std::lock_guard lock(refit_mu_);
  refit_ = {now, st.ok() ? "" : st.message()};
  return st.ok();
}

void ModelRunner::RefitPeriodically(const std::atomic<bool>& stop, std::chrono::hours every,
                                    const std::function<ModelRunOptions(Millis)>& options_at,
                                    std::chrono::seconds check) {
  auto next = std::chrono::steady_clock::now();  // a store without a fit gets one soon after start
  while (!stop.load()) {
    if (std::chrono::steady_clock::now() >= next) {
      RefitIfDue(every, options_at);
      next = std::chrono::steady_clock::now() + check;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

RefitStatus ModelRunner::refit_status() const {
  std::lock_guard lock(refit_mu_);
  return refit_;
}

ModelRunner::~ModelRunner() {
  if (worker_.joinable()) worker_.join();
}

Status ModelRunner::Claim() {
  bool expected = false;
  if (!running_.compare_exchange_strong(expected, true))
    return Status::AlreadyExists("a fit is already running; try again when it ends", "fit");
  if (lock_) {
    std::lock_guard guard(lock_mu_);  // uncontended: running_ lets one caller in
    auto held = lock_->TryAcquire();
    if (!held.ok() || !*held) {
      running_.store(false);
      if (!held.ok()) return held.status();
      return Status::AlreadyExists("a fit is already running in another process; try again when it ends", "fit");
    }
  }
  return Status::Ok();
}

void ModelRunner::Release() {
  if (lock_) {
    std::lock_guard guard(lock_mu_);
    lock_->Release();
  }
  running_.store(false);
}

Result<StoreModelFit> ModelRunner::RunClaimed(const ModelRunOptions& options, FitRun run) {
  Result<StoreModelFit> fit = FitAndStore(store_, options, clock_.Now());
  run.finished_at = clock_.Now();
  run.outcome = fit.status();
  if (fit.ok()) {
    run.fit_id = fit->record.fit_id;
    run.predictions = fit->predictions;
  }
  {
    std::lock_guard lock(refit_mu_);
    last_run_ = std::move(run);
  }
  Release();
  return fit;
}

Result<StoreModelFit> ModelRunner::TryFit(const ModelRunOptions& options, FitRun::Trigger trigger) {
  RKD_RETURN_IF_ERROR(Claim());
  return RunClaimed(options, {.trigger = trigger, .started_at = clock_.Now()});
}

Result<FitRun> ModelRunner::StartFit(const ModelRunOptions& options) {
  RKD_RETURN_IF_ERROR(Claim());
  // The previous run has recorded itself and released the claim: its thread is ending.
  if (worker_.joinable()) worker_.join();
  FitRun run{.trigger = FitRun::Trigger::kApi, .started_at = clock_.Now()};
  {
    std::lock_guard lock(refit_mu_);
    last_run_ = run;
  }
  worker_ = std::thread([this, options, run] {
    auto fit = RunClaimed(options, run);
    if (fit.ok())
      LogInfo("model fit finished",
              {{"fitId", fit->record.fit_id}, {"clients", fit->clients}, {"seconds", fit->record.seconds}});
    else
      LogWarn("model fit did not run", {{"error", fit.status().ToString()}});
  });
  return run;
}

std::optional<FitRun> ModelRunner::last_run() const {
  std::lock_guard lock(refit_mu_);
  return last_run_;
}

}  // namespace rkd
