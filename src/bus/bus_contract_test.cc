// The Bus contract: every implementation must pass these (SQS semantics). A backend
// registers a factory in INSTANTIATE_TEST_SUITE_P below.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <mutex>
#include <set>
#include <thread>

#include "bus/bus.h"
#include "bus/embedded/embedded_bus.h"

namespace rkd {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class ManualClock final : public Clock {
 public:
  Millis Now() const override { return now_.load(); }
  void Advance(Millis ms) { now_ += ms; }

 private:
  std::atomic<Millis> now_{1'780'000'000'000};
};

struct BusBackend {
  std::string name;
  std::function<std::unique_ptr<Bus>(const BusOptions&, const Clock*, const std::string& scratch)> open;
};
void PrintTo(const BusBackend& b, std::ostream* os) { *os << b.name; }

class BusContractTest : public ::testing::TestWithParam<BusBackend> {
 protected:
  void SetUp() override {
    scratch_ = ::testing::TempDir() + "rkd-bus-" + std::to_string(::getpid()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(scratch_);
    std::filesystem::create_directories(scratch_);
    options_.visibility_timeout = seconds(30);
    options_.max_receives = 3;
    options_.retention = std::chrono::hours(24);
    bus_ = GetParam().open(options_, &clock_, scratch_);
    ASSERT_NE(bus_, nullptr);
    ASSERT_TRUE(bus_->Subscribe("events", "q").ok());
  }
  void TearDown() override {
    bus_.reset();
    std::filesystem::remove_all(scratch_);
  }
  void PublishBodies(std::initializer_list<const char*> bodies) {
    std::vector<OutgoingMessage> m;
    for (const char* b : bodies) m.push_back({b, std::string("id-") + b});
    ASSERT_TRUE(bus_->Publish("events", m).ok());
  }
  std::vector<Message> Receive(int max = 10) {
    auto r = bus_->Receive("q", max, milliseconds(0));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : std::vector<Message>{};
  }
  QueueStats StatsOf(const std::string& queue) {
    auto all = bus_->Stats();
    EXPECT_TRUE(all.ok());
    for (const auto& s : *all)
      if (s.name == queue) return s;
    ADD_FAILURE() << "no stats for " << queue;
    return {};
  }

  ManualClock clock_;
  BusOptions options_;
  std::string scratch_;
  std::unique_ptr<Bus> bus_;
};

TEST_P(BusContractTest, TopicFansOutToEverySubscribedQueue) {
  ASSERT_TRUE(bus_->Subscribe("events", "audit").ok());
  ASSERT_TRUE(bus_->Subscribe("events", "audit").ok());  // idempotent
  PublishBodies({"a", "b"});
  EXPECT_EQ(Receive().size(), 2u);
  auto audit = bus_->Receive("audit", 10, milliseconds(0));
  ASSERT_TRUE(audit.ok());
  EXPECT_EQ(audit->size(), 2u);
  EXPECT_TRUE(bus_->Publish("nobody-listens", {{"x", ""}}).ok());
}

TEST_P(BusContractTest, ReceiveInBatchesInOrderAndAckDeletes) {
  std::vector<OutgoingMessage> m;
  for (int i = 0; i < 15; ++i) m.push_back({"m" + std::to_string(i), ""});
  ASSERT_TRUE(bus_->Publish("events", m).ok());
  auto first = Receive(10);
  ASSERT_EQ(first.size(), 10u);
  EXPECT_EQ(first[0].body, "m0");
  EXPECT_EQ(first[0].receive_count, 1);
  auto rest = Receive(10);
  ASSERT_EQ(rest.size(), 5u);
  EXPECT_TRUE(Receive().empty());  // all in flight
  std::vector<std::string> receipts;
  for (auto& msg : first) receipts.push_back(msg.receipt);
  for (auto& msg : rest) receipts.push_back(msg.receipt);
  ASSERT_TRUE(bus_->Ack("q", receipts).ok());
  clock_.Advance(60'000);
  EXPECT_TRUE(Receive().empty());  // acked messages never come back
  EXPECT_EQ(StatsOf("q").depth + StatsOf("q").in_flight, 0);
}

TEST_P(BusContractTest, VisibilityTimeoutRedeliversAndStaleReceiptsAreIgnored) {
  PublishBodies({"a"});
  auto first = Receive();
  ASSERT_EQ(first.size(), 1u);
  clock_.Advance(29'000);
  EXPECT_TRUE(Receive().empty());
  clock_.Advance(2'000);
  auto second = Receive();
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].receive_count, 2);
  EXPECT_EQ(second[0].body, "a");
  ASSERT_TRUE(bus_->Ack("q", {first[0].receipt}).ok());  // stale: ignored
  clock_.Advance(31'000);
  auto third = Receive();
  ASSERT_EQ(third.size(), 1u);
  ASSERT_TRUE(bus_->Ack("q", {third[0].receipt}).ok());
  clock_.Advance(31'000);
  EXPECT_TRUE(Receive().empty());
}

TEST_P(BusContractTest, NackWithDelay) {
  PublishBodies({"a"});
  auto got = Receive();
  ASSERT_TRUE(bus_->Nack("q", got[0].receipt, milliseconds(5000), "try later").ok());
  EXPECT_TRUE(Receive().empty());
  EXPECT_EQ(StatsOf("q").in_flight, 1);
  clock_.Advance(5000);
  auto again = Receive();
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].receive_count, 2);
}

TEST_P(BusContractTest, DeadLetterAfterMaxReceivesKeepsTheErrorAndRedriveBringsItBack) {
  PublishBodies({"poison"});
  for (int i = 1; i <= options_.max_receives; ++i) {
    auto got = Receive();
    ASSERT_EQ(got.size(), 1u) << "receive " << i;
    EXPECT_EQ(got[0].receive_count, i);
    ASSERT_TRUE(bus_->Nack("q", got[0].receipt, milliseconds(0), "boom " + std::to_string(i)).ok());
  }
  EXPECT_TRUE(Receive().empty());
  QueueStats st = StatsOf("q");
  EXPECT_EQ(st.dlq_depth, 1);
  EXPECT_EQ(st.depth, 0);
  auto dead = bus_->PeekDeadLetters("q", 10);
  ASSERT_EQ(dead->size(), 1u);
  EXPECT_EQ((*dead)[0].body, "poison");
  EXPECT_EQ((*dead)[0].last_error, "boom 3");

  EXPECT_EQ(*bus_->Redrive("q"), 1);
  EXPECT_EQ(StatsOf("q").dlq_depth, 0);
  auto back = Receive();
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].receive_count, 1);
}

TEST_P(BusContractTest, DeadLetterAfterMaxReceivesByVisibilityExpiry) {
  PublishBodies({"slow"});
  for (int i = 0; i < options_.max_receives; ++i) {
    ASSERT_EQ(Receive().size(), 1u);
    clock_.Advance(31'000);  // the consumer never acks
  }
  EXPECT_TRUE(Receive().empty());
  EXPECT_EQ(StatsOf("q").dlq_depth, 1);
}

TEST_P(BusContractTest, DuplicatePublishIsDropped) {
  PublishBodies({"a"});
  PublishBodies({"a"});
  EXPECT_EQ(Receive().size(), 1u);
}

TEST_P(BusContractTest, StatsShowDepthInFlightAndOldestAge) {
  PublishBodies({"a", "b", "c"});
  clock_.Advance(4000);
  Receive(1);
  QueueStats st = StatsOf("q");
  EXPECT_EQ(st.depth, 2);
  EXPECT_EQ(st.in_flight, 1);
  EXPECT_DOUBLE_EQ(st.oldest_age_seconds, 4.0);
  EXPECT_EQ(st.dlq_depth, 0);
}

TEST_P(BusContractTest, RetentionPurgesOldMessages) {
  PublishBodies({"old"});
  clock_.Advance(23 * 3600 * 1000LL);
  PublishBodies({"new"});
  clock_.Advance(2 * 3600 * 1000LL);
  EXPECT_EQ(*bus_->PurgeExpired(), 1);
  auto got = Receive();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].body, "new");
}

TEST_P(BusContractTest, LongPollWakesOnPublish) {
  std::thread publisher([&] {
    std::this_thread::sleep_for(milliseconds(100));
    PublishBodies({"late"});
  });
  const auto start = std::chrono::steady_clock::now();
  auto got = bus_->Receive("q", 10, milliseconds(5000));
  const auto waited = std::chrono::steady_clock::now() - start;
  publisher.join();
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->size(), 1u);
  EXPECT_LT(waited, milliseconds(2000));
  EXPECT_GE(waited, milliseconds(90));
  // And an empty queue waits for about the time asked.
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(bus_->Receive("q", 10, milliseconds(200))->empty());
  EXPECT_GE(std::chrono::steady_clock::now() - t0, milliseconds(190));
}

TEST_P(BusContractTest, ConcurrentConsumersNeverShareAMessage) {
  std::vector<OutgoingMessage> m;
  for (int i = 0; i < 200; ++i) m.push_back({"m" + std::to_string(i), ""});
  ASSERT_TRUE(bus_->Publish("events", m).ok());
  std::atomic<int> received{0};
  std::vector<std::thread> consumers;
  std::mutex mu;
  std::set<std::string> seen;
  bool duplicate = false;
  for (int t = 0; t < 4; ++t)
    consumers.emplace_back([&] {
      for (;;) {
        auto got = bus_->Receive("q", 10, milliseconds(50));
        if (!got.ok() || got->empty()) return;
        std::vector<std::string> receipts;
        for (auto& msg : *got) {
          std::lock_guard lock(mu);
          duplicate |= !seen.insert(msg.body).second;
          receipts.push_back(msg.receipt);
        }
        received += static_cast<int>(got->size());
        bus_->Ack("q", receipts);
      }
    });
  for (auto& t : consumers) t.join();
  EXPECT_EQ(received, 200);
  EXPECT_FALSE(duplicate);
}

INSTANTIATE_TEST_SUITE_P(Embedded, BusContractTest,
                         ::testing::Values(BusBackend{"embedded",
                                                      [](const BusOptions& o, const Clock* clock, const std::string& dir) {
                                                        auto b = EmbeddedBus::Open(dir + "/bus.db", o, clock);
                                                        EXPECT_TRUE(b.ok()) << b.status().ToString();
                                                        return b.ok() ? std::unique_ptr<Bus>(std::move(b).value())
                                                                      : nullptr;
                                                      }}),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace rkd
