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
#include "bus/nats/nats_bus.h"

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
  // A real-time backend keeps time on a server (NATS): the tests sleep instead of moving
  // the manual clock, with short timeouts, and wait a little for the server's timers.
  bool real_time = false;
  std::function<std::unique_ptr<Bus>(const BusOptions&, const Clock*, const std::string& scratch)> open;
};
void PrintTo(const BusBackend& b, std::ostream* os) { *os << b.name; }

class BusContractTest : public ::testing::TestWithParam<BusBackend> {
 protected:
  void SetUp() override {
    if (GetParam().name == "nats" && !std::getenv("RKD_TEST_NATS_URL"))
      GTEST_SKIP() << "RKD_TEST_NATS_URL is not set (tests/with_nats.sh starts a server)";
    scratch_ = ::testing::TempDir() + "rkd-bus-" + std::to_string(::getpid()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(scratch_);
    std::filesystem::create_directories(scratch_);
    real_time_ = GetParam().real_time;
    options_.visibility_timeout = real_time_ ? seconds(2) : seconds(30);
    options_.max_receives = 3;
    options_.retention = std::chrono::hours(24);
    Reopen();
  }
  void Reopen() {
    bus_.reset();
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
  // A receive that expects messages: a real-time backend may take a moment (its timers).
  std::vector<Message> ReceiveSoon(int max = 10) {
    auto r = bus_->Receive("q", max, real_time_ ? milliseconds(3000) : milliseconds(0));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : std::vector<Message>{};
  }
  // Lets `d` pass: the manual clock jumps; on a real-time backend the test sleeps.
  void Pass(milliseconds d) {
    if (real_time_)
      std::this_thread::sleep_for(d);
    else
      clock_.Advance(d.count());
  }
  milliseconds Visibility() const { return options_.visibility_timeout; }
  QueueStats StatsOf(const std::string& queue) {
    auto all = bus_->Stats();
    EXPECT_TRUE(all.ok());
    for (const auto& s : *all)
      if (s.name == queue) return s;
    ADD_FAILURE() << "no stats for " << queue;
    return {};
  }
  // Polls the stats until `pred` holds (at once on the embedded bus; a real-time backend
  // may update them a moment later).
  QueueStats StatsWhen(const std::string& queue, const std::function<bool(const QueueStats&)>& pred) {
    const auto deadline = std::chrono::steady_clock::now() + seconds(real_time_ ? 5 : 0);
    QueueStats st = StatsOf(queue);
    while (!pred(st) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(milliseconds(50));
      st = StatsOf(queue);
    }
    return st;
  }

  ManualClock clock_;
  bool real_time_ = false;
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

TEST_P(BusContractTest, VisibilityTimeoutRedeliversAndStaleReceiptsAreHarmless) {
  PublishBodies({"a"});
  auto first = Receive();
  ASSERT_EQ(first.size(), 1u);
  Pass(Visibility() / 2);
  EXPECT_TRUE(Receive().empty());
  Pass(Visibility() / 2 + milliseconds(100));
  auto second = ReceiveSoon();
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].receive_count, 2);
  EXPECT_EQ(second[0].body, "a");
  ASSERT_TRUE(bus_->Ack("q", {first[0].receipt}).ok());  // stale: accepted, never an error
  ASSERT_TRUE(bus_->Ack("q", {second[0].receipt}).ok());
  Pass(Visibility() + milliseconds(500));
  EXPECT_TRUE(Receive().empty());  // the newest delivery's ack deleted it
}

TEST_P(BusContractTest, ExtendKeepsAMessageInvisible) {
  PublishBodies({"slow"});
  auto got = Receive();
  ASSERT_EQ(got.size(), 1u);
  Pass(Visibility() * 3 / 4);
  ASSERT_TRUE(bus_->Extend("q", {got[0].receipt}).ok());
  Pass(Visibility() / 2);  // past the first timeout, within the extended one
  EXPECT_TRUE(Receive().empty());
  ASSERT_TRUE(bus_->Ack("q", {got[0].receipt}).ok());
  Pass(Visibility() + milliseconds(500));
  EXPECT_TRUE(Receive().empty());
}

TEST_P(BusContractTest, NackWithDelay) {
  PublishBodies({"a"});
  auto got = Receive();
  ASSERT_EQ(got.size(), 1u);
  ASSERT_TRUE(bus_->Nack("q", got[0].receipt, milliseconds(1500), "try later").ok());
  EXPECT_TRUE(Receive().empty());
  EXPECT_EQ(StatsOf("q").in_flight, 1);
  Pass(milliseconds(1500));
  auto again = ReceiveSoon();
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].receive_count, 2);
}

TEST_P(BusContractTest, DeadLetterAfterMaxReceivesKeepsTheErrorAndRedriveBringsItBack) {
  PublishBodies({"poison"});
  for (int i = 1; i <= options_.max_receives; ++i) {
    auto got = ReceiveSoon();
    ASSERT_EQ(got.size(), 1u) << "receive " << i;
    EXPECT_EQ(got[0].receive_count, i);
    ASSERT_TRUE(bus_->Nack("q", got[0].receipt, milliseconds(0), "boom " + std::to_string(i)).ok());
  }
  EXPECT_TRUE(Receive().empty());
  QueueStats st = StatsWhen("q", [](const QueueStats& s) { return s.dlq_depth == 1 && s.in_flight == 0; });
  EXPECT_EQ(st.dlq_depth, 1);
  EXPECT_EQ(st.depth, 0);
  auto dead = bus_->PeekDeadLetters("q", 10);
  ASSERT_TRUE(dead.ok()) << dead.status().ToString();
  ASSERT_EQ(dead->size(), 1u);
  EXPECT_EQ((*dead)[0].body, "poison");
  EXPECT_EQ((*dead)[0].dedup_id, "id-poison");
  EXPECT_EQ((*dead)[0].last_error, "boom 3");

  EXPECT_EQ(*bus_->Redrive("q"), 1);
  EXPECT_EQ(StatsOf("q").dlq_depth, 0);
  auto back = ReceiveSoon();
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].receive_count, 1);
  EXPECT_EQ(back[0].body, "poison");
  EXPECT_EQ(back[0].dedup_id, "id-poison");
}

TEST_P(BusContractTest, DeadLetterAfterMaxReceivesByVisibilityExpiry) {
  PublishBodies({"slow"});
  for (int i = 0; i < options_.max_receives; ++i) {
    ASSERT_EQ(ReceiveSoon().size(), 1u) << "receive " << i + 1;
    Pass(Visibility() + milliseconds(100));  // the consumer never acks
  }
  EXPECT_TRUE(ReceiveSoon().empty());
  EXPECT_EQ(StatsWhen("q", [](const QueueStats& s) { return s.dlq_depth == 1; }).dlq_depth, 1);
  auto dead = bus_->PeekDeadLetters("q", 10);
  ASSERT_TRUE(dead.ok());
  ASSERT_EQ(dead->size(), 1u);
  EXPECT_EQ((*dead)[0].body, "slow");
  EXPECT_EQ(*bus_->Redrive("q"), 1);
  auto back = ReceiveSoon();
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].body, "slow");
}

TEST_P(BusContractTest, RedriveReachesOnlyTheQueueItCameFrom) {
  ASSERT_TRUE(bus_->Subscribe("events", "audit").ok());
  PublishBodies({"x"});
  auto audit = bus_->Receive("audit", 10, milliseconds(0));
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 1u);
  ASSERT_TRUE(bus_->Ack("audit", {(*audit)[0].receipt}).ok());
  for (int i = 1; i <= options_.max_receives; ++i) {
    auto got = ReceiveSoon();
    ASSERT_EQ(got.size(), 1u);
    ASSERT_TRUE(bus_->Nack("q", got[0].receipt, milliseconds(0), "no").ok());
  }
  StatsWhen("q", [](const QueueStats& s) { return s.dlq_depth == 1; });
  EXPECT_EQ(*bus_->Redrive("q"), 1);
  EXPECT_EQ(ReceiveSoon().size(), 1u);
  auto again = bus_->Receive("audit", 10, real_time_ ? milliseconds(500) : milliseconds(0));
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());
}

TEST_P(BusContractTest, DuplicatePublishIsDropped) {
  PublishBodies({"a"});
  PublishBodies({"a"});
  EXPECT_EQ(Receive().size(), 1u);
}

TEST_P(BusContractTest, StatsShowDepthInFlightAndOldestAge) {
  PublishBodies({"a", "b", "c"});
  Pass(milliseconds(1000));
  Receive(1);
  QueueStats st = StatsOf("q");
  EXPECT_EQ(st.depth, 2);
  EXPECT_EQ(st.in_flight, 1);
  EXPECT_GE(st.oldest_age_seconds, 1.0);
  EXPECT_LE(st.oldest_age_seconds, real_time_ ? 3.0 : 1.0);
  EXPECT_EQ(st.dlq_depth, 0);
}

TEST_P(BusContractTest, RetentionPurgesOldMessages) {
  if (real_time_) {  // a server's retention (NATS MaxAge) is real time: make it short
    options_.retention = seconds(3);
    Reopen();
  }
  // At the end the first is 1.3 retentions old, the second 0.6.
  const auto retention = std::chrono::duration_cast<milliseconds>(options_.retention);
  PublishBodies({"old"});
  Pass(retention * 7 / 10);
  PublishBodies({"new"});
  Pass(retention * 6 / 10);
  auto purged = bus_->PurgeExpired();
  ASSERT_TRUE(purged.ok());
  if (!real_time_) {
    EXPECT_EQ(*purged, 1);  // a server (NATS MaxAge) expires messages itself
  }
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
        auto got = bus_->Receive("q", 10, milliseconds(real_time_ ? 1000 : 50));
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
                         ::testing::Values(BusBackend{
                             "embedded", false,
                             [](const BusOptions& o, const Clock* clock, const std::string& dir) {
                               auto b = EmbeddedBus::Open(dir + "/bus.db", o, clock);
                               EXPECT_TRUE(b.ok()) << b.status().ToString();
                               return b.ok() ? std::unique_ptr<Bus>(std::move(b).value()) : nullptr;
                             }}),
                         [](const auto& test_info) { return test_info.param.name; });

// Each test gets its own namespace (streams and subjects) on the shared server.
INSTANTIATE_TEST_SUITE_P(Nats, BusContractTest,
                         ::testing::Values(BusBackend{
                             "nats", true,
                             [](const BusOptions& o, const Clock*, const std::string&) {
                               NatsBusOptions n;
                               n.urls = std::getenv("RKD_TEST_NATS_URL");
                               n.ns = "t" + std::to_string(::getpid()) + "_" +
                                      ::testing::UnitTest::GetInstance()->current_test_info()->name();
                               n.ns = n.ns.substr(0, n.ns.find('/'));
                               n.bus = o;
                               auto b = NatsBus::Open(n);
                               EXPECT_TRUE(b.ok()) << b.status().ToString();
                               return b.ok() ? std::unique_ptr<Bus>(std::move(b).value()) : nullptr;
                             }}),
                         [](const auto& test_info) { return test_info.param.name; });

}  // namespace
}  // namespace rkd
