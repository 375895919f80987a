// The NATS bus against a real nats-server (RKD_TEST_NATS_URL; ctest's bus_contract_nats
// starts one), beyond the Bus contract: what only a NATS server does to it.
#include "bus/nats/nats_bus.h"

#include <gtest/gtest.h>
#include <nats/nats.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace rkd {
namespace {

// A publish batch that finds no stream (a cluster that just lost the stream's leader, or a
// wiped server) gets a "no responders" answer per message, all at once. The bus gives up
// at the first and drops the inbox they arrive on while the rest are still coming in:
// Debian's libnats 3.4 then freed the inbox under its reader thread and the process
// aborted (nats.c#637), as `rekindle stream` did in tests/test_scale_out.py. Every round
// here did that to it; now each such publish fails, and the next one finds the stream again.
TEST(NatsBusTest, PublishesThatFindNoStreamFailAndTheProcessLivesOn) {
  const char* url = std::getenv("RKD_TEST_NATS_URL");
  if (!url) GTEST_SKIP() << "RKD_TEST_NATS_URL is not set (tests/with_nats.sh starts a server)";
  NatsBusOptions options;
  options.urls = url;
  options.ns = "t" + std::to_string(::getpid()) + "_nostream";
  options.bus.visibility_timeout = std::chrono::seconds(2);
  options.bus.max_receives = 3;
  options.bus.retention = std::chrono::hours(1);
  auto bus = NatsBus::Open(options);
  ASSERT_TRUE(bus.ok()) << bus.status().ToString();
  ASSERT_TRUE((*bus)->Subscribe("events", "q").ok());

  // A connection of the test's own, to take the stream away behind the bus's back.
  natsConnection* nc = nullptr;
  jsCtx* js = nullptr;
  ASSERT_EQ(natsConnection_ConnectTo(&nc, url), NATS_OK);
  ASSERT_EQ(natsConnection_JetStream(&js, nc, nullptr), NATS_OK);
  const std::string stream = options.ns + "_T_events";

  for (int round = 0; round < 100; ++round) {
    std::vector<OutgoingMessage> batch;
    for (int i = 0; i < 100; ++i) batch.push_back({"body", "r" + std::to_string(round) + "-" + std::to_string(i)});
    jsErrCode jerr = static_cast<jsErrCode>(0);
    ASSERT_EQ(js_DeleteStream(js, stream.c_str(), nullptr, &jerr), NATS_OK) << "round " << round;
    const Status lost = (*bus)->Publish("events", batch);
    EXPECT_EQ(lost.code(), Code::kUnavailable) << lost.ToString();
    batch.resize(1);
    batch[0].dedup_id += "-again";
    EXPECT_TRUE((*bus)->Publish("events", batch).ok()) << "round " << round;
  }
  auto received = (*bus)->Receive("q", 10, std::chrono::milliseconds(2000));
  ASSERT_TRUE(received.ok()) << received.status().ToString();
  EXPECT_EQ(received->size(), 1u);  // what was published since the stream's last deletion

  jsCtx_Destroy(js);
  natsConnection_Destroy(nc);
}

}  // namespace
}  // namespace rkd
