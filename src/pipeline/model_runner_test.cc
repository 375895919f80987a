// The models run on a real (SQLite) store: a fit over synthetic BG/NBD clients stores
// the fit and one prediction per client; too little data, a store that fails midway and
// a second fit while one runs write nothing of their own.
#include "pipeline/model_runner.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <random>
#include <thread>

#include "leader/file_leader_lock.h"
#include "pipeline/prediction_histograms.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/fault_injection.h"
#include "testing/temp_dir.h"

namespace rkd {
namespace {

constexpr Millis kDay = kMillisPerDay;
constexpr Millis kUntil = 20'000 * kDay;  // 2024-10-04, midnight UTC

class FixedClock final : public Clock {
 public:
  Millis Now() const override { return kUntil + 100 * kDay; }
};

// `clients` clients drawn from BG/NBD's process (CDNOW's parameters, in days), first
// orders over the year before kUntil, orders until kUntil + 100 days (the holdout).
void LoadClients(Store& store, int clients) {
  std::mt19937_64 rng(7);
  std::vector<User> users;
  std::vector<Order> orders;
  for (int i = 0; i < clients; ++i) {
    User u;
    u.user_id = "c" + std::to_string(100000 + i);
    u.email = u.user_id + "@example.com";
    u.name = "Client " + std::to_string(i);
    const Millis first = kUntil - std::uniform_int_distribution<Millis>(30, 365)(rng) * kDay;
    const double lambda = std::gamma_distribution<double>(0.6, 1.0 / 20)(rng);
    const double ga = std::gamma_distribution<double>(0.8, 1)(rng), gb = std::gamma_distribution<double>(2.4, 1)(rng);
    std::bernoulli_distribution dies(ga / (ga + gb));
    std::exponential_distribution<double> gap(lambda);
    // Gamma-Gamma spend (CDNOW's parameters): each client's own mean.
    const double nu = std::gamma_distribution<double>(3.74, 1 / 15.44)(rng);
    std::gamma_distribution<double> spend(6.25, 1 / nu);
    Millis at = first;
    for (int n = 0; at <= kUntil + 100 * kDay && n < 200; ++n) {
      Order o;
      o.order_id = u.user_id + "-" + std::to_string(n);
      o.user_id = u.user_id;
      o.order_date = at;
      o.total_value = std::round(spend(rng) * 100) / 100 + 0.01;
      o.created_at = at;
      orders.push_back(o);
      if (n > 0 && dies(rng)) break;
      at += static_cast<Millis>(gap(rng) * static_cast<double>(kDay)) + kDay;
    }
    users.push_back(u);
  }
  ASSERT_TRUE(store.Import(std::move(users), std::move(orders)).ok());
}

class ModelRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = SqliteStore::Open(dir_ / "rekindle.db", ScoreRules{}, &clock_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
  }
  ModelRunOptions Options() const {
    ModelRunOptions o;
    o.until = kUntil;
    o.unit = TimeUnit::kDays;
    o.min_clients = 500;
    o.min_history_days = 180;
    o.page_size = 97;  // pages that do not divide the clients
    return o;
  }

  testkit::TempDir dir_;
  FixedClock clock_;
  std::unique_ptr<Store> store_;
};

TEST_F(ModelRunnerTest, AFitStoresItselfAndOnePredictionPerClient) {
  LoadClients(*store_, 800);
  auto fit = FitAndStore(*store_, Options(), clock_.Now());
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  EXPECT_EQ(fit->clients, 800);
  EXPECT_EQ(fit->predictions, 800);
  EXPECT_TRUE(fit->spend.has_value()) << fit->spend_error;
  auto latest = store_->LatestModelFit();
  ASSERT_TRUE(latest.ok() && latest->has_value());
  EXPECT_EQ((*latest)->fit_id, fit->record.fit_id);
  EXPECT_EQ((*latest)->until, kUntil);
  EXPECT_EQ((*latest)->fitted_at, clock_.Now());
  const nlohmann::json shown = FitRecordJson(**latest);
  EXPECT_EQ(shown["model"], "bgnbd");
  EXPECT_EQ(shown["unit"], "days");
  EXPECT_GT(shown["params"]["r"].get<double>(), 0);
  // The holdout runs to the last order, at most the 100 days to the clock's today.
  EXPECT_GT(shown["diagnostics"]["holdoutDays"].get<int>(), 90);
  EXPECT_LE(shown["diagnostics"]["holdoutDays"].get<int>(), 100);
  EXPECT_GT(shown["diagnostics"]["actualRepeatOrders"].get<double>(), 0);
  EXPECT_EQ(shown["diagnostics"]["byPastOrders"].size(), 8u);
  // Every client has a prediction from this fit, with probabilities in [0, 1].
  std::vector<std::string> ids;
  for (int i = 0; i < 800; ++i) ids.push_back("c" + std::to_string(100000 + i));
  auto predictions = store_->PredictionsOf(ids);
  ASSERT_TRUE(predictions.ok());
  ASSERT_EQ(predictions->size(), 800u);
  for (const ClientPredictionRecord& p : *predictions) {
    EXPECT_EQ(p.fit_id, fit->record.fit_id);
    EXPECT_GE(p.p_alive, 0);
    EXPECT_LE(p.p_alive, 1);
    EXPECT_GE(p.churn_probability, 0);
    EXPECT_LE(p.churn_probability, 1);
    EXPECT_GE(p.expected_orders, 0);
    ASSERT_TRUE(p.predicted_value.has_value());
    EXPECT_GT(*p.predicted_value, 0);
  }
  // The same options fit and predict the same numbers without writing anything (the
  // stored fit gave its clients' rows back: a fit without storing keeps them).
  EXPECT_TRUE(fit->rows.empty());
  auto again = FitStoreModel(*store_, Options(), clock_.Now());
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->rows.size(), 800u);
  std::map<std::string, double> churn_of;
  for (const auto& p : *predictions) churn_of[p.user_id] = p.churn_probability;
  int64_t seen = 0;
  Status st = PredictStoreClients(*again, Options(), [&](const std::vector<ClientModelRow>& rows) {
    for (const ClientModelRow& r : rows) {
      EXPECT_DOUBLE_EQ(r.prediction.churn_probability, churn_of[r.user_id]) << r.user_id;
      ++seen;
    }
    return Status::Ok();
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(seen, 800);
}

TEST_F(ModelRunnerTest, TooLittleDataIsRefusedNamingTheSettingAndWritesNothing) {
  LoadClients(*store_, 300);
  auto fit = FitAndStore(*store_, Options(), clock_.Now());
  EXPECT_EQ(fit.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(fit.status().field(), "RKD_MODEL_MIN_CLIENTS");
  EXPECT_NE(fit.status().message().find("at least 500"), std::string::npos) << fit.status().message();
  ModelRunOptions o = Options();
  o.min_clients = 100;
  o.min_history_days = 400;  // first orders are at most 365 days before the fit's day
  fit = FitAndStore(*store_, o, clock_.Now());
  EXPECT_EQ(fit.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(fit.status().field(), "RKD_MODEL_MIN_HISTORY_DAYS");
  EXPECT_FALSE(store_->LatestModelFit().value().has_value());
  EXPECT_TRUE(store_->PredictionsOf({"c100000"}).value().empty());
}

TEST_F(ModelRunnerTest, AStoreFailingMidwayLeavesThePreviousFitCurrent) {
  LoadClients(*store_, 600);
  auto first = FitAndStore(*store_, Options(), clock_.Now());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  testkit::FaultPlan plan;
  testkit::FaultyStore faulty(*store_, plan);
  plan.FailNth("SavePredictions", 3, Status::Unavailable("injected"));
  ModelRunOptions o = Options();
  o.unit = TimeUnit::kWeeks;
  auto second = FitAndStore(faulty, o, clock_.Now());
  EXPECT_EQ(second.status().code(), Code::kUnavailable);
  auto latest = store_->LatestModelFit();
  ASSERT_TRUE(latest.ok() && latest->has_value());
  EXPECT_EQ((*latest)->fit_id, first->record.fit_id);  // the failed fit was never stored
}

TEST_F(ModelRunnerTest, ASecondFitWhileOneRunsIsRefused) {
  LoadClients(*store_, 50);
  testkit::FaultPlan plan;
  testkit::FaultyStore faulty(*store_, plan);
  plan.TimeOutNth("ScanClientOrders", 1, std::chrono::milliseconds(800));
  ModelRunner runner(faulty, clock_);
  Result<StoreModelFit> slow = Status::Internal("not run");
  std::thread t([&] { slow = runner.TryFit(Options()); });
  // The first fit is inside its (slow) first read.
  for (int i = 0; i < 200 && plan.Calls("ScanClientOrders") == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_TRUE(runner.running());
  auto second = runner.TryFit(Options());
  EXPECT_EQ(second.status().code(), Code::kAlreadyExists);
  EXPECT_EQ(second.status().field(), "fit");
  t.join();
  EXPECT_EQ(slow.status().code(), Code::kUnavailable);  // the injected time-out
  EXPECT_FALSE(runner.running());
  auto third = runner.TryFit(Options());  // free again: refused for its data, not for running
  EXPECT_EQ(third.status().field(), "RKD_MODEL_MIN_CLIENTS");
}

TEST_F(ModelRunnerTest, AStartedFitRunsInTheBackgroundAndRecordsHowItEnded) {
  LoadClients(*store_, 600);
  testkit::FaultPlan plan;
  testkit::FaultyStore faulty(*store_, plan);
  plan.TimeOutNth("ScanClientOrders", 1, std::chrono::milliseconds(600));
  ModelRunner runner(faulty, clock_);
  EXPECT_FALSE(runner.last_run().has_value());
  auto started = runner.StartFit(Options());
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  EXPECT_EQ(started->trigger, FitRun::Trigger::kApi);
  EXPECT_FALSE(started->finished_at.has_value());
  EXPECT_TRUE(runner.running());  // returned before the (slow) fit ended
  EXPECT_EQ(runner.StartFit(Options()).status().code(), Code::kAlreadyExists);
  EXPECT_EQ(runner.TryFit(Options()).status().code(), Code::kAlreadyExists);
  auto wait_until_done = [&] {
    for (int i = 0; i < 2000 && runner.running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    ASSERT_FALSE(runner.running());
  };
  wait_until_done();
  std::optional<FitRun> run = runner.last_run();
  ASSERT_TRUE(run.has_value() && run->finished_at.has_value());
  EXPECT_EQ(run->outcome.code(), Code::kUnavailable);  // the injected time-out, kept
  EXPECT_TRUE(run->fit_id.empty());
  EXPECT_FALSE(store_->LatestModelFit().value().has_value());

  ASSERT_TRUE(runner.StartFit(Options()).ok());  // free again; this one fits
  wait_until_done();
  run = runner.last_run();
  ASSERT_TRUE(run.has_value());
  EXPECT_TRUE(run->outcome.ok()) << run->outcome.ToString();
  EXPECT_EQ(run->predictions, 600);
  EXPECT_EQ(run->fit_id, store_->LatestModelFit().value()->fit_id);
}

TEST_F(ModelRunnerTest, AFitRunningInAnotherProcessIsRefusedThroughTheLock) {
  LoadClients(*store_, 600);
  FileLeaderLock other(dir_ / "rekindle-model.lock");  // another process's fit holds it
  ASSERT_TRUE(other.TryAcquire().value());
  ModelRunner runner(*store_, clock_, std::make_unique<FileLeaderLock>(dir_ / "rekindle-model.lock"));
  auto refused = runner.TryFit(Options());
  EXPECT_EQ(refused.status().code(), Code::kAlreadyExists);
  EXPECT_EQ(refused.status().field(), "fit");
  EXPECT_FALSE(runner.running());
  EXPECT_FALSE(store_->LatestModelFit().value().has_value());
  other.Release();
  auto fit = runner.TryFit(Options());  // free again
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  EXPECT_EQ(fit->predictions, 600);
  EXPECT_TRUE(other.TryAcquire().value());  // the runner let it go after its fit
}

TEST(ModelRunnerOptions, UnitsAndKindsByName) {
  EXPECT_EQ(ParseTimeUnit("days"), TimeUnit::kDays);
  EXPECT_EQ(ParseTimeUnit("weeks"), TimeUnit::kWeeks);
  EXPECT_EQ(ParseTimeUnit("Weeks"), std::nullopt);
  EXPECT_STREQ(TimeUnitName(TimeUnit::kWeeks), "weeks");
}

}  // namespace
}  // namespace rkd

namespace rkd {
namespace {

class SteppingClock final : public Clock {
 public:
  Millis Now() const override { return now_.load(); }
  void Advance(Millis ms) { now_ += ms; }

 private:
  std::atomic<Millis> now_{kUntil + 100 * kDay};
};

// The schedule (RKD_MODEL_REFIT_HOURS): a store without a fit gets one; a fresh fit (from
// any process) is left alone until it is `every` old; a refit the data cannot support is
// kept as the last error and not tried again for an hour.
TEST(ModelRefitTest, RefitsWhenTheLatestFitIsOldAndWaitsAfterAFailure) {
  testkit::TempDir dir;
  SteppingClock clock;
  auto store = SqliteStore::Open(dir / "rekindle.db", ScoreRules{}, &clock);
  ASSERT_TRUE(store.ok());
  LoadClients(**store, 600);
  ModelRunner runner(**store, clock);
  int64_t min_clients = 500;
  auto options_at = [&](Millis now) {
    ModelRunOptions o;
    o.until = now;
    o.unit = TimeUnit::kWeeks;
    o.min_clients = min_clients;
    return o;
  };
  EXPECT_TRUE(runner.RefitIfDue(std::chrono::hours(24), options_at));
  const std::string first = (*store)->LatestModelFit().value()->fit_id;
  EXPECT_TRUE(runner.refit_status().last_error.empty());
  clock.Advance(23 * 3'600'000);
  EXPECT_FALSE(runner.RefitIfDue(std::chrono::hours(24), options_at));  // 23 hours old
  EXPECT_EQ((*store)->LatestModelFit().value()->fit_id, first);
  clock.Advance(3'600'000);
  min_clients = 5000;  // the data no longer meet the minimums
  EXPECT_FALSE(runner.RefitIfDue(std::chrono::hours(24), options_at));
  EXPECT_EQ(runner.refit_status().last_attempt_at, clock.Now());
  EXPECT_NE(runner.refit_status().last_error.find("at least 5000"), std::string::npos)
      << runner.refit_status().last_error;
  min_clients = 500;
  clock.Advance(59 * 60'000);  // within the hour after the failure: not tried
  EXPECT_FALSE(runner.RefitIfDue(std::chrono::hours(24), options_at));
  EXPECT_EQ((*store)->LatestModelFit().value()->fit_id, first);
  clock.Advance(60'000);
  EXPECT_TRUE(runner.RefitIfDue(std::chrono::hours(24), options_at));
  EXPECT_NE((*store)->LatestModelFit().value()->fit_id, first);
  EXPECT_TRUE(runner.refit_status().last_error.empty());
}

// The fit keeps the shape of its predictions: every prediction in one churn bin, and in
// one value bin (the spend model fitted), the value bins' edges round.
TEST_F(ModelRunnerTest, TheStoredFitCarriesItsPredictionsDistributions) {
  LoadClients(*store_, 600);
  auto fit = FitAndStore(*store_, Options(), clock_.Now());
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  const auto diagnostics = nlohmann::json::parse(store_->LatestModelFit().value()->diagnostics);
  const auto& d = diagnostics.at("distributions");
  int64_t churn_total = 0, value_total = 0;
  ASSERT_EQ(d.at("churnProbability").size(), 10u);
  for (const auto& bin : d.at("churnProbability")) churn_total += bin.at("clients").get<int64_t>();
  ASSERT_EQ(d.at("predictedValue").size(), 11u);
  for (const auto& bin : d.at("predictedValue")) value_total += bin.at("clients").get<int64_t>();
  EXPECT_EQ(churn_total, fit->predictions);
  EXPECT_EQ(value_total, fit->predictions);
  EXPECT_TRUE(d["predictedValue"][10]["to"].is_null());
  const double top = d["predictedValue"][9]["to"].get<double>();
  EXPECT_EQ(top, RoundUpToNiceNumber(top));
}

TEST(PredictionHistogramsTest, BinsAndRoundEdges) {
  EXPECT_EQ(RoundUpToNiceNumber(173), 200);
  EXPECT_EQ(RoundUpToNiceNumber(100), 100);
  EXPECT_EQ(RoundUpToNiceNumber(2.2), 2.5);
  EXPECT_DOUBLE_EQ(RoundUpToNiceNumber(0.031), 0.05);
  PredictionHistograms h;
  for (int i = 0; i < 100; ++i) h.Add(i / 100.0, i < 99 ? std::optional<double>(i) : std::optional<double>(10'000));
  h.Add(1.0, std::nullopt);  // a churn of exactly 1 goes in the last bin; no value
  const auto j = h.ToJson();
  EXPECT_EQ(j["churnProbability"][0]["clients"], 10);
  EXPECT_EQ(j["churnProbability"][9]["clients"], 11);
  // The 95th percentile is 95: bins of 10 up to 100, the outlier above.
  EXPECT_EQ(j["predictedValue"][9]["to"], 100.0);
  EXPECT_EQ(j["predictedValue"][0]["clients"], 10);
  EXPECT_EQ(j["predictedValue"][10]["clients"], 1);
  PredictionHistograms none;
  none.Add(0.5, std::nullopt);
  EXPECT_TRUE(none.ToJson()["predictedValue"].empty());
}

}  // namespace
}  // namespace rkd
