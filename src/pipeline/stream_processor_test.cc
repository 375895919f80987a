// The stream processor in process (issue 14): which changes become events, the
// no-feedback-loop rule, and its checkpoint under a failing or crashing publish.
#include "pipeline/stream_processor.h"

#include <gtest/gtest.h>

#include "pipeline/user_event.h"
#include "testing/pipeline_rig.h"

namespace rkd {
namespace {

using testkit::InjectedCrash;
using testkit::PipelineRig;

// Every event waiting on the email processor's queue, received and acked.
std::vector<UserEvent> TakeEvents(PipelineRig& rig) {
  std::vector<UserEvent> out;
  for (;;) {
    auto batch = rig.real_bus->Receive(rig.options.queue, 10, std::chrono::milliseconds(0));
    EXPECT_TRUE(batch.ok());
    if (!batch.ok() || batch->empty()) return out;
    std::vector<std::string> receipts;
    for (const Message& m : *batch) {
      auto e = DecodeEvent(m.body);
      EXPECT_TRUE(e.ok()) << m.body;
      if (e.ok()) out.push_back(*e);
      receipts.push_back(m.receipt);
    }
    EXPECT_TRUE(rig.real_bus->Ack(rig.options.queue, receipts).ok());
  }
}

int64_t Checkpoint(PipelineRig& rig) { return *rig.real_store->GetCheckpoint(StreamProcessor::kCheckpoint); }
int64_t LatestSeq(PipelineRig& rig) { return *rig.real_store->LatestChangeSeq(); }

TEST(StreamProcessorTest, InsertsAndModifiesArePublishedRemovesAreNot) {
  PipelineRig rig;
  User u = rig.CreateLapsedUser("a@example.com");
  UserPatch p;
  p.name = "Ada";
  ASSERT_TRUE(rig.real_store->UpdateUser(u.user_id, p).ok());
  User gone = rig.CreateLapsedUser("gone@example.com");
  ASSERT_TRUE(rig.real_store->DeleteUser(gone.user_id).ok());
  EXPECT_EQ(rig.PumpStream(), 4);
  EXPECT_EQ(Checkpoint(rig), LatestSeq(rig));
  auto events = TakeEvents(rig);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].event_name, "INSERT");
  EXPECT_EQ(events[0].user_id, u.user_id);
  EXPECT_EQ(events[0].event_id, "chg-" + std::to_string(events[0].seq));
  EXPECT_EQ(events[1].event_name, "MODIFY");
  ASSERT_TRUE(events[1].new_image.has_value());
  EXPECT_EQ(events[1].new_image->name, "Ada");
  EXPECT_EQ(events[2].event_name, "INSERT");
  EXPECT_EQ(events[2].user_id, gone.user_id);
}

// No feedback loop: the pipeline's own writes (a re-score, the reservation's
// lastEmailDate, the email's outcome) change only engagementScore, lastEmailDate and
// updatedAt: the store records no change for them (store.h), so nothing is published.
// A change by someone else to any other field is.
TEST(StreamProcessorTest, ChangesOnlyToFieldsThePipelineWritesAreNotPublished) {
  PipelineRig rig;
  User u = rig.CreateLapsedUser("loop@example.com");
  rig.Run();  // the INSERT: the client is emailed (lastEmailDate, score)
  ASSERT_EQ(rig.mailer.sent().size(), 1u);
  rig.clock.Advance(40 * kMillisPerDay);
  auto refreshed = rig.real_store->RefreshScores({u.user_id});  // time moved the score
  ASSERT_TRUE(refreshed.ok());
  ASSERT_EQ(refreshed->size(), 1u);
  ASSERT_NE((*refreshed)[0].old_score, (*refreshed)[0].user.engagement_score);
  UserPatch emailed;
  emailed.last_email_date = rig.clock.Now();
  ASSERT_TRUE(rig.real_store->UpdateUser(u.user_id, emailed).ok());

  const int64_t before = Checkpoint(rig);
  EXPECT_EQ(LatestSeq(rig), before) << "a change to pipeline fields only was recorded";
  EXPECT_EQ(rig.PumpStream(), 0);
  EXPECT_TRUE(TakeEvents(rig).empty()) << "a change to pipeline fields only was published";

  UserPatch p;
  p.preferred_categories = std::vector<std::string>{"Shoes"};
  ASSERT_TRUE(rig.real_store->UpdateUser(u.user_id, p).ok());
  rig.PumpStream();
  auto events = TakeEvents(rig);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event_name, "MODIFY");
}

// The stream is pruned behind the checkpoint once a record is older than the
// retention: nothing unpublished and nothing recent is deleted.
TEST(StreamProcessorTest, PruningDeletesOnlyPublishedRecordsOlderThanTheRetention) {
  PipelineRig rig;
  for (int i = 0; i < 3; ++i) rig.CreateLapsedUser("old" + std::to_string(i) + "@example.com");
  EXPECT_EQ(rig.PumpStream(), 3);
  rig.clock.Advance(2 * kMillisPerDay);
  rig.CreateLapsedUser("published@example.com");
  EXPECT_EQ(rig.PumpStream(), 1);
  rig.CreateLapsedUser("unpublished@example.com");
  rig.clock.Advance(2 * kMillisPerDay);

  auto pruned = rig.stream->Prune();  // a day's retention by default
  ASSERT_TRUE(pruned.ok()) << pruned.status().ToString();
  // The three old ones; the one at the checkpoint stays, and the unpublished one.
  EXPECT_EQ(*pruned, 3);
  auto left = rig.real_store->ReadChanges(0, 100);
  ASSERT_EQ(left->size(), 2u);
  EXPECT_EQ((*left)[0].seq, Checkpoint(rig));
  EXPECT_EQ(rig.PumpStream(), 1);  // the unpublished record is still published
  EXPECT_EQ(*rig.stream->Prune(), 1);
}

// The checkpoint moves only after the publish: a publish that fails leaves it where it
// was, and the next poll publishes the same changes.
TEST(StreamProcessorTest, AFailedPublishKeepsTheCheckpointAndIsRepeated) {
  PipelineRig rig;
  User u = rig.CreateLapsedUser("retry@example.com");
  rig.faults.FailNth("Publish", 1, Status::Unavailable("injected: bus down"));
  auto first = rig.stream->PollOnce();
  EXPECT_FALSE(first.ok());
  EXPECT_EQ(Checkpoint(rig), 0);
  EXPECT_TRUE(TakeEvents(rig).empty());
  EXPECT_EQ(rig.PumpStream(), 1);
  auto events = TakeEvents(rig);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].user_id, u.user_id);
}

// A crash between the publish and the checkpoint publishes again on restart; the bus
// drops the duplicate still queued (same dedup id), so one event waits.
TEST(StreamProcessorTest, ACrashBeforeTheCheckpointRepublishesAndTheDuplicateIsDropped) {
  PipelineRig rig;
  rig.CreateLapsedUser("dup@example.com");
  rig.faults.CrashAfterNth("Publish", 1);
  EXPECT_THROW(rig.stream->PollOnce(), InjectedCrash);
  EXPECT_EQ(Checkpoint(rig), 0);
  StreamProcessor restarted(*rig.store, *rig.bus);
  EXPECT_EQ(*restarted.PollOnce(), 1);
  EXPECT_EQ(Checkpoint(rig), LatestSeq(rig));
  EXPECT_EQ(TakeEvents(rig).size(), 1u);
}

TEST(StreamProcessorTest, SkipToEndPublishesNothingOfTheBacklog) {
  PipelineRig rig;
  rig.CreateLapsedUser("old1@example.com");
  rig.CreateLapsedUser("old2@example.com");
  ASSERT_TRUE(rig.stream->SkipToEnd().ok());
  EXPECT_EQ(rig.PumpStream(), 0);
  User fresh = rig.CreateLapsedUser("new@example.com");
  EXPECT_EQ(rig.PumpStream(), 1);
  auto events = TakeEvents(rig);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].user_id, fresh.user_id);
}

}  // namespace
}  // namespace rkd
