// The email processor in process (issue 14): its decisions against the real embedded
// store and bus in a temporary folder, time on a ManualClock, the mail recorded, faults
// injected between the processor and the store, bus and mailer (src/testing/).
#include "pipeline/email_processor.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <thread>

#include "base/ids.h"
#include "experiments/variant_assignment.h"
#include "pipeline/user_event.h"
#include "testing/pipeline_rig.h"

namespace rkd {
namespace {

using testkit::InjectedCrash;
using testkit::PipelineRig;
using O = SendResult::Outcome;

constexpr Millis kCooldown = 7 * kMillisPerDay;

// The event the stream processor made of the user's first change, as it was published.
std::string FirstEventOf(PipelineRig& rig, const std::string& user_id) {
  auto changes = rig.real_store->ReadChanges(0, 1000);
  EXPECT_TRUE(changes.ok());
  for (const UserChange& c : *changes)
    if (c.user_id == user_id) return EncodeEvent(EventFromChange(c));
  ADD_FAILURE() << "no change for " << user_id;
  return "";
}

// Publishes `body` again under another dedup id: a second delivery of the same event (a
// bus redelivering during a failover, or a stream processor republishing after a crash).
void Redeliver(PipelineRig& rig, const std::string& body, const std::string& dedup) {
  ASSERT_TRUE(rig.real_bus->Publish(StreamProcessor::kTopic, {{body, dedup}}).ok());
}

void Rename(PipelineRig& rig, const std::string& user_id, const std::string& name) {
  UserPatch p;
  p.name = name;
  ASSERT_TRUE(rig.real_store->UpdateUser(user_id, p).ok());
}

TEST(EmailProcessorTest, AClientAtRiskGetsOneEmailAndARedeliveredEventSendsNothingMore) {
  PipelineRig rig;
  User u = rig.CreateLapsedUser("lena@example.com");
  EXPECT_EQ(rig.Run(), 1);
  ASSERT_EQ(rig.mailer.sent().size(), 1u);
  const MailMessage m = rig.mailer.sent()[0];
  EXPECT_EQ(m.to_address, "lena@example.com");
  EXPECT_EQ(m.to_name, "Lena Lindqvist");
  EXPECT_TRUE(m.one_click_unsubscribe);
  EXPECT_EQ(m.list_unsubscribe.rfind("<https://rekindle.example.com/u/", 0), 0u) << m.list_unsubscribe;
  // Whatever the writer wrote, the footer is there: the postal address and the way out.
  EXPECT_NE(m.text.find("Rekindle Ltd, 1 Test Street"), std::string::npos) << m.text;
  EXPECT_NE(m.text.find("https://rekindle.example.com/u/"), std::string::npos) << m.text;

  auto emails = rig.EmailsOf(u.user_id);
  ASSERT_EQ(emails.size(), 1u);
  EXPECT_EQ(emails[0].status, "SENT");
  EXPECT_EQ(emails[0].sent_at, testkit::kRigStart);
  EXPECT_EQ(m.message_id, emails[0].email_id + "@rekindle");
  EXPECT_EQ(rig.real_store->GetUser(u.user_id)->last_email_date, testkit::kRigStart);
  EXPECT_EQ(rig.Queue().depth + rig.Queue().in_flight, 0);

  Redeliver(rig, FirstEventOf(rig, u.user_id), "again");
  EXPECT_EQ(rig.Work(), 1);
  EXPECT_EQ(rig.mailer.attempts().size(), 1u);
  EXPECT_EQ(rig.EmailsOf(u.user_id).size(), 1u);
  EXPECT_EQ(rig.writer.CallsFor(u.user_id), 1);
}

TEST(EmailProcessorTest, AClientNotAtRiskIsNotEmailed) {
  PipelineRig rig;
  User u = rig.CreateLapsedUser("happy@example.com", /*days_since_order=*/3);
  EXPECT_GE(u.engagement_score, rig.rules.threshold);
  EXPECT_EQ(rig.Run(), 1);
  EXPECT_TRUE(rig.mailer.attempts().empty());
  EXPECT_EQ(rig.writer.CallsFor(u.user_id), 0);
  EXPECT_TRUE(rig.EmailsOf(u.user_id).empty());
}

// The edge of the cooldown, from a lastEmailDate given with the client: emailed
// cooldown − 1 ms ago is too recent; exactly the cooldown ago is not. A cooldown a day
// short (or a ≤ for the <) lets the first through to the writer.
TEST(EmailProcessorTest, TheCooldownEndsExactlyAtItsLength) {
  PipelineRig rig;
  const Millis now = rig.clock.Now();
  User recent = rig.CreateLapsedUser("recent@example.com", 120, now - kCooldown + 1);
  User due = rig.CreateLapsedUser("due@example.com", 120, now - kCooldown);
  User day_short = rig.CreateLapsedUser("dayshort@example.com", 120, now - kCooldown + kMillisPerDay);
  EXPECT_EQ(rig.Run(), 3);
  EXPECT_EQ(rig.mailer.SentTo("recent@example.com"), 0);
  EXPECT_EQ(rig.mailer.SentTo("dayshort@example.com"), 0);
  EXPECT_EQ(rig.mailer.SentTo("due@example.com"), 1);
  // Passed over before anything was written, not stopped late by the store.
  EXPECT_EQ(rig.writer.CallsFor(recent.user_id), 0);
  EXPECT_EQ(rig.writer.CallsFor(day_short.user_id), 0);
  EXPECT_TRUE(rig.EmailsOf(recent.user_id).empty());
  EXPECT_EQ(rig.EmailsOf(due.user_id).size(), 1u);
}

// One client, two triggers, on the seed's one-step journey without rest: within the
// cooldown the second sends nothing; once the cooldown has passed (to the millisecond),
// a later change starts a second episode with a distinct email. An email id that
// ignored its episode would find the first email and send none.
TEST(EmailProcessorTest, AClientIsEmailedAgainAfterTheCooldownUnderANewEmailId) {
  PipelineRig rig;
  ASSERT_TRUE(rig.real_store->SaveJourney({{{0, "winback-1"}}, 0}, "test").ok());
  User u = rig.CreateLapsedUser("twice@example.com");
  rig.Run();
  ASSERT_EQ(rig.mailer.sent().size(), 1u);
  const Millis first_sent = rig.clock.Now();

  rig.clock.Advance(kCooldown - 1);
  Rename(rig, u.user_id, "Lena L.");
  EXPECT_EQ(rig.Run(), 1);
  EXPECT_EQ(rig.mailer.sent().size(), 1u) << "emailed again within the cooldown";

  rig.clock.Advance(1);
  Rename(rig, u.user_id, "Lena Lind");
  EXPECT_EQ(rig.Run(), 1);
  auto sent = rig.mailer.sent();
  ASSERT_EQ(sent.size(), 2u) << "not emailed again after the cooldown";
  EXPECT_NE(sent[0].message_id, sent[1].message_id);
  auto emails = rig.EmailsOf(u.user_id);
  ASSERT_EQ(emails.size(), 2u);
  EXPECT_NE(emails[0].email_id, emails[1].email_id);
  EXPECT_EQ(rig.real_store->GetUser(u.user_id)->last_email_date, first_sent + kCooldown);
}

// The email's id derives from the journey episode (itself from the client and their
// episode number) and the step, not from the event: any event for the step finds it.
TEST(EmailProcessorTest, TheEmailIdDerivesFromTheEpisodeAndTheStep) {
  PipelineRig rig;
  User u = rig.CreateLapsedUser("id@example.com");
  rig.Run();
  auto emails = rig.EmailsOf(u.user_id);
  ASSERT_EQ(emails.size(), 1u);
  EXPECT_EQ(emails[0].email_id, StepEmailId(EpisodeIdFor(u.user_id, 1), 1));
  EXPECT_EQ(emails[0].episode_id, EpisodeIdFor(u.user_id, 1));
  EXPECT_EQ(emails[0].step, 1);
}

// The holdout: an eligible client whose id falls in it is scored and recorded, never
// written to nor emailed; one outside it is emailed.
TEST(EmailProcessorTest, AHeldOutClientIsRecordedAndNotEmailed) {
  auto options = PipelineRig::DefaultOptions();
  options.holdout_share = 0.5;
  PipelineRig rig(options);
  std::string held_id, kept_id;
  for (int i = 0; i < 100 && (held_id.empty() || kept_id.empty()); ++i) {
    const std::string id = "client-" + std::to_string(i);
    (InHoldout(id, 0.5) ? held_id : kept_id) = id;
  }
  ASSERT_FALSE(held_id.empty());
  ASSERT_FALSE(kept_id.empty());
  EXPECT_FALSE(InHoldout(held_id, 0)) << "a share of 0 holds no one out";
  for (const auto& [id, email] : {std::pair{held_id, "held@example.com"}, std::pair{kept_id, "kept@example.com"}}) {
    User u;
    u.user_id = id;
    u.email = email;
    u.name = "Lena Lindqvist";
    u.last_order_date = rig.clock.Now() - 120 * kMillisPerDay;
    ASSERT_TRUE(rig.real_store->CreateUser(u).ok());
  }
  EXPECT_EQ(rig.Run(), 2);
  EXPECT_EQ(rig.mailer.SentTo("held@example.com"), 0);
  EXPECT_EQ(rig.writer.CallsFor(held_id), 0);
  EXPECT_TRUE(rig.EmailsOf(held_id).empty());
  EXPECT_EQ(rig.mailer.SentTo("kept@example.com"), 1);
  auto figures = rig.real_store->Effectiveness(30);
  ASSERT_TRUE(figures.ok());
  EXPECT_EQ(figures->held_out.clients, 1);
  EXPECT_EQ(figures->emailed.clients, 1);
}

TEST(EmailProcessorTest, ASuppressedAddressIsNotEmailed) {
  PipelineRig rig;
  ASSERT_TRUE(rig.real_store->Suppress("gone@example.com", "unsubscribed").ok());
  User u = rig.CreateLapsedUser("gone@example.com");
  EXPECT_EQ(rig.Run(), 1);
  EXPECT_TRUE(rig.mailer.attempts().empty());
  EXPECT_TRUE(rig.EmailsOf(u.user_id).empty());
}

// The worker dies after ReserveEmail stored the email (GENERATED, lastEmailDate set, the
// send lease taken) and before the mailer saw it. The event comes back after the
// visibility timeout, finds the email and sends it: exactly once.
TEST(EmailProcessorTest, ACrashBetweenReserveAndSendSendsExactlyOnceOnRedelivery) {
  PipelineRig rig;
  User u = rig.CreateLapsedUser("crash@example.com");
  rig.faults.CrashAfterNth("ReserveEmail", 1);
  rig.Run();
  EXPECT_TRUE(rig.mailer.attempts().empty());
  auto emails = rig.EmailsOf(u.user_id);
  ASSERT_EQ(emails.size(), 1u);
  EXPECT_EQ(emails[0].status, "GENERATED");
  EXPECT_EQ(rig.Queue().in_flight, 1);

  rig.clock.Advance(rig.options.visibility_timeout.count() - 1);
  EXPECT_EQ(rig.Work(), 0);  // still invisible
  rig.clock.Advance(2);
  EXPECT_EQ(rig.Work(), 1);
  ASSERT_EQ(rig.mailer.sent().size(), 1u);
  EXPECT_EQ(rig.mailer.sent()[0].message_id, emails[0].email_id + "@rekindle");
  EXPECT_EQ(rig.EmailsOf(u.user_id)[0].status, "SENT");
  EXPECT_EQ(rig.writer.CallsFor(u.user_id), 1);  // the stored draft was sent, not a new one

  Redeliver(rig, FirstEventOf(rig, u.user_id), "late");
  rig.Work();
  EXPECT_EQ(rig.mailer.attempts().size(), 1u);
  EXPECT_EQ(rig.Queue().depth + rig.Queue().in_flight, 0);
}

// The worker dies after the mailer took the message and before the store heard of it:
// the redelivery sends the same message again (same Message-ID, which the outbox and
// mail servers recognise), never a second email.
TEST(EmailProcessorTest, ACrashAfterSendingResendsTheSameMessageNotANewEmail) {
  PipelineRig rig;
  User u = rig.CreateLapsedUser("resend@example.com");
  rig.faults.CrashAfterNth("Send", 1);
  rig.Run();
  ASSERT_EQ(rig.mailer.attempts().size(), 1u);
  rig.clock.Advance(rig.options.visibility_timeout.count() + 1);
  EXPECT_EQ(rig.Work(), 1);
  auto attempts = rig.mailer.attempts();
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts[0].message_id, attempts[1].message_id);
  auto emails = rig.EmailsOf(u.user_id);
  ASSERT_EQ(emails.size(), 1u);
  EXPECT_EQ(emails[0].status, "SENT");
}

// Another delivery of the same event holds the send lease (it crashed mid-send, or is
// still sending): this one sends nothing and comes back after the lease, not on the
// usual backoff (which would burn its receives inside the lease).
TEST(EmailProcessorTest, AClaimedEmailIsRetriedAfterTheLeaseAndSentOnce) {
  PipelineRig rig;
  User u = rig.CreateLapsedUser("claimed@example.com");
  rig.faults.CrashAfterNth("ReserveEmail", 1);
  rig.Run();  // the first delivery holds the lease and dies
  ASSERT_TRUE(rig.mailer.attempts().empty());

  Redeliver(rig, FirstEventOf(rig, u.user_id), "second-delivery");
  EXPECT_EQ(rig.Work(), 1);
  EXPECT_TRUE(rig.mailer.attempts().empty()) << "sent while another delivery held the lease";
  EXPECT_EQ(rig.Queue().in_flight, 2);
  EXPECT_EQ(rig.EmailsOf(u.user_id)[0].status, "GENERATED");

  rig.clock.Advance(rig.processor->Backoff(1).count());  // the usual backoff is not enough
  EXPECT_EQ(rig.Work(), 0);
  rig.clock.Advance(rig.options.visibility_timeout.count());  // the lease has run out
  EXPECT_EQ(rig.Work(), 2);
  EXPECT_EQ(rig.mailer.attempts().size(), 1u);
  EXPECT_EQ(rig.EmailsOf(u.user_id)[0].status, "SENT");
  EXPECT_EQ(rig.Queue().depth + rig.Queue().in_flight + rig.Queue().dlq_depth, 0);
}

// A mailer that keeps failing retryably: the email stays GENERATED (with the error)
// while receives remain, turns FAILED on the last receive (max_receives), and the event
// is dead-lettered; a redrive then sends it.
TEST(EmailProcessorTest, ARetryableFailureEndsFailedOnTheLastReceive) {
  auto options = PipelineRig::DefaultOptions();
  options.max_receives = 3;
  PipelineRig rig(options);
  User u = rig.CreateLapsedUser("flaky@example.com");
  rig.mailer.FailAlways(O::kRetryable, "451 try later");
  rig.PumpStream();
  for (int receive = 1; receive <= 3; ++receive) {
    EXPECT_EQ(rig.Work(), 1) << "receive " << receive;
    auto emails = rig.EmailsOf(u.user_id);
    ASSERT_EQ(emails.size(), 1u);
    EXPECT_EQ(emails[0].status, receive < 3 ? "GENERATED" : "FAILED") << "receive " << receive;
    EXPECT_NE(emails[0].error.find("451 try later"), std::string::npos);
    EXPECT_EQ(rig.Work(), 0) << "retried before its backoff";
    rig.clock.Advance(rig.processor->Backoff(receive).count());
  }
  EXPECT_EQ(rig.mailer.attempts().size(), 3u);
  EXPECT_EQ(rig.Queue().dlq_depth, 1);
  EXPECT_EQ(rig.Queue().depth + rig.Queue().in_flight, 0);

  rig.mailer.Succeed();
  ASSERT_EQ(*rig.real_bus->Redrive(rig.options.queue), 1);
  EXPECT_EQ(rig.Work(), 1);
  EXPECT_EQ(rig.EmailsOf(u.user_id)[0].status, "SENT");
  EXPECT_EQ(rig.mailer.sent().size(), 1u);
}

TEST(EmailProcessorTest, APermanentFailureIsFailedAtOnceAndNotRetried) {
  PipelineRig rig;
  User u = rig.CreateLapsedUser("reject@example.com");
  rig.mailer.FailNext(1, O::kPermanent, "550 no such user");
  EXPECT_EQ(rig.Run(), 1);
  auto emails = rig.EmailsOf(u.user_id);
  ASSERT_EQ(emails.size(), 1u);
  EXPECT_EQ(emails[0].status, "FAILED");
  EXPECT_EQ(rig.Queue().depth + rig.Queue().in_flight + rig.Queue().dlq_depth, 0);
  rig.clock.Advance(rig.options.retry_cap.count());
  EXPECT_EQ(rig.Work(), 0);
  EXPECT_EQ(rig.mailer.attempts().size(), 1u);
}

// Faults on the way: a mailer that times out, a store that is briefly unavailable, a
// writer that fails retryably. Each costs a receive; the email goes out once.
TEST(EmailProcessorTest, TransientFaultsAreRetriedAndSendOnce) {
  PipelineRig rig;
  User u = rig.CreateLapsedUser("faults@example.com");
  rig.faults.FailNth("GetUser", 1, Status::Unavailable("injected: database is busy"));
  rig.writer.Push(Status::Unavailable("injected: the LLM is overloaded"));
  rig.faults.TimeOutNth("Send", 1, std::chrono::milliseconds(20));
  rig.PumpStream();
  for (int receive = 1; receive <= 3; ++receive) {
    EXPECT_EQ(rig.Work(), 1) << "receive " << receive;
    EXPECT_TRUE(rig.mailer.sent().empty()) << "receive " << receive;
    rig.clock.Advance(rig.processor->Backoff(receive).count());
  }
  EXPECT_EQ(rig.Work(), 1);
  EXPECT_EQ(rig.mailer.sent().size(), 1u);
  EXPECT_EQ(rig.faults.Calls("Send"), 2);
  EXPECT_EQ(rig.EmailsOf(u.user_id)[0].status, "SENT");
  EXPECT_EQ(rig.Queue().depth + rig.Queue().in_flight + rig.Queue().dlq_depth, 0);
}

TEST(EmailProcessorTest, AClientDeletedBeforeTheEventIsHandledIsSkipped) {
  PipelineRig rig;
  User u = rig.CreateLapsedUser("deleted@example.com");
  rig.PumpStream();
  ASSERT_TRUE(rig.real_store->DeleteUser(u.user_id).ok());
  EXPECT_EQ(rig.Work(), 1);
  EXPECT_TRUE(rig.mailer.attempts().empty());
  EXPECT_EQ(rig.Queue().depth + rig.Queue().in_flight + rig.Queue().dlq_depth, 0);
}

// The processor reads the client's current state, not the event's image: an order that
// lands before the INSERT event is handled makes the client no longer at risk.
TEST(EmailProcessorTest, TheCurrentStateDecidesNotTheEventsImage) {
  PipelineRig rig;
  User u = rig.CreateLapsedUser("comeback@example.com", 200);
  Order o;
  o.user_id = u.user_id;
  o.total_value = 20;
  o.order_date = rig.clock.Now();
  ASSERT_TRUE(rig.real_store->CreateOrder(o).ok());
  EXPECT_EQ(rig.Run(), 2);
  EXPECT_TRUE(rig.mailer.attempts().empty());
  EXPECT_TRUE(rig.EmailsOf(u.user_id).empty());
}

// The batch path (issue 18): a received batch is read, reserved, sent and recorded
// together, and still each message's outcome is its own. One batch here: three clients
// at risk (the mailer fails the first of them retryably), one not at risk, one
// suppressed, one deleted. The failed one alone is retried, and sent on its retry.
TEST(EmailProcessorTest, ABatchWithMixedOutcomesSettlesEachMessageOnItsOwn) {
  PipelineRig rig;
  std::vector<User> at_risk;
  for (const char* a : {"one@example.com", "two@example.com", "three@example.com"})
    at_risk.push_back(rig.CreateLapsedUser(a));
  User happy = rig.CreateLapsedUser("happy@example.com", /*days_since_order=*/3);
  ASSERT_TRUE(rig.real_store->Suppress("gone@example.com", "unsubscribed").ok());
  User gone = rig.CreateLapsedUser("gone@example.com");
  User deleted = rig.CreateLapsedUser("deleted@example.com");
  ASSERT_EQ(rig.PumpStream(), 6);
  ASSERT_TRUE(rig.real_store->DeleteUser(deleted.user_id).ok());
  rig.mailer.FailNext(1, O::kRetryable, "451 try later");

  EXPECT_EQ(rig.Work(), 6);
  EXPECT_EQ(rig.faults.Calls("ReserveEmail"), 1) << "one reservation for the batch";
  EXPECT_EQ(rig.faults.Calls("FinishEmail"), 1) << "one record of the outcomes";
  EXPECT_EQ(rig.mailer.attempts().size(), 3u);
  ASSERT_EQ(rig.mailer.sent().size(), 2u);
  const std::string failed_to = rig.mailer.attempts()[0].to_address;
  for (const User& u : at_risk) {
    auto emails = rig.EmailsOf(u.user_id);
    ASSERT_EQ(emails.size(), 1u) << u.email;
    EXPECT_EQ(emails[0].status, u.email == failed_to ? "GENERATED" : "SENT") << u.email;
  }
  EXPECT_TRUE(rig.EmailsOf(happy.user_id).empty());
  EXPECT_TRUE(rig.EmailsOf(gone.user_id).empty());
  EXPECT_EQ(rig.writer.CallsFor(happy.user_id) + rig.writer.CallsFor(gone.user_id), 0);
  EXPECT_EQ(rig.Queue().in_flight, 1) << "only the failed message is retried";
  EXPECT_EQ(rig.Queue().depth, 0);

  rig.clock.Advance(rig.processor->Backoff(1).count());
  EXPECT_EQ(rig.Work(), 1);
  for (const User& u : at_risk) {
    EXPECT_EQ(rig.mailer.SentTo(u.email), 1) << u.email;
    EXPECT_EQ(rig.EmailsOf(u.user_id)[0].status, "SENT") << u.email;
    EXPECT_EQ(rig.writer.CallsFor(u.user_id), 1) << u.email;
  }
  EXPECT_EQ(rig.Queue().depth + rig.Queue().in_flight + rig.Queue().dlq_depth, 0);
}

// Two deliveries of one event, and a second trigger for the same client, in one batch:
// one email, and every message acked.
TEST(EmailProcessorTest, DuplicatesInOneBatchSendOneEmail) {
  PipelineRig rig;
  User u = rig.CreateLapsedUser("dup@example.com");
  Rename(rig, u.user_id, "Lena L.");  // a second trigger (a MODIFY)
  ASSERT_EQ(rig.PumpStream(), 2);
  Redeliver(rig, FirstEventOf(rig, u.user_id), "again");
  EXPECT_EQ(rig.Work(), 3);
  EXPECT_EQ(rig.mailer.attempts().size(), 1u);
  EXPECT_EQ(rig.EmailsOf(u.user_id).size(), 1u);
  EXPECT_EQ(rig.writer.CallsFor(u.user_id), 1);
  EXPECT_EQ(rig.Queue().depth + rig.Queue().in_flight + rig.Queue().dlq_depth, 0);
}

// The worker dies after the batch's reservation committed and before any send: every
// email of the batch is GENERATED under its lease. The events come back after the
// visibility timeout and each stored email is sent once, not written again.
TEST(EmailProcessorTest, ACrashBetweenTheBatchReservationAndTheSendsSendsEachExactlyOnce) {
  PipelineRig rig;
  std::vector<User> users;
  for (int i = 0; i < 4; ++i) users.push_back(rig.CreateLapsedUser("crash" + std::to_string(i) + "@example.com"));
  rig.faults.CrashAfterNth("ReserveEmail", 1);
  EXPECT_EQ(rig.Run(), 4);
  EXPECT_TRUE(rig.mailer.attempts().empty());
  for (const User& u : users) {
    auto emails = rig.EmailsOf(u.user_id);
    ASSERT_EQ(emails.size(), 1u);
    EXPECT_EQ(emails[0].status, "GENERATED");
  }
  EXPECT_EQ(rig.Queue().in_flight, 4);

  rig.clock.Advance(rig.options.visibility_timeout.count() + 1);
  EXPECT_EQ(rig.Work(), 4);
  EXPECT_EQ(rig.mailer.attempts().size(), 4u);
  for (const User& u : users) {
    auto emails = rig.EmailsOf(u.user_id);
    ASSERT_EQ(emails.size(), 1u);
    EXPECT_EQ(emails[0].status, "SENT");
    EXPECT_EQ(rig.mailer.SentTo(u.email), 1);
    EXPECT_EQ(rig.writer.CallsFor(u.user_id), 1) << "the stored draft was sent, not a new one";
  }
  EXPECT_EQ(rig.Queue().depth + rig.Queue().in_flight + rig.Queue().dlq_depth, 0);
}

// The batch was sent but recording it failed (the store went away at that moment): the
// emails stay GENERATED under their leases and the messages are retried. The retry waits
// out the lease and sends the same messages again (same Message-IDs, which the outbox
// recognises), then records them: still one email per client.
TEST(EmailProcessorTest, AFaultInTheFinishResendsTheSameMessagesAndRecordsEachOnce) {
  PipelineRig rig;
  User a = rig.CreateLapsedUser("fa@example.com");
  User b = rig.CreateLapsedUser("fb@example.com");
  rig.faults.FailNth("FinishEmail", 1, Status::Unavailable("injected: database is busy"));
  EXPECT_EQ(rig.Run(), 2);
  EXPECT_EQ(rig.mailer.attempts().size(), 2u);
  EXPECT_EQ(rig.EmailsOf(a.user_id)[0].status, "GENERATED");
  EXPECT_EQ(rig.EmailsOf(b.user_id)[0].status, "GENERATED");
  EXPECT_EQ(rig.Queue().in_flight, 2);

  for (int round = 0; round < 5 && rig.Queue().depth + rig.Queue().in_flight > 0; ++round) {
    rig.clock.Advance(rig.options.visibility_timeout.count() + 1);
    rig.Work();
  }
  auto attempts = rig.mailer.attempts();
  ASSERT_EQ(attempts.size(), 4u);
  std::multiset<std::string> ids;
  for (const MailMessage& m : attempts) ids.insert(m.message_id);
  for (const User& u : {a, b}) {
    auto emails = rig.EmailsOf(u.user_id);
    ASSERT_EQ(emails.size(), 1u);
    EXPECT_EQ(emails[0].status, "SENT");
    EXPECT_EQ(ids.count(emails[0].email_id + "@rekindle"), 2u) << "resent under the same Message-ID";
  }
  EXPECT_EQ(rig.Queue().depth + rig.Queue().in_flight + rig.Queue().dlq_depth, 0);
}

// A mail server that would deliver a repeated message twice (SMTP) gets a batch one
// message at a time, each outcome recorded before the next send: a fault (or a crash)
// after one send re-sends that one message only.
TEST(EmailProcessorTest, ToAMailServerEachOutcomeIsRecordedBeforeTheNextSend) {
  PipelineRig rig;
  rig.mailer.set_delivers_repeats_once(false);
  User a = rig.CreateLapsedUser("sa@example.com");
  User b = rig.CreateLapsedUser("sb@example.com");
  rig.faults.FailNth("FinishEmail", 1, Status::Unavailable("injected: database is busy"));
  EXPECT_EQ(rig.Run(), 2);
  ASSERT_EQ(rig.mailer.attempts().size(), 2u);
  const std::string first = rig.mailer.attempts()[0].to_address;
  const User& unrecorded = first == a.email ? a : b;
  const User& recorded = first == a.email ? b : a;
  EXPECT_EQ(rig.EmailsOf(unrecorded.user_id)[0].status, "GENERATED");
  EXPECT_EQ(rig.EmailsOf(recorded.user_id)[0].status, "SENT");

  for (int round = 0; round < 5 && rig.Queue().depth + rig.Queue().in_flight > 0; ++round) {
    rig.clock.Advance(rig.options.visibility_timeout.count() + 1);
    rig.Work();
  }
  EXPECT_EQ(rig.mailer.SentTo(unrecorded.email), 2) << "the message in hand is re-sent";
  EXPECT_EQ(rig.mailer.SentTo(recorded.email), 1) << "a recorded message is never re-sent";
  EXPECT_EQ(rig.EmailsOf(unrecorded.user_id)[0].status, "SENT");
  EXPECT_EQ(rig.Queue().depth + rig.Queue().in_flight + rig.Queue().dlq_depth, 0);
}

// RunWorker itself, on threads as the binary runs it: several clients, two workers,
// each client emailed once and the queue drained.
TEST(EmailProcessorTest, WorkersOnThreadsEmailEachClientOnce) {
  PipelineRig rig;
  std::set<std::string> addresses;
  for (int i = 0; i < 12; ++i) {
    const std::string a = "worker" + std::to_string(i) + "@example.com";
    rig.CreateLapsedUser(a);
    addresses.insert(a);
  }
  rig.PumpStream();
  std::atomic<bool> stop{false};
  std::thread w0([&] { rig.processor->RunWorker(stop, 0); });
  std::thread w1([&] { rig.processor->RunWorker(stop, 1); });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (rig.mailer.sent().size() < addresses.size() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  while ((rig.Queue().depth + rig.Queue().in_flight) > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  stop = true;
  w0.join();
  w1.join();
  std::multiset<std::string> sent_to;
  for (const MailMessage& m : rig.mailer.sent()) sent_to.insert(m.to_address);
  EXPECT_EQ(sent_to, std::multiset<std::string>(addresses.begin(), addresses.end()));
  EXPECT_EQ(rig.Queue().depth + rig.Queue().in_flight + rig.Queue().dlq_depth, 0);
}

// Churn targeting (issue 11): the model's fresh prediction chooses the client whatever
// their score, the rule is stored with the episode, each email and each holdout record,
// and the effectiveness figures split by it. A prediction made before the client's
// latest order (the model has not seen it) chooses nobody, nor does a missing one.
TEST(EmailProcessorTest, ChurnTargetingChoosesByTheModelAndRecordsTheRule) {
  auto options = PipelineRig::DefaultOptions();
  options.targeting = {TargetingRule::kChurn, 0.7};
  options.holdout_share = 0.5;
  PipelineRig rig(options);
  const Millis now = rig.clock.Now();
  const Millis until = (now / kMillisPerDay - 1) * kMillisPerDay;  // the fit's last day: yesterday
  ASSERT_TRUE(rig.real_store
                  ->SaveModelFit({.fit_id = "fit-1",
                                  .model = "bgnbd",
                                  .unit = "days",
                                  .until = until,
                                  .params = "{}",
                                  .diagnostics = "{}",
                                  .fitted_at = now})
                  .ok());
  // Pairs of ids, one held out and one not, so both groups of the churn rule fill.
  std::vector<std::string> held, kept;
  for (int i = 0; held.size() < 2 || kept.size() < 3; ++i) {
    const std::string id = "c-" + std::to_string(i);
    (InHoldout(id, 0.5) ? held : kept).push_back(id);
  }
  auto create = [&](const std::string& id, int days_since_order) {
    User u;
    u.user_id = id;
    u.email = id + "@example.com";
    u.name = "Client " + id;
    u.last_order_date = now - days_since_order * kMillisPerDay;
    ASSERT_TRUE(rig.real_store->CreateUser(u).ok());
  };
  auto predict = [&](const std::string& id, double churn) {
    ASSERT_TRUE(rig.real_store
                    ->SavePredictions({{.user_id = id,
                                        .fit_id = "fit-1",
                                        .p_alive = 1 - churn,
                                        .churn_probability = churn,
                                        .expected_orders = 0.1,
                                        .computed_at = now}})
                    .ok());
  };
  create(kept[0], 10);  // a good score, but the model says they are leaving
  predict(kept[0], 0.9);
  create(held[0], 10);  // the same, held out
  predict(held[0], 0.9);
  create(kept[1], 120);  // a poor score, but the model says they stay
  predict(kept[1], 0.3);
  create(kept[2], 0);  // ordered today, after the fit's day: its prediction is stale
  predict(kept[2], 0.95);
  create(held[1], 200);  // no prediction at all
  EXPECT_EQ(rig.Run(), 5);
  EXPECT_EQ(rig.mailer.SentTo(kept[0] + "@example.com"), 1);
  EXPECT_EQ(rig.mailer.SentTo(kept[1] + "@example.com"), 0);
  EXPECT_EQ(rig.mailer.SentTo(kept[2] + "@example.com"), 0);
  EXPECT_EQ(rig.mailer.sent().size(), 1u);
  auto emails = rig.EmailsOf(kept[0]);
  ASSERT_EQ(emails.size(), 1u);
  EXPECT_EQ(emails[0].targeting_rule, "churn");
  auto episodes = rig.real_store->LatestEpisodes({kept[0]});
  ASSERT_TRUE(episodes.ok() && episodes->size() == 1u);
  EXPECT_EQ((*episodes)[0].targeting_rule, "churn");
  auto figures = rig.real_store->Effectiveness(30);
  ASSERT_TRUE(figures.ok());
  ASSERT_EQ(figures->by_rule.size(), 1u);  // the stale, unpredicted and kept clients are in no group
  EXPECT_EQ(figures->by_rule[0].rule, "churn");
  EXPECT_EQ(figures->by_rule[0].emailed.clients, 1);
  EXPECT_EQ(figures->by_rule[0].held_out.clients, 1);
}

TEST(EmailProcessorTest, UnderARunningExperimentEachClientGetsItsVariantsMessageAndTheEmailRecordsIt) {
  PipelineRig rig;
  ExperimentCache experiments(*rig.store);
  ProcessorOptions options = rig.options;
  options.experiments = &experiments;
  rig.processor = std::make_unique<EmailProcessor>(*rig.store, *rig.bus, rig.writer, *rig.faulty_mailer, rig.rules,
                                                   rig.clock, options);
  Experiment e{.experiment_id = "exp-1",
               .name = "Shorter subject",
               .message = "winback-1",
               .variants = {{"winback-1", 1}, {"winback-1-short", 1}},
               .weights = {0.5, 0.5},
               .planned_at = rig.clock.Now(),
               .created_at = rig.clock.Now(),
               .created_by = "test"};
  ASSERT_TRUE(rig.real_store->CreateExperiment(e).ok());
  std::vector<User> users;
  for (int i = 0; i < 40; ++i) users.push_back(rig.CreateLapsedUser("c" + std::to_string(i) + "@example.com"));
  EXPECT_EQ(rig.Run(), 40);
  std::map<std::string, std::string> asked;  // user id -> the message the writer was asked for
  for (const auto& call : rig.writer.calls()) asked[call.user_id] = call.message;
  int per_variant[2] = {0, 0};
  for (const User& u : users) {
    auto emails = rig.EmailsOf(u.user_id);
    ASSERT_EQ(emails.size(), 1u);
    const int v = AssignVariant("exp-1", u.user_id, e.weights);
    EXPECT_EQ(emails[0].experiment_id, "exp-1");
    EXPECT_EQ(emails[0].variant, v) << "the stable hash decides";
    EXPECT_EQ(asked[u.user_id], e.variants[static_cast<size_t>(v)].message);
    ++per_variant[v];
  }
  EXPECT_GT(per_variant[0], 5);
  EXPECT_GT(per_variant[1], 5);

  // Stopped: the next emails are the message itself again, in no experiment.
  ASSERT_TRUE(rig.real_store->StopExperiment("exp-1").ok());
  experiments.Invalidate();
  User later = rig.CreateLapsedUser("later@example.com");
  EXPECT_EQ(rig.Run(), 1);
  auto emails = rig.EmailsOf(later.user_id);
  ASSERT_EQ(emails.size(), 1u);
  EXPECT_TRUE(emails[0].experiment_id.empty());
  EXPECT_EQ(emails[0].variant, -1);
  EXPECT_EQ(rig.writer.calls().back().message, "winback-1");
}

TEST(EmailProcessorTest, ABanditIsReplannedOnceItsPlanIsOldAndEachPlanIsRecorded) {
  PipelineRig rig;
  ExperimentCache experiments(*rig.store,
                              {.refresh = std::chrono::milliseconds(0), .replan_every = std::chrono::minutes(5)});
  Experiment e{.experiment_id = "exp-b",
               .name = "Bandit",
               .message = "winback-1",
               .variants = {{"winback-1", 1}, {"winback-2", 1}},
               .allocation = "bandit",
               .weights = {0.5, 0.5},
               .planned_at = rig.clock.Now(),
               .created_at = rig.clock.Now(),
               .created_by = "test"};
  ASSERT_TRUE(rig.real_store->CreateExperiment(e).ok());
  auto first = experiments.Get(rig.clock.Now());
  ASSERT_TRUE(first.ok() && *first);
  EXPECT_EQ((*first)->weights, e.weights) << "young plans are kept";
  rig.clock.Advance(5 * 60'000);
  auto second = experiments.Get(rig.clock.Now());
  ASSERT_TRUE(second.ok() && *second);
  EXPECT_EQ((*second)->planned_at, rig.clock.Now());
  // No results yet: the exploration minimum of 1/(2k) each, the rest shared evenly.
  EXPECT_NEAR((*second)->weights[0] + (*second)->weights[1], 1.0, 1e-9);
  EXPECT_GE((*second)->weights[0], 0.25);
  EXPECT_GE((*second)->weights[1], 0.25);
  auto recorded = rig.real_store->ExperimentAllocations("exp-b");
  ASSERT_TRUE(recorded.ok());
  ASSERT_EQ(recorded->size(), 2u);
  EXPECT_EQ((*recorded)[1].reason, "bandit re-plan");
  EXPECT_EQ(experiments.Get(rig.clock.Now()).value()->planned_at, rig.clock.Now()) << "not re-planned again at once";
  EXPECT_EQ(rig.real_store->ExperimentAllocations("exp-b")->size(), 2u);
}

}  // namespace
}  // namespace rkd
