// GET /health and GET /api/alerts in process, on a real SQLite store and embedded bus
// with a manual clock: the documented rule (200 ok, 200 degraded with reasons, 503 when
// the bus does not answer) and the 5-second snapshot that keeps them cheap.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "api/api.h"
#include "bus/embedded/embedded_bus.h"
#include "http/request_target.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/fault_injection.h"
#include "testing/manual_clock.h"

namespace rkd {
namespace {

constexpr Millis kStart = 1'800'000'000'000;

class HealthRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_ = ::testing::TempDir() + "rkd-health-" + std::to_string(::getpid()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(scratch_);
    auto store = SqliteStore::Open(scratch_ + "/test.db", rules_, &clock_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    auto bus = EmbeddedBus::Open(scratch_ + "/bus.db", BusOptions{.max_receives = 1}, &clock_);
    ASSERT_TRUE(bus.ok()) << bus.status().ToString();
    bus_ = std::move(bus).value();
    ASSERT_TRUE(bus_->Subscribe("user-events", "email-processor").ok());
    faulty_bus_ = std::make_unique<testkit::FaultyBus>(*bus_, plan_);
    alerts_ = std::make_unique<DeliveryAlerts>(*store_, faulty_bus_.get(), clock_);
    ctx_ = std::make_unique<ApiContext>(
        ApiContext{.store = *store_, .rules = rules_, .clock = clock_, .version = "test", .alerts = alerts_.get()});
    RegisterHealthRoutes(router_, *ctx_);
  }
  void TearDown() override {
    ctx_.reset();
    alerts_.reset();
    faulty_bus_.reset();
    bus_.reset();
    store_.reset();
    std::filesystem::remove_all(scratch_);
  }

  std::pair<int, nlohmann::json> Get(const std::string& path) {
    HttpRequest req;
    req.method = "GET";
    req.target = path;
    auto target = NormalizeTarget(path);
    EXPECT_TRUE(target.ok());
    req.path = target->path;
    req.segments = target->segments;
    HttpResponse r = router_.Dispatch(req);
    return {r.status, nlohmann::json::parse(r.body)};
  }

  void FailedEmail(const std::string& id, const std::string& error) {
    User u;
    u.email = id + "@shop.test";
    u.name = "Client " + id;
    auto created = store_->CreateUser(u);
    ASSERT_TRUE(created.ok());
    Email draft;
    draft.email_id = id;
    draft.user_id = created->user_id;
    draft.generated_at = clock_.Now();
    ASSERT_TRUE(store_->ReserveEmail(draft, "t-" + id, 0, 60'000).ok());
    ASSERT_TRUE(store_->FinishEmail(id, "FAILED", std::nullopt, error).ok());
  }

  ScoreRules rules_;
  testkit::ManualClock clock_{kStart};
  std::string scratch_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Bus> bus_;
  testkit::FaultPlan plan_;
  std::unique_ptr<testkit::FaultyBus> faulty_bus_;
  std::unique_ptr<DeliveryAlerts> alerts_;
  std::unique_ptr<ApiContext> ctx_;
  Router router_;
};

TEST_F(HealthRoutesTest, OkWhenNothingFailed) {
  auto [status, body] = Get("/health");
  EXPECT_EQ(status, 200);
  EXPECT_EQ(body["data"]["status"], "ok");
  EXPECT_TRUE(body["data"]["reasons"].empty());
  auto [astatus, alerts] = Get("/api/alerts");
  EXPECT_EQ(astatus, 200);
  EXPECT_EQ(alerts["data"]["failedDeliveries"], 0);
  EXPECT_EQ(alerts["data"]["deadLetters"], 0);
  EXPECT_TRUE(alerts["data"]["lastError"].is_null());
  EXPECT_TRUE(alerts["data"]["at"].is_null());
}

TEST_F(HealthRoutesTest, AFailedDeliveryDegradesForTheWindowWithoutNamingTheRecipientOnHealth) {
  FailedEmail("e-1", "550 5.1.1 <ann@shop.test>: Recipient address rejected");
  auto [status, body] = Get("/health");
  EXPECT_EQ(status, 200);  // degraded is not down: a balancer keeps the instance
  EXPECT_EQ(body["data"]["status"], "degraded");
  ASSERT_EQ(body["data"]["reasons"].size(), 1u);
  EXPECT_EQ(body["data"]["reasons"][0], "1 delivery failed in the last 60 minutes");
  EXPECT_EQ(body["data"]["failedDeliveries"], 1);
  EXPECT_EQ(body.dump().find("ann@shop.test"), std::string::npos);  // /health is open

  auto [astatus, alerts] = Get("/api/alerts");
  EXPECT_EQ(astatus, 200);
  EXPECT_EQ(alerts["data"]["status"], "degraded");
  EXPECT_EQ(alerts["data"]["lastError"], "550 5.1.1 <ann@shop.test>: Recipient address rejected");
  EXPECT_EQ(alerts["data"]["emailId"], "e-1");
  EXPECT_EQ(alerts["data"]["at"], FormatRfc3339(kStart));

  clock_.Advance(60 * 60'000 + 1);  // the window (the last 60 minutes, its start included) has passed
  EXPECT_EQ(Get("/health").second["data"]["status"], "ok");
}

TEST_F(HealthRoutesTest, DeadLettersDegradeUntilRedrivenAndNameTheirError) {
  ASSERT_TRUE(bus_->Publish("user-events", {{R"({"userId":"u1"})", "ev-1"}}).ok());
  auto got = bus_->Receive("email-processor", 1, std::chrono::milliseconds(0));
  ASSERT_TRUE(got.ok() && got->size() == 1);
  ASSERT_TRUE(bus_->Nack("email-processor", got->front().receipt, std::chrono::milliseconds(0), "writer down").ok());
  auto [status, body] = Get("/health");
  EXPECT_EQ(status, 200);
  EXPECT_EQ(body["data"]["status"], "degraded");
  EXPECT_EQ(body["data"]["reasons"][0], "1 dead letter waits in email-processor");
  auto alerts = Get("/api/alerts").second["data"];
  EXPECT_EQ(alerts["deadLetters"], 1);
  EXPECT_EQ(alerts["lastError"], "writer down");
  EXPECT_EQ(alerts["queue"], "email-processor");
  EXPECT_EQ(alerts["deadLetterQueues"][0]["name"], "email-processor");

  ASSERT_EQ(*bus_->Redrive("email-processor"), 1);
  clock_.Advance(5'000);
  EXPECT_EQ(Get("/health").second["data"]["status"], "ok");
}

TEST_F(HealthRoutesTest, A503WhenTheBusDoesNotAnswerAndOneReadPerFiveSeconds) {
  EXPECT_EQ(Get("/health").first, 200);
  const int reads = plan_.Calls("Stats");
  plan_.FailAlways("Stats", Status::Unavailable("bus down"));
  // Within five seconds the snapshot answers: however many probes, no read.
  for (int i = 0; i < 10; ++i) EXPECT_EQ(Get("/health").first, 200);
  EXPECT_EQ(plan_.Calls("Stats"), reads);
  clock_.Advance(5'000);
  auto [status, body] = Get("/health");
  EXPECT_EQ(status, 503);
  EXPECT_EQ(body["code"], "unavailable");
  EXPECT_EQ(Get("/api/alerts").first, 503);
  EXPECT_EQ(plan_.Calls("Stats"), reads + 1);
  plan_.Clear();
  clock_.Advance(5'000);
  EXPECT_EQ(Get("/health").first, 200);
}

}  // namespace
}  // namespace rkd
