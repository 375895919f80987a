// The sending controls' gate (pipeline/store_send_gate.h) on a real SQLite store with a
// manual clock: the pause switch and the start-paused setup, the daily cap in the shop's
// time zone and the hourly rate (taken atomically, never by Preview), quiet hours in the
// client's zone across New York's and Berlin's daylight-saving changes, and windows that
// cross midnight.
#include "pipeline/store_send_gate.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "pipeline/sending_switch.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/manual_clock.h"
#include "testing/temp_dir.h"

namespace rkd {
namespace {

using nlohmann::json;

Millis At(const char* rfc3339) { return *ParseRfc3339(rfc3339); }

User Client(const std::string& id, const std::string& zone = "") {
  User u;
  u.user_id = id;
  u.email = id + "@example.com";
  u.time_zone = zone;
  return u;
}

class StoreSendGateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = SqliteStore::Open(dir_ / "gate.db", ScoreRules{}, &clock_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
    gate_ = std::make_unique<StoreSendGate>(*store_);
  }
  // The settings sending needs, then resumed: a configured shop.
  void Configure(std::vector<std::pair<std::string, json>> extra = {}) {
    std::vector<std::pair<std::string, std::string>> values{{"senderName", json("Shop").dump()},
                                                            {"senderEmail", json("hi@shop.example").dump()},
                                                            {"postalAddress", json("1 Road").dump()},
                                                            {"publicUrl", json("https://r.shop.example").dump()}};
    for (auto& [k, v] : extra) values.emplace_back(k, v.dump());
    ASSERT_TRUE(store_->PutSettings(values, "test", false).ok());
    ASSERT_TRUE(ResumeSending(*store_, clock_.Now(), "test").ok());
  }
  std::vector<GateAnswer> Admit(const std::vector<User>& users, Millis now) {
    std::vector<const User*> ptrs;
    for (const User& u : users) ptrs.push_back(&u);
    auto r = gate_->Admit(ptrs, now);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : std::vector<GateAnswer>{};
  }
  std::vector<GateAnswer> Preview(const std::vector<User>& users, Millis now) {
    std::vector<const User*> ptrs;
    for (const User& u : users) ptrs.push_back(&u);
    auto r = gate_->Preview(ptrs, now);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : std::vector<GateAnswer>{};
  }
  static int Count(const std::vector<GateAnswer>& answers, GateVerdict v) {
    int n = 0;
    for (const GateAnswer& a : answers) n += a.verdict == v;
    return n;
  }
  GateAnswer One(const User& u, Millis now) { return Admit({u}, now).at(0); }

  testkit::TempDir dir_;
  testkit::ManualClock clock_{At("2026-06-01T12:00:00Z")};
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<StoreSendGate> gate_;
};

TEST_F(StoreSendGateTest, AFreshStoreIsPausedForSetupUntilTheSettingsAreSetAndResumed) {
  const User ada = Client("ada");
  EXPECT_EQ(One(ada, clock_.Now()).verdict, GateVerdict::kPaused);
  auto now = gate_->Current(clock_.Now());
  ASSERT_TRUE(now.ok());
  EXPECT_TRUE(now->state.paused);
  EXPECT_EQ(now->state.reason, "setup");
  // Resuming names the first missing setting and changes nothing.
  Status refused = ResumeSending(*store_, clock_.Now(), "test");
  EXPECT_EQ(refused.code(), Code::kFailedPrecondition);
  EXPECT_EQ(refused.field(), "senderName");
  ASSERT_TRUE(
      store_->PutSettings({{"senderName", "\"Shop\""}, {"senderEmail", "\"hi@shop.example\""}}, "t", false).ok());
  EXPECT_EQ(ResumeSending(*store_, clock_.Now(), "test").field(), "postalAddress");
  EXPECT_EQ(One(ada, clock_.Now()).verdict, GateVerdict::kPaused);
  Configure();
  EXPECT_EQ(One(ada, clock_.Now()).verdict, GateVerdict::kSend);
  // A required setting cleared later pauses again, for setup.
  ASSERT_TRUE(store_->PutSettings({{"postalAddress", "null"}}, "t", false).ok());
  EXPECT_EQ(One(ada, clock_.Now()).verdict, GateVerdict::kPaused);
  EXPECT_EQ(gate_->Current(clock_.Now())->state.reason, "setup");
}

TEST_F(StoreSendGateTest, SetUpStartsRunningOnlyWithCompleteSettingsAndOnlyOnce) {
  // The environment gave everything: running, and a later start changes nothing.
  ASSERT_TRUE(SetUpSettings(*store_,
                            {{"senderName", "\"Shop\""},
                             {"senderEmail", "\"hi@shop.example\""},
                             {"postalAddress", "\"1 Road\""},
                             {"publicUrl", "\"https://r.example\""}},
                            true, clock_.Now(), "environment")
                  .ok());
  EXPECT_FALSE(gate_->Current(clock_.Now())->state.paused);
  ASSERT_TRUE(PauseSending(*store_, clock_.Now(), "ops").ok());
  ASSERT_TRUE(SetUpSettings(*store_, {{"senderName", "\"Other\""}}, true, clock_.Now(), "environment").ok());
  auto now = gate_->Current(clock_.Now());
  EXPECT_TRUE(now->state.paused);
  EXPECT_EQ(now->state.reason, "manual");
  EXPECT_EQ(now->state.by, "ops");
  EXPECT_EQ(now->settings.sender_name, "Shop");  // set before: kept
}

TEST_F(StoreSendGateTest, PauseTurnsEveryoneAwayAndTakesNoBudget) {
  Configure({{"dailyCap", 10}});
  ASSERT_TRUE(PauseSending(*store_, clock_.Now(), "ops").ok());
  const auto answers = Admit({Client("a"), Client("b"), Client("c")}, clock_.Now());
  EXPECT_EQ(Count(answers, GateVerdict::kPaused), 3);
  EXPECT_EQ(gate_->Current(clock_.Now())->sent_today, 0);
  auto st = gate_->Current(clock_.Now());
  EXPECT_EQ(st->state.reason, "manual");
  EXPECT_EQ(st->state.by, "ops");
  EXPECT_EQ(st->state.since, clock_.Now());
  ASSERT_TRUE(ResumeSending(*store_, clock_.Now(), "ops").ok());
  EXPECT_EQ(Count(Admit({Client("a"), Client("b")}, clock_.Now()), GateVerdict::kSend), 2);
  EXPECT_EQ(gate_->Current(clock_.Now())->sent_today, 2);
}

TEST_F(StoreSendGateTest, TheDailyCapCountsTheShopsDayAndPreviewTakesNothing) {
  Configure({{"dailyCap", 3}, {"timeZone", "America/New_York"}});
  const std::vector<User> five{Client("a"), Client("b"), Client("c"), Client("d"), Client("e")};
  // 2026-06-01 23:00 in New York (EDT, UTC−4) is 2026-06-02T03:00Z.
  const Millis late = At("2026-06-02T03:00:00Z");
  auto preview = Preview(five, late);
  EXPECT_EQ(Count(preview, GateVerdict::kSend), 3);
  EXPECT_EQ(Count(Preview(five, late), GateVerdict::kSend), 3);  // nothing was taken
  auto admitted = Admit(five, late);
  EXPECT_EQ(Count(admitted, GateVerdict::kSend), 3);
  ASSERT_EQ(admitted[4].verdict, GateVerdict::kCapped);
  // Until midnight in New York: 04:00Z.
  EXPECT_EQ(admitted[4].not_before, At("2026-06-02T04:00:00Z"));
  EXPECT_EQ(Count(Admit(five, At("2026-06-02T03:59:00Z")), GateVerdict::kCapped), 5);
  EXPECT_EQ(Count(Preview(five, At("2026-06-02T03:59:00Z")), GateVerdict::kCapped), 5);
  // A new day in New York (still 2026-06-02 in UTC before and after): a new budget.
  EXPECT_EQ(Count(Admit(five, At("2026-06-02T04:00:00Z")), GateVerdict::kSend), 3);
  EXPECT_EQ(gate_->Current(At("2026-06-02T04:30:00Z"))->sent_today, 3);
}

TEST_F(StoreSendGateTest, TheHourlyRateRefillsEachHour) {
  Configure({{"hourlyRate", 2}});
  const std::vector<User> three{Client("a"), Client("b"), Client("c")};
  auto first = Admit(three, At("2026-06-01T12:10:00Z"));
  EXPECT_EQ(Count(first, GateVerdict::kSend), 2);
  EXPECT_EQ(first[2].verdict, GateVerdict::kCapped);
  EXPECT_EQ(first[2].not_before, At("2026-06-01T13:00:00Z"));
  EXPECT_EQ(Count(Admit(three, At("2026-06-01T12:59:59Z")), GateVerdict::kSend), 0);
  EXPECT_EQ(Count(Admit(three, At("2026-06-01T13:00:00Z")), GateVerdict::kSend), 2);
  auto st = gate_->Current(At("2026-06-01T13:30:00Z"));
  EXPECT_EQ(st->sent_this_hour, 2);
  EXPECT_EQ(st->sent_today, 4);
}

TEST_F(StoreSendGateTest, TwoWorkersTakingAtOnceNeverExceedTheCap) {
  Configure({{"dailyCap", 50}});
  std::vector<User> batch;
  for (int i = 0; i < 10; ++i) batch.push_back(Client("u" + std::to_string(i)));
  std::atomic<int> sent{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w)
    workers.emplace_back([&] {
      for (int round = 0; round < 5; ++round) sent += Count(Admit(batch, clock_.Now()), GateVerdict::kSend);
    });
  for (auto& t : workers) t.join();
  EXPECT_EQ(sent.load(), 50);  // 200 asked
  EXPECT_EQ(gate_->Current(clock_.Now())->sent_today, 50);
}

TEST_F(StoreSendGateTest, QuietHoursCrossingMidnightInTheClientsZoneElseTheShops) {
  Configure({{"quietHours", {{"start", "21:00"}, {"end", "08:00"}}}, {"timeZone", "Europe/Berlin"}});
  const User ny = Client("ny", "America/New_York"), berlin = Client("be", "Europe/Berlin"), shop = Client("shop"),
             unknown = Client("unknown", "Atlantis/Capital");
  // 2026-06-01T23:30Z: 19:30 in New York, 01:30 in Berlin (CEST).
  const Millis t = At("2026-06-01T23:30:00Z");
  EXPECT_EQ(One(ny, t).verdict, GateVerdict::kSend);
  GateAnswer b = One(berlin, t);
  EXPECT_EQ(b.verdict, GateVerdict::kQuietHours);
  EXPECT_EQ(b.not_before, At("2026-06-02T06:00:00Z"));           // 08:00 CEST
  EXPECT_EQ(One(shop, t).verdict, GateVerdict::kQuietHours);     // no zone: the shop's
  EXPECT_EQ(One(unknown, t).verdict, GateVerdict::kQuietHours);  // a zone tzdata lacks: the shop's
  // Before midnight in New York: 21:30 EDT is quiet until 08:00 the next morning.
  GateAnswer evening = One(ny, At("2026-06-02T01:30:00Z"));
  EXPECT_EQ(evening.verdict, GateVerdict::kQuietHours);
  EXPECT_EQ(evening.not_before, At("2026-06-02T12:00:00Z"));
  // The window's edges: 21:00 is quiet, 08:00 is not.
  EXPECT_EQ(One(ny, At("2026-06-02T01:00:00Z")).verdict, GateVerdict::kQuietHours);
  EXPECT_EQ(One(ny, At("2026-06-02T00:59:00Z")).verdict, GateVerdict::kSend);
  EXPECT_EQ(One(ny, At("2026-06-02T12:00:00Z")).verdict, GateVerdict::kSend);
  // Quiet hours turn away without taking budget.
  EXPECT_EQ(gate_->Current(t)->sent_today, 0 + 1 + 1 + 1);  // ny's three kSend answers above
}

TEST_F(StoreSendGateTest, QuietHoursFollowNewYorksDaylightSavingChanges) {
  Configure({{"quietHours", {{"start", "21:00"}, {"end", "08:00"}}}});
  const User ny = Client("ny", "America/New_York");
  // 12:30Z is 07:30 EST (quiet) the day before the change, 08:30 EDT (not) on the day.
  GateAnswer before = One(ny, At("2026-03-07T12:30:00Z"));
  EXPECT_EQ(before.verdict, GateVerdict::kQuietHours);
  EXPECT_EQ(before.not_before, At("2026-03-07T13:00:00Z"));
  EXPECT_EQ(One(ny, At("2026-03-08T12:30:00Z")).verdict, GateVerdict::kSend);
  // The night of the change: 01:30 EST, quiet until 08:00 EDT (12:00Z, not 13:00Z).
  GateAnswer night = One(ny, At("2026-03-08T06:30:00Z"));
  EXPECT_EQ(night.verdict, GateVerdict::kQuietHours);
  EXPECT_EQ(night.not_before, At("2026-03-08T12:00:00Z"));
  // November: 12:30Z is 08:30 EDT on Oct 31, 07:30 EST on Nov 1 (quiet until 13:00Z).
  EXPECT_EQ(One(ny, At("2026-10-31T12:30:00Z")).verdict, GateVerdict::kSend);
  GateAnswer after = One(ny, At("2026-11-01T12:30:00Z"));
  EXPECT_EQ(after.verdict, GateVerdict::kQuietHours);
  EXPECT_EQ(after.not_before, At("2026-11-01T13:00:00Z"));
  // 01:30 happens twice that night; both are quiet, both until 08:00 EST.
  EXPECT_EQ(One(ny, At("2026-11-01T05:30:00Z")).not_before, At("2026-11-01T13:00:00Z"));
  EXPECT_EQ(One(ny, At("2026-11-01T06:30:00Z")).not_before, At("2026-11-01T13:00:00Z"));
}

TEST_F(StoreSendGateTest, QuietHoursFollowBerlinsDaylightSavingChanges) {
  Configure({{"quietHours", {{"start", "21:00"}, {"end", "08:00"}}}});
  const User be = Client("be", "Europe/Berlin");
  // 06:30Z: 07:30 CET (quiet) on Mar 28, 08:30 CEST (not) on Mar 29.
  EXPECT_EQ(One(be, At("2026-03-28T06:30:00Z")).verdict, GateVerdict::kQuietHours);
  EXPECT_EQ(One(be, At("2026-03-29T06:30:00Z")).verdict, GateVerdict::kSend);
  // The night of the change, 00:30Z (01:30 CET): quiet until 08:00 CEST = 06:00Z.
  EXPECT_EQ(One(be, At("2026-03-29T00:30:00Z")).not_before, At("2026-03-29T06:00:00Z"));
  // October: 06:30Z is 08:30 CEST on Oct 24, 07:30 CET on Oct 25 (quiet until 07:00Z).
  EXPECT_EQ(One(be, At("2026-10-24T06:30:00Z")).verdict, GateVerdict::kSend);
  GateAnswer after = One(be, At("2026-10-25T06:30:00Z"));
  EXPECT_EQ(after.verdict, GateVerdict::kQuietHours);
  EXPECT_EQ(after.not_before, At("2026-10-25T07:00:00Z"));
  // 20:30Z on Oct 24 is 22:30 CEST: quiet through the long night until 08:00 CET.
  EXPECT_EQ(One(be, At("2026-10-24T20:30:00Z")).not_before, At("2026-10-25T07:00:00Z"));
}

TEST_F(StoreSendGateTest, AWindowWithinOneDay) {
  Configure({{"quietHours", {{"start", "12:00"}, {"end", "14:00"}}}, {"timeZone", "UTC"}});
  const User u = Client("u");
  EXPECT_EQ(One(u, At("2026-06-01T11:59:00Z")).verdict, GateVerdict::kSend);
  GateAnswer lunch = One(u, At("2026-06-01T12:00:00Z"));
  EXPECT_EQ(lunch.verdict, GateVerdict::kQuietHours);
  EXPECT_EQ(lunch.not_before, At("2026-06-01T14:00:00Z"));
  EXPECT_EQ(One(u, At("2026-06-01T14:00:00Z")).verdict, GateVerdict::kSend);
  EXPECT_EQ(One(u, At("2026-06-01T23:00:00Z")).verdict, GateVerdict::kSend);
}

}  // namespace
}  // namespace rkd
