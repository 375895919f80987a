// The sweeper in process (issue 14): re-scoring as time passes, whom it queues (at
// risk, not emailed within the cooldown, to the millisecond), and its day-stamped event
// ids (two sweeps a day: one email; a sweep after the cooldown: a new one).
#include "pipeline/sweeper.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "domain/shop_settings.h"
#include "pipeline/store_send_gate.h"
#include "pipeline/user_event.h"
#include "testing/pipeline_rig.h"

namespace rkd {
namespace {

using testkit::PipelineRig;

constexpr Millis kCooldown = 7 * kMillisPerDay;

// The user ids of the SWEEP events waiting on the queue (left there for the processor).
std::multiset<std::string> QueuedSweeps(PipelineRig& rig) {
  std::multiset<std::string> out;
  auto batch = rig.real_bus->Receive(rig.options.queue, 10, std::chrono::milliseconds(0));
  EXPECT_TRUE(batch.ok());
  for (const Message& m : *batch) {
    auto e = DecodeEvent(m.body);
    EXPECT_TRUE(e.ok());
    if (e.ok() && e->event_name == "SWEEP") out.insert(e->user_id);
    // Back at once, so that the processor can take it.
    EXPECT_TRUE(rig.real_bus->Nack(rig.options.queue, m.receipt, std::chrono::milliseconds(0), "peeked").ok());
  }
  return out;
}

TEST(SweeperTest, QueuesClientsAtRiskNotEmailedWithinTheCooldownToTheMillisecond) {
  PipelineRig rig;
  ASSERT_TRUE(rig.stream->SkipToEnd().ok());  // only the sweep's events on the queue
  const Millis now = rig.clock.Now();
  User healthy = rig.CreateLapsedUser("healthy@example.com", 2);
  User lapsed = rig.CreateLapsedUser("lapsed@example.com");
  User recent = rig.CreateLapsedUser("recent@example.com", 120, now - kCooldown + 1);
  User day_short = rig.CreateLapsedUser("dayshort@example.com", 120, now - kCooldown + kMillisPerDay);
  User due = rig.CreateLapsedUser("due@example.com", 120, now - kCooldown);
  Sweeper sweeper(*rig.store, *rig.bus, rig.rules, rig.clock, kCooldown);
  auto r = sweeper.Run();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->scored, 5);
  EXPECT_EQ(r->published, 2);
  EXPECT_EQ(QueuedSweeps(rig), (std::multiset<std::string>{lapsed.user_id, due.user_id}));
}

TEST(SweeperTest, ReScoresClientsWhoseScoreTimeHasMoved) {
  PipelineRig rig;
  User u = rig.CreateLapsedUser("fading@example.com", 25);  // under the first recency tier
  const double before = u.engagement_score;
  Sweeper sweeper(*rig.store, *rig.bus, rig.rules, rig.clock, kCooldown);
  auto r = sweeper.Run();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->changed, 0);
  rig.clock.Advance(10 * kMillisPerDay);  // now 35 days since the order: a tier lower
  r = sweeper.Run();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->changed, 1);
  const double after = rig.real_store->GetUser(u.user_id)->engagement_score;
  EXPECT_LT(after, before);
  EXPECT_EQ(after, ComputeScore(rig.rules, *rig.real_store->GetUser(u.user_id), rig.clock.Now()));
}

// Two sweeps on one day publish the same event ids: one email per client. A sweep once
// the cooldown has passed is a new trigger: a second, distinct email.
// On the seed's one-step journey without rest (the default journey's later steps come
// from the due scan: pipeline/journey_test.cc).
TEST(SweeperTest, SweepsOnOneDayEmailOnceAndASweepAfterTheCooldownEmailsAgain) {
  PipelineRig rig;
  ASSERT_TRUE(rig.real_store->SaveJourney({{{0, "winback-1"}}, 0}, "test").ok());
  ASSERT_TRUE(rig.stream->SkipToEnd().ok());
  User u = rig.CreateLapsedUser("swept@example.com");
  Sweeper sweeper(*rig.store, *rig.bus, rig.rules, rig.clock, kCooldown);
  ASSERT_EQ(sweeper.Run()->published, 1);
  ASSERT_EQ(sweeper.Run()->published, 1);  // the same event id, still queued: dropped
  EXPECT_EQ(rig.Queue().depth, 1);
  rig.Work();
  EXPECT_EQ(sweeper.Run()->published, 0);  // emailed now: within the cooldown
  rig.clock.Advance(60'000);
  ASSERT_TRUE(
      rig.real_bus
          ->Publish(
              StreamProcessor::kTopic,
              {{EncodeEvent(UserEvent{"sweep-" + FormatRfc3339(testkit::kRigStart).substr(0, 10) + "-" + u.user_id,
                                      "SWEEP", 0, u.user_id, std::nullopt, std::nullopt, rig.clock.Now()}),
                "replayed-sweep"}})
          .ok());  // and a replay of that day's event finds its email
  rig.Work();
  EXPECT_EQ(rig.mailer.sent().size(), 1u);

  rig.clock.Advance(kCooldown);
  rig.PumpStream();  // the pipeline's own writes: nothing published
  auto r = sweeper.Run();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->published, 1);
  rig.Work();
  auto sent = rig.mailer.sent();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_NE(sent[0].message_id, sent[1].message_id);
  EXPECT_EQ(rig.EmailsOf(u.user_id).size(), 2u);
}

TEST(SweeperTest, AFailedPublishFailsTheSweep) {
  PipelineRig rig;
  rig.CreateLapsedUser("lapsed@example.com");
  rig.faults.FailAlways("Publish", Status::Unavailable("injected: bus down"));
  Sweeper sweeper(*rig.store, *rig.bus, rig.rules, rig.clock, kCooldown);
  auto r = sweeper.Run();
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kUnavailable);
}

// Churn and both targeting (issue 11): while a send cap limits what goes out, the chosen
// are queued once the whole store is scored, the most value at stake (churn probability ×
// predicted value) first, so the cap goes to the clients most worth winning back; under
// `both`, a client the score chose without a prediction comes after them. Without a cap
// every chosen client goes out now: queued page by page, in user id order.
TEST(SweeperTest, ChurnTargetingQueuesTheMostValueAtStakeFirstUnderACap) {
  // Under a cap the sweep queues what the cap leaves of today, most value at stake first;
  // the rest are held back for the next day's ranking.
  struct Case {
    TargetingRule rule;
    std::optional<int> cap, sent_today;
  };
  for (const Case& c : {Case{TargetingRule::kChurn, 500, 0}, Case{TargetingRule::kBoth, 500, 0},
                        Case{TargetingRule::kChurn, std::nullopt, 0}, Case{TargetingRule::kChurn, 500, 498}}) {
    const TargetingRule rule = c.rule;
    const bool capped = c.cap.has_value();
    PipelineRig rig;
    ASSERT_TRUE(rig.stream->SkipToEnd().ok());
    if (capped) {
      ASSERT_TRUE(rig.real_store->PutSettings({{"dailyCap", std::to_string(*c.cap)}}, "test", false).ok());
      auto settings = rig.real_store->GetSettings();
      ASSERT_TRUE(settings.ok());
      if (*c.sent_today > 0) {
        ASSERT_TRUE(
            rig.real_store
                ->TakeSendBudget(StoreSendGate::Periods(SettingsFromRows(*settings), rig.clock.Now()), *c.sent_today, 0)
                .ok());
      }
    }
    const Millis now = rig.clock.Now();
    ASSERT_TRUE(rig.real_store
                    ->SaveModelFit({.fit_id = "fit-1",
                                    .model = "bgnbd",
                                    .unit = "days",
                                    .until = now / kMillisPerDay * kMillisPerDay,
                                    .params = "{}",
                                    .diagnostics = "{}",
                                    .fitted_at = now})
                    .ok());
    std::map<std::string, std::string> id_of;
    for (const auto& [name, churn, value] : {std::tuple{"a", 0.8, 100.0}, std::tuple{"b", 0.9, 10.0},
                                             std::tuple{"c", 0.75, 500.0}, std::tuple{"d", 0.5, 900.0}}) {
      User u = rig.CreateLapsedUser(std::string(name) + "@example.com", 2);  // a good score
      id_of[name] = u.user_id;
      ASSERT_TRUE(rig.real_store
                      ->SavePredictions({{.user_id = u.user_id,
                                          .fit_id = "fit-1",
                                          .churn_probability = churn,
                                          .predicted_value = value,
                                          .computed_at = now}})
                      .ok());
    }
    id_of["e"] = rig.CreateLapsedUser("e@example.com").user_id;  // at risk by score, no prediction
    Sweeper sweeper(*rig.store, *rig.bus, rig.rules, rig.clock, kCooldown, nullptr, nullptr, {rule, 0.7});
    auto r = sweeper.Run();
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    std::vector<std::string> order;
    auto batch = rig.real_bus->Receive(rig.options.queue, 10, std::chrono::milliseconds(0));
    ASSERT_TRUE(batch.ok());
    for (const Message& m : *batch) order.push_back(DecodeEvent(m.body)->user_id);
    std::vector<std::string> expected = {id_of["c"], id_of["a"], id_of["b"]};
    if (rule == TargetingRule::kBoth) expected.push_back(id_of["e"]);
    if (!capped) std::sort(expected.begin(), expected.end());
    const size_t chosen = expected.size();
    if (capped) expected.resize(std::min<size_t>(chosen, static_cast<size_t>(*c.cap - *c.sent_today)));
    const std::string what = std::string(TargetingRuleName(rule)) + (capped ? ", capped" : "") + ", sent today " +
                             std::to_string(*c.sent_today);
    EXPECT_EQ(order, expected) << what;
    EXPECT_EQ(r->published, static_cast<int64_t>(expected.size())) << what;
    EXPECT_EQ(r->held_back, static_cast<int64_t>(chosen - expected.size())) << what;
  }
}

}  // namespace
}  // namespace rkd
