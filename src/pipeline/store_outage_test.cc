// A store outage is not the messages' fault (issue 18, part 2): RunWorker on a thread
// against the PipelineRig, the store "down" by injected faults (every call Unavailable,
// its probe too). An outage costs no receive and no dead letter; a failure that is the
// message's own (the store answers its probe) still counts, and dead-letters after
// max_receives.
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <thread>

#include "pipeline/email_processor.h"
#include "testing/pipeline_rig.h"

namespace rkd {
namespace {

using testkit::PipelineRig;

bool WaitFor(const std::function<bool()>& done, std::chrono::seconds limit = std::chrono::seconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

ProcessorOptions FastProbes(int max_receives) {
  ProcessorOptions o = PipelineRig::DefaultOptions();
  o.max_receives = max_receives;
  o.store_probe_interval = std::chrono::milliseconds(10);
  return o;
}

// A worker thread over the rig, stopped (its batch finished) when destroyed.
class Worker {
 public:
  explicit Worker(PipelineRig& rig) : thread_([this, &rig] { rig.processor->RunWorker(stop_, 0); }) {}
  ~Worker() { Stop(); }
  void Stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// One receive is all a message has (max_receives 1): a nack of the batch the outage
// broke would dead-letter it. The worker holds the batch instead, receives nothing while
// the store is away, and finishes it once the store answers.
TEST(StoreOutageTest, AnOutageDuringABatchCostsNoReceiveAndNoDeadLetter) {
  PipelineRig rig(FastProbes(1));
  rig.CreateLapsedUser("ana@example.com");
  rig.CreateLapsedUser("bo@example.com");
  ASSERT_EQ(rig.PumpStream(), 2);
  const Status down = Status::Unavailable("injected: connection refused");
  for (const char* method : {"GetUser", "GetEmail", "ReserveEmail", "FinishEmail", "Ping"})
    rig.faults.FailAlways(method, down);

  Worker worker(rig);
  // The batch failed, and the worker probes the store with the batch in hand.
  ASSERT_TRUE(WaitFor([&] { return rig.faults.Calls("GetUser") >= 1 && rig.faults.Calls("Ping") >= 5; }));
  const int receives = rig.faults.Calls("Receive");
  const int pings = rig.faults.Calls("Ping");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(rig.faults.Calls("Receive"), receives) << "received while the store was away";
  EXPECT_GT(rig.faults.Calls("Ping"), pings) << "stopped probing";
  EXPECT_EQ(rig.faults.Calls("Nack"), 0);
  EXPECT_EQ(rig.Queue().in_flight, 2) << "the batch is still in hand";

  rig.faults.Clear();  // the store is back
  ASSERT_TRUE(WaitFor([&] { return rig.mailer.sent().size() == 2; }));
  worker.Stop();
  EXPECT_EQ(rig.faults.Calls("Nack"), 0);
  const QueueStats q = rig.Queue();
  EXPECT_EQ(q.depth + q.in_flight, 0) << "acked with the receipt of the first receive";
  EXPECT_EQ(q.dlq_depth, 0);
}

// The store answers its probe, so the failure is the message's: each receive counts,
// and after max_receives the message is dead-lettered with its error.
TEST(StoreOutageTest, AFailureOfTheMessageCountsAndDeadLettersAfterMaxReceives) {
  PipelineRig rig(FastProbes(3));
  rig.CreateLapsedUser("cy@example.com");
  ASSERT_EQ(rig.PumpStream(), 1);
  rig.faults.FailAlways("GetUser", Status::Unavailable("injected: this user's row is locked"));

  Worker worker(rig);
  // The backoff runs on the rig's clock: move it along until the message is dead.
  ASSERT_TRUE(WaitFor([&] {
    rig.clock.Advance(60'000);
    return rig.Queue().dlq_depth == 1;
  }));
  worker.Stop();
  EXPECT_EQ(rig.faults.Calls("Nack"), 3);
  EXPECT_GE(rig.faults.Calls("Ping"), 1);
  EXPECT_TRUE(rig.mailer.sent().empty());
  auto dead = rig.real_bus->PeekDeadLetters(testkit::kEmailQueue, 10);
  ASSERT_TRUE(dead.ok());
  ASSERT_EQ(dead->size(), 1u);
  EXPECT_NE((*dead)[0].last_error.find("row is locked"), std::string::npos) << (*dead)[0].last_error;
}

// A message that is not the store's to fail (an event that does not parse) is not held
// and costs its receives as before, outage or not.
TEST(StoreOutageTest, AnEventThatCannotBeReadIsNotHeld) {
  PipelineRig rig(FastProbes(2));
  ASSERT_TRUE(rig.real_bus->Publish(StreamProcessor::kTopic, {{"not json", "poison-1"}}).ok());
  Worker worker(rig);
  ASSERT_TRUE(WaitFor([&] {
    rig.clock.Advance(60'000);
    return rig.Queue().dlq_depth == 1;
  }));
  worker.Stop();
  EXPECT_EQ(rig.faults.Calls("Nack"), 2);
  EXPECT_EQ(rig.faults.Calls("Ping"), 0) << "only an Unavailable asks whether the store is there";
}

}  // namespace
}  // namespace rkd
