#include "testing/pipeline_rig.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace rkd::testkit {

ProcessorOptions PipelineRig::DefaultOptions() {
  ProcessorOptions o;
  o.queue = kEmailQueue;
  o.cooldown = 7 * kMillisPerDay;
  o.max_receives = 5;
  o.retry_base = std::chrono::milliseconds(1000);
  o.retry_cap = std::chrono::milliseconds(300'000);
  o.visibility_timeout = std::chrono::milliseconds(60'000);
  o.shop_url = "https://shop.example.com";
  o.public_url = "https://rekindle.example.com";
  o.unsubscribe_secret = "test-secret";
  o.postal_address = "Rekindle Ltd, 1 Test Street, Testville";
  o.holdout_share = 0;
  return o;
}

PipelineRig::PipelineRig(ProcessorOptions o) : options(std::move(o)) {
  auto s = SqliteStore::Open(dir / "rekindle.db", rules, &clock);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  if (s.ok()) real_store = std::move(s).value();
  BusOptions bus_options;
  bus_options.visibility_timeout = std::chrono::duration_cast<std::chrono::seconds>(options.visibility_timeout);
  bus_options.max_receives = options.max_receives;
  auto b = EmbeddedBus::Open(dir / "rekindle-bus.db", bus_options, &clock);
  EXPECT_TRUE(b.ok()) << b.status().ToString();
  if (b.ok()) real_bus = std::move(b).value();
  if (!real_store || !real_bus) return;
  store = std::make_unique<FaultyStore>(*real_store, faults);
  bus = std::make_unique<FaultyBus>(*real_bus, faults);
  faulty_mailer = std::make_unique<FaultyMailer>(mailer, faults);
  EXPECT_TRUE(bus->Subscribe(StreamProcessor::kTopic, options.queue).ok());
  stream = std::make_unique<StreamProcessor>(*store, *bus);
  processor = std::make_unique<EmailProcessor>(*store, *bus, writer, *faulty_mailer, rules, clock, options);
}

User PipelineRig::CreateLapsedUser(const std::string& email, int days_since_order,
                                   std::optional<Millis> last_email_date) {
  User u;
  u.email = email;
  u.name = "Lena Lindqvist";
  u.last_order_date = clock.Now() - days_since_order * kMillisPerDay;
  u.order_count = 1;
  u.average_order_value = 80;
  u.preferred_categories = {"Knitwear"};
  u.last_email_date = last_email_date;
  auto created = real_store->CreateUser(u);
  EXPECT_TRUE(created.ok()) << created.status().ToString();
  return created.ok() ? *created : u;
}

int PipelineRig::PumpStream() {
  int total = 0;
  for (;;) {
    auto n = stream->PollOnce();
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    if (!n.ok() || *n == 0) return total;
    total += *n;
  }
}

int PipelineRig::Work() {
  int handled = 0;
  for (;;) {
    auto batch = bus->Receive(options.queue, options.batch_size, std::chrono::milliseconds(0));
    EXPECT_TRUE(batch.ok()) << batch.status().ToString();
    if (!batch.ok() || batch->empty()) return handled;
    handled += static_cast<int>(batch->size());
    std::vector<std::chrono::milliseconds> retry_after;
    std::vector<Status> results;
    try {
      results = processor->HandleBatch(*batch, &retry_after);
    } catch (const InjectedCrash&) {
      return handled;  // the worker died holding the batch: no ack, no nack
    }
    std::vector<std::string> acks;
    for (size_t i = 0; i < batch->size(); ++i) {
      const Message& m = (*batch)[i];
      if (results[i].ok()) {
        acks.push_back(m.receipt);
        continue;
      }
      const auto delay = std::max(processor->Backoff(m.receive_count), retry_after[i]);
      EXPECT_TRUE(bus->Nack(options.queue, m.receipt, delay, results[i].ToString()).ok());
    }
    EXPECT_TRUE(bus->Ack(options.queue, acks).ok());
  }
}

QueueStats PipelineRig::Queue() {
  auto stats = real_bus->Stats();
  EXPECT_TRUE(stats.ok());
  if (stats.ok())
    for (const QueueStats& q : *stats)
      if (q.name == options.queue) return q;
  return {};
}

std::vector<Email> PipelineRig::EmailsOf(const std::string& user_id) {
  EmailQuery q;
  q.user_id = user_id;
  q.limit = 100;
  auto page = real_store->ListEmails(q);
  EXPECT_TRUE(page.ok());
  return page.ok() ? page->items : std::vector<Email>{};
}

}  // namespace rkd::testkit
