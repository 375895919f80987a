// Win-back journeys in process (issue 16): the email processor and the due scan on the
// real embedded store and bus, time on a ManualClock. Steps go out at their delays and
// no sooner, every exit ends the episode, an episode that ended without an order rests,
// a redelivered event sends nothing twice, and a client the sending controls turn away
// stays due and goes out once they let it.
#include "pipeline/journey.h"

#include <gtest/gtest.h>

#include "pipeline/sweeper.h"
#include "pipeline/user_event.h"
#include "testing/pipeline_rig.h"

namespace rkd {
namespace {

using testkit::PipelineRig;

constexpr Millis kCooldown = 7 * kMillisPerDay;

struct JourneyRig : PipelineRig {
  Sweeper sweeper{*store, *bus, rules, clock, kCooldown};

  // The due scan, then the workers: what a minute of `rekindle serve` does.
  int64_t ScanAndWork() {
    auto r = sweeper.ScanDue();
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    Work();
    return r.ok() ? r->due : -1;
  }
  std::optional<Episode> LatestEpisode(const std::string& user_id) {
    auto e = real_store->LatestEpisodes({user_id});
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    if (!e.ok() || e->empty()) return std::nullopt;
    return e->front();
  }
  void Advance(Millis ms) { clock.Advance(ms); }
};

TEST(JourneyTest, StepsGoOutAtTheirDelaysAndNoSoonerThenTheEpisodeCompletes) {
  JourneyRig rig;
  User u = rig.CreateLapsedUser("lena@example.com");
  rig.Run();  // at risk: step 1 at once (its delay is 0)
  auto emails = rig.EmailsOf(u.user_id);
  ASSERT_EQ(emails.size(), 1u);
  EXPECT_EQ(emails[0].step, 1);
  auto ep = rig.LatestEpisode(u.user_id);
  ASSERT_TRUE(ep);
  EXPECT_EQ(emails[0].episode_id, ep->episode_id);
  EXPECT_EQ(ep->step, 1);
  EXPECT_EQ(ep->steps, 3);
  EXPECT_EQ(ep->next_due_at, testkit::kRigStart + 10 * kMillisPerDay);

  rig.Advance(10 * kMillisPerDay - 1);
  EXPECT_EQ(rig.ScanAndWork(), 0) << "not due a millisecond early";
  rig.Advance(1);
  EXPECT_EQ(rig.ScanAndWork(), 1);
  emails = rig.EmailsOf(u.user_id);
  ASSERT_EQ(emails.size(), 2u);
  EXPECT_EQ(emails[0].step, 2);  // newest first
  EXPECT_EQ(emails[0].status, "SENT");
  EXPECT_EQ(rig.LatestEpisode(u.user_id)->next_due_at, rig.clock.Now() + 14 * kMillisPerDay);

  rig.Advance(14 * kMillisPerDay);
  EXPECT_EQ(rig.ScanAndWork(), 1);
  emails = rig.EmailsOf(u.user_id);
  ASSERT_EQ(emails.size(), 3u);
  EXPECT_EQ(emails[0].step, 3);
  ep = rig.LatestEpisode(u.user_id);
  EXPECT_EQ(ep->end_reason, kEndCompleted);
  EXPECT_EQ(ep->ended_at, rig.clock.Now());
  EXPECT_FALSE(ep->next_due_at);
  rig.Advance(30 * kMillisPerDay);
  EXPECT_EQ(rig.ScanAndWork(), 0);
  EXPECT_EQ(rig.mailer.sent().size(), 3u);
}

TEST(JourneyTest, AnOrderEndsTheEpisodeAsConvertedAndNothingMoreIsSent) {
  JourneyRig rig;
  User u = rig.CreateLapsedUser("otto@example.com");
  rig.Run();
  ASSERT_EQ(rig.mailer.sent().size(), 1u);
  rig.Advance(2 * kMillisPerDay);
  Order o;
  o.user_id = u.user_id;
  o.order_date = rig.clock.Now();
  o.total_value = 30;
  ASSERT_TRUE(rig.real_store->CreateOrder(o).ok());
  rig.Run();  // the order's change reaches the processor
  auto ep = rig.LatestEpisode(u.user_id);
  ASSERT_TRUE(ep);
  EXPECT_EQ(ep->end_reason, kEndConverted);
  rig.Advance(30 * kMillisPerDay);
  EXPECT_EQ(rig.ScanAndWork(), 0);
  EXPECT_EQ(rig.mailer.sent().size(), 1u);
}

class JourneyExitTest : public ::testing::TestWithParam<std::pair<std::string, std::string>> {};

TEST_P(JourneyExitTest, ASuppressionEndsTheEpisodeWithItsReasonWhenTheNextStepFallsDue) {
  const auto& [suppression, end_reason] = GetParam();
  JourneyRig rig;
  User u = rig.CreateLapsedUser("sam@example.com");
  rig.Run();
  ASSERT_EQ(rig.mailer.sent().size(), 1u);
  ASSERT_TRUE(rig.real_store->Suppress("Sam@Example.com", suppression).ok());
  rig.Advance(10 * kMillisPerDay);
  EXPECT_EQ(rig.ScanAndWork(), 1);
  EXPECT_EQ(rig.mailer.sent().size(), 1u) << "no step after an exit";
  auto ep = rig.LatestEpisode(u.user_id);
  EXPECT_EQ(ep->end_reason, end_reason);
  EXPECT_EQ(ep->step, 1);
  EXPECT_EQ(rig.ScanAndWork(), 0) << "an ended episode is no longer due";
}

INSTANTIATE_TEST_SUITE_P(Exits, JourneyExitTest,
                         ::testing::Values(std::pair{"unsubscribed", "unsubscribed"}, std::pair{"bounced", "bounced"},
                                           std::pair{"complained", "complained"}, std::pair{"manual", "unsubscribed"}));

TEST(JourneyTest, AnEpisodeThatEndedWithoutAnOrderRestsThenStartsAgainIfStillAtRisk) {
  JourneyRig rig;
  User u = rig.CreateLapsedUser("rita@example.com");
  rig.Run();
  rig.Advance(10 * kMillisPerDay);
  rig.ScanAndWork();
  rig.Advance(14 * kMillisPerDay);
  rig.ScanAndWork();
  ASSERT_EQ(rig.mailer.sent().size(), 3u);
  const Millis ended = rig.clock.Now();
  // Daily sweeps through the rest: still at risk, nothing sent.
  for (int day = 1; day < 90; ++day) {
    rig.Advance(kMillisPerDay);
    ASSERT_TRUE(rig.sweeper.Run().ok());
    rig.Work();
  }
  EXPECT_EQ(rig.mailer.sent().size(), 3u) << "resting";
  rig.clock.Set(ended + 90 * kMillisPerDay);
  ASSERT_TRUE(rig.sweeper.Run().ok());
  rig.Work();
  ASSERT_EQ(rig.mailer.sent().size(), 4u) << "rested and at risk again: a new episode";
  auto ep = rig.LatestEpisode(u.user_id);
  EXPECT_EQ(ep->number, 2);
  EXPECT_EQ(ep->step, 1);
  EXPECT_EQ(rig.EmailsOf(u.user_id)[0].episode_id, ep->episode_id);
}

TEST(JourneyTest, ARedeliveredDueEventSendsTheStepOnce) {
  JourneyRig rig;
  User u = rig.CreateLapsedUser("ivy@example.com");
  rig.Run();
  rig.Advance(10 * kMillisPerDay);
  // Two scans before a worker runs: the second's event has the same id (the step and its
  // due time), dropped while the first waits on the queue.
  ASSERT_EQ(rig.sweeper.ScanDue()->due, 1);
  rig.Advance(60'000);
  ASSERT_EQ(rig.sweeper.ScanDue()->due, 1);
  ASSERT_EQ(rig.Queue().depth, 1);
  // The same step's event delivered twice all the same (another process's scan on a bus
  // that lost its memory of the id, or a redelivery).
  UserEvent copy{"due-copy", "DUE", 0, u.user_id, std::nullopt, std::nullopt, rig.clock.Now()};
  ASSERT_TRUE(rig.real_bus->Publish(StreamProcessor::kTopic, {{EncodeEvent(copy), "due-copy"}}).ok());
  ASSERT_EQ(rig.Queue().depth, 2);
  rig.Work();
  EXPECT_EQ(rig.mailer.attempts().size(), 2u);
  EXPECT_EQ(rig.EmailsOf(u.user_id).size(), 2u);
  EXPECT_EQ(rig.writer.CallsFor(u.user_id), 2);
  // The same event once more, later.
  UserEvent again{"due-again", "DUE", 0, u.user_id, std::nullopt, std::nullopt, rig.clock.Now()};
  ASSERT_TRUE(rig.real_bus->Publish(StreamProcessor::kTopic, {{EncodeEvent(again), "due-again"}}).ok());
  rig.Work();
  EXPECT_EQ(rig.mailer.attempts().size(), 2u);
}

TEST(JourneyTest, AStepReservedButNotSentGoesOutOnTheNextDeliveryAndOnlyOnce) {
  JourneyRig rig;
  User u = rig.CreateLapsedUser("max@example.com");
  rig.mailer.FailNext(1, SendResult::Outcome::kRetryable, "451 try later");
  rig.Run();
  auto emails = rig.EmailsOf(u.user_id);
  ASSERT_EQ(emails.size(), 1u);
  EXPECT_EQ(emails[0].status, "GENERATED");
  rig.Advance(rig.Queue().depth == 0 ? 3'600'000 : 0);
  rig.Work();  // the nacked event comes back after its backoff
  for (int i = 0; i < 5 && rig.mailer.sent().empty(); ++i) {
    rig.Advance(60'000);
    rig.Work();
  }
  ASSERT_EQ(rig.mailer.sent().size(), 1u);
  emails = rig.EmailsOf(u.user_id);
  ASSERT_EQ(emails.size(), 1u);
  EXPECT_EQ(emails[0].status, "SENT");
  EXPECT_EQ(emails[0].step, 1);
  EXPECT_EQ(rig.writer.CallsFor(u.user_id), 1) << "the step was written once";
}

TEST(JourneyTest, AHeldOutClientStartsNoEpisodeAndIsRecorded) {
  auto options = PipelineRig::DefaultOptions();
  options.holdout_share = 1.0;
  PipelineRig rig(options);
  User u = rig.CreateLapsedUser("hal@example.com");
  rig.Run();
  EXPECT_TRUE(rig.mailer.attempts().empty());
  auto ep = rig.real_store->LatestEpisodes({u.user_id});
  ASSERT_TRUE(ep.ok());
  EXPECT_TRUE(ep->empty());
  EXPECT_EQ(rig.real_store->Effectiveness(7)->held_out.clients, 1);
}

TEST(JourneyTest, AFirstStepWithADelayWaitsForTheDueScan) {
  JourneyRig rig;
  ASSERT_TRUE(rig.real_store->SaveJourney({{{2, "winback-1"}, {7, "winback-2"}}, 30}, "test").ok());
  User u = rig.CreateLapsedUser("dora@example.com");
  rig.Run();
  EXPECT_TRUE(rig.mailer.attempts().empty());
  auto ep = rig.LatestEpisode(u.user_id);
  ASSERT_TRUE(ep);
  EXPECT_EQ(ep->journey_version, 2);
  EXPECT_EQ(ep->step, 0);
  EXPECT_EQ(ep->steps, 2);
  rig.Advance(2 * kMillisPerDay);
  EXPECT_EQ(rig.ScanAndWork(), 1);
  ASSERT_EQ(rig.mailer.sent().size(), 1u);
  EXPECT_EQ(rig.EmailsOf(u.user_id)[0].step, 1);
}

TEST(JourneyTest, AnEpisodeFollowsTheVersionItStartedOn) {
  JourneyRig rig;
  User u = rig.CreateLapsedUser("vera@example.com");
  rig.Run();  // version 1: three steps
  ASSERT_TRUE(rig.real_store->SaveJourney({{{0, "winback-1"}}, 30}, "test").ok());
  rig.Advance(10 * kMillisPerDay);
  EXPECT_EQ(rig.ScanAndWork(), 1);
  EXPECT_EQ(rig.EmailsOf(u.user_id).size(), 2u) << "step 2 of version 1, though version 2 has one step";
}

// A gate that turns everyone away until opened.
class ClosedGate : public SendGate {
 public:
  Result<std::vector<GateAnswer>> Admit(const std::vector<const User*>& users, Millis) override {
    ++asked;
    return std::vector<GateAnswer>(users.size(), GateAnswer{open ? GateVerdict::kSend : GateVerdict::kPaused, 0});
  }
  Result<std::vector<GateAnswer>> Preview(const std::vector<const User*>& users, Millis now) override {
    return Admit(users, now);
  }
  bool open = false;
  int asked = 0;
};

TEST(JourneyTest, AClientTheGateTurnsAwayStaysDueAndGoesOutOnceItOpens) {
  JourneyRig rig;
  ClosedGate gate;
  rig.processor = std::make_unique<EmailProcessor>(*rig.store, *rig.bus, rig.writer, *rig.faulty_mailer, gate,
                                                   rig.rules, rig.clock, rig.options);
  User u = rig.CreateLapsedUser("paula@example.com");
  rig.Run();
  EXPECT_TRUE(rig.mailer.attempts().empty());
  EXPECT_EQ(rig.writer.CallsFor(u.user_id), 0) << "nothing written while turned away";
  EXPECT_EQ(rig.Queue().depth + rig.Queue().in_flight, 0) << "the event is done: no receive burnt";
  auto ep = rig.LatestEpisode(u.user_id);
  ASSERT_TRUE(ep);
  EXPECT_EQ(ep->step, 0);
  EXPECT_EQ(ep->next_due_at, rig.clock.Now() + rig.options.gate_retry.count()) << "due again after gate_retry";
  rig.Advance(rig.options.gate_retry.count());
  EXPECT_EQ(rig.ScanAndWork(), 1);
  EXPECT_TRUE(rig.mailer.attempts().empty());
  gate.open = true;
  rig.Advance(rig.options.gate_retry.count());
  EXPECT_EQ(rig.ScanAndWork(), 1);
  ASSERT_EQ(rig.mailer.sent().size(), 1u);
  EXPECT_EQ(rig.EmailsOf(u.user_id)[0].step, 1);
  EXPECT_EQ(rig.LatestEpisode(u.user_id)->step, 1);
}

// The decision alone.
TEST(JourneyDecisionTest, ValidationNamesTheField) {
  EXPECT_TRUE(ValidateJourney(DefaultJourney(), kCooldown).ok());
  EXPECT_EQ(ValidateJourney({{}, 90}, kCooldown).field(), "steps");
  EXPECT_EQ(ValidateJourney({{{0, "a"}, {6, "b"}}, 90}, kCooldown).field(), "steps[1].delayDays")
      << "below the cooldown";
  EXPECT_TRUE(ValidateJourney({{{3, "a"}, {7, "b"}}, 90}, kCooldown).ok()) << "the first delay may be anything";
  EXPECT_EQ(ValidateJourney({{{0, "Bad Name"}}, 90}, kCooldown).field(), "steps[0].message");
  EXPECT_EQ(ValidateJourney({{{-1, "a"}}, 90}, kCooldown).field(), "steps[0].delayDays");
  EXPECT_EQ(ValidateJourney({{{0, "a"}}, 4000}, kCooldown).field(), "restDays");
}

}  // namespace
}  // namespace rkd
