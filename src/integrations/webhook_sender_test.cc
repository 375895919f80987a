// The outgoing webhooks' sender (integrations/webhook_sender.h): Standard Webhooks'
// signature against the spec's published example, the body's shape, the retry schedule,
// and a delivery to a receiver that never answers, driven on a manual clock through its
// twelve attempts to dead, then replayed, on a real SQLite store.
#include "integrations/webhook_sender.h"

#include <gtest/gtest.h>

#include "base/internal_address.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/manual_clock.h"
#include "testing/temp_dir.h"

namespace rkd {
namespace {

TEST(WebhookSignature, MatchesTheStandardWebhooksExample) {
  // https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
  EXPECT_EQ(StandardWebhookSignature("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                                     1614265330, R"({"test": 2432232314})"),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

TEST(WebhookSecret, IsAFreshWhsecKeyEachTime) {
  const std::string a = NewWebhookSecret(), b = NewWebhookSecret();
  EXPECT_EQ(a.rfind("whsec_", 0), 0u);
  EXPECT_EQ(a.size(), 6u + 32u);  // 24 bytes in base64
  EXPECT_NE(a, b);
}

TEST(WebhookBody, CarriesTheTypeTheEventTimeAndItsData) {
  WebhookDelivery d;
  d.type = "email.sent";
  d.created_at = *ParseRfc3339("2026-06-01T12:00:00Z");
  d.payload = R"({"emailId":"e1","userId":"u1"})";
  const auto body = nlohmann::json::parse(WebhookBody(d));
  EXPECT_EQ(body["type"], "email.sent");
  EXPECT_EQ(body["timestamp"], "2026-06-01T12:00:00.000Z");
  EXPECT_EQ(body["data"]["emailId"], "e1");
}

TEST(WebhookRetryDelay, FollowsTheScheduleAndEndsAfterTheTwelfthAttempt) {
  EXPECT_EQ(WebhookRetryDelay(1, 5'000), 5'000);
  EXPECT_EQ(WebhookRetryDelay(2, 5'000), 30'000);
  EXPECT_EQ(WebhookRetryDelay(6, 5'000), 3'600'000);
  EXPECT_EQ(WebhookRetryDelay(11, 5'000), 6 * 3'600'000);
  EXPECT_EQ(WebhookRetryDelay(12, 5'000), std::nullopt);
  EXPECT_EQ(WebhookRetryDelay(0, 5'000), std::nullopt);
  Millis total = 0;
  for (int64_t a = 1; WebhookRetryDelay(a, 5'000); ++a) total += *WebhookRetryDelay(a, 5'000);
  EXPECT_GT(total, 24 * 3'600'000) << "retried for a day";
  EXPECT_LT(total, 27 * 3'600'000);
}

class WebhookSenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = SqliteStore::Open(dir_ / "hooks.db", ScoreRules{}, &clock_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
  }

  testkit::TempDir dir_;
  testkit::ManualClock clock_{*ParseRfc3339("2026-06-01T12:00:00Z")};
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(WebhookSenderTest, ANeverAnsweringReceiverEndsDeadAfterADayOfRetriesAndAReplayStartsOver) {
  // Port 1 on loopback: nothing listens, the connection is refused at once.
  ASSERT_TRUE(store_
                  ->CreateWebhookEndpoint({.endpoint_id = "wh_1",
                                           .url = "http://127.0.0.1:1/hook",
                                           .secret = NewWebhookSecret(),
                                           .events = {"client.unsubscribed"},
                                           .created_at = clock_.Now()})
                  .ok());
  ASSERT_TRUE(store_->Suppress("gone@example.com", "unsubscribed").ok());
  WebhookSender sender(*store_, clock_,
                       {.first_retry = 5'000, .timeout = std::chrono::milliseconds(2'000), .allow_internal = true});
  const Millis start = clock_.Now();
  for (int attempt = 1; attempt <= 12; ++attempt) {
    auto sent = sender.SendDue();
    ASSERT_TRUE(sent.ok()) << sent.status().ToString();
    ASSERT_EQ(*sent, 1) << "attempt " << attempt;
    const WebhookDelivery d = store_->ListWebhookDeliveries("wh_1", "", 10)->at(0);
    EXPECT_EQ(d.attempts, attempt);
    EXPECT_FALSE(d.last_status.has_value());
    EXPECT_FALSE(d.last_error.empty());
    if (attempt < 12) {
      ASSERT_EQ(d.status, "pending");
      EXPECT_EQ(d.next_attempt_at, clock_.Now() + *WebhookRetryDelay(attempt, 5'000));
      EXPECT_EQ(*sender.SendDue(), 0) << "not due before its delay";
      clock_.Set(d.next_attempt_at);
    } else {
      EXPECT_EQ(d.status, "dead");
    }
  }
  EXPECT_GT(clock_.Now() - start, 24 * 3'600'000);
  clock_.Advance(7 * 86'400'000);
  EXPECT_EQ(*sender.SendDue(), 0) << "dead stays dead";

  const std::string id = store_->ListWebhookDeliveries("wh_1", "", 10)->at(0).delivery_id;
  ASSERT_TRUE(*store_->ReplayWebhookDelivery(id));
  EXPECT_EQ(*sender.SendDue(), 1);
  const WebhookDelivery d = store_->ListWebhookDeliveries("wh_1", "", 10)->at(0);
  EXPECT_EQ(d.status, "pending");
  EXPECT_EQ(d.attempts, 1) << "a replay starts the schedule over";
}

TEST_F(WebhookSenderTest, AnInternalAddressIsRefusedUnlessAllowed) {
  // "localhost" resolves to loopback: refused where it is resolved, not only as a literal.
  ASSERT_TRUE(store_
                  ->CreateWebhookEndpoint({.endpoint_id = "wh_1",
                                           .url = "http://localhost:1/hook",
                                           .secret = NewWebhookSecret(),
                                           .events = {"client.unsubscribed"},
                                           .created_at = clock_.Now()})
                  .ok());
  ASSERT_TRUE(store_->Suppress("inside@example.com", "unsubscribed").ok());
  WebhookSender sender(*store_, clock_, {});
  EXPECT_EQ(*sender.SendDue(), 1);
  const WebhookDelivery d = store_->ListWebhookDeliveries("wh_1", "", 10)->at(0);
  EXPECT_EQ(d.status, "pending");
  EXPECT_EQ(d.last_error.rfind("refused: ", 0), 0u) << d.last_error;
}

TEST(InternalHost, LiteralsInsideTheNetworkAndLocalhostAreInternal) {
  for (const char* host : {"localhost",
                           "LOCALHOST",
                           "app.localhost",
                           "127.0.0.1",
                           "127.1.2.3",
                           "10.0.0.1",
                           "172.16.5.4",
                           "192.168.1.1",
                           "169.254.169.254",
                           "100.64.0.1",
                           "0.0.0.0",
                           "224.0.0.1",
                           "::1",
                           "[::1]",
                           "fe80::1",
                           "fd00::1",
                           "::ffff:127.0.0.1",
                           "[::ffff:10.1.2.3]",
                           "::",
                           "localhost.",
                           "127.1",
                           "2130706433",
                           "0x7f.1"})
    EXPECT_TRUE(IsInternalHost(host)) << host;
  for (const char* host : {"shop.example", "8.8.8.8", "172.32.0.1", "192.169.0.1", "2606:4700::1111", "[2001:db8::1]",
                           "localhost.example"})
    EXPECT_FALSE(IsInternalHost(host)) << host;
}

TEST_F(WebhookSenderTest, ADeliveryForADeletedEndpointEndsDeadWithoutBeingSent) {
  ASSERT_TRUE(store_
                  ->CreateWebhookEndpoint({.endpoint_id = "wh_1",
                                           .url = "http://127.0.0.1:1/hook",
                                           .secret = NewWebhookSecret(),
                                           .events = {"email.complained"},
                                           .created_at = clock_.Now()})
                  .ok());
  ASSERT_TRUE(store_->Suppress("angry@example.com", "complained").ok());
  ASSERT_TRUE(*store_->DeleteWebhookEndpoint("wh_1"));
  WebhookSender sender(*store_, clock_, {});
  EXPECT_EQ(*sender.SendDue(), 1);
  const WebhookDelivery d = store_->ListWebhookDeliveries("wh_1", "", 10)->at(0);
  EXPECT_EQ(d.status, "dead");
  EXPECT_EQ(d.last_error, "the endpoint was deleted");
  EXPECT_EQ(d.attempts, 1);
}

}  // namespace
}  // namespace rkd
