// What the sending controls cost the email processor per batch (pipeline/store_send_gate.h):
// Admit reads the settings and takes the batch's share of the daily cap and the hourly
// rate in one store transaction; Preview (the dry run) reads the counts and takes nothing.
// Batches of 100 clients (the processor's batch), half of them with a time zone of their
// own, quiet hours on, on a SQLite file store. Run: build/send_gate_bench
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>

#include "pipeline/sending_switch.h"
#include "pipeline/store_send_gate.h"
#include "store/sqlite/sqlite_store.h"

namespace {

using rkd::User;

struct Fixture {
  std::string dir = std::filesystem::temp_directory_path() / ("rkd-gate-bench-" + std::to_string(::getpid()));
  rkd::SystemClock clock;
  std::unique_ptr<rkd::SqliteStore> store;
  std::vector<User> users;
  std::vector<const User*> batch;

  explicit Fixture(bool caps) {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = std::move(rkd::SqliteStore::Open(dir + "/bench.db", rkd::ScoreRules{}, &clock)).value();
    std::vector<std::pair<std::string, std::string>> values{
        {"senderName", "\"Shop\""},        {"senderEmail", "\"hi@shop.example\""},
        {"postalAddress", "\"1 Road\""},   {"publicUrl", "\"https://r.example\""},
        {"timeZone", "\"Europe/Berlin\""}, {"quietHours", R"({"start":"23:59","end":"00:00"})"}};
    if (caps) {
      values.emplace_back("dailyCap", "100000000");
      values.emplace_back("hourlyRate", "100000000");
    }
    (void)store->PutSettings(values, "bench", false);
    (void)rkd::ResumeSending(*store, clock.Now(), "bench");
    const char* zones[] = {"America/New_York", "Asia/Tokyo", "Europe/Berlin", "Australia/Sydney", ""};
    for (int i = 0; i < 100; ++i) {
      User u;
      u.user_id = "u" + std::to_string(i);
      u.time_zone = i % 2 ? zones[i % 5] : "";
      users.push_back(u);
    }
    for (const User& u : users) batch.push_back(&u);
  }
  ~Fixture() { std::filesystem::remove_all(dir); }
};

void BM_Admit(benchmark::State& state) {
  Fixture f(state.range(0) != 0);
  rkd::StoreSendGate gate(*f.store);
  for (auto _ : state) {
    auto answers = gate.Admit(f.batch, f.clock.Now());
    benchmark::DoNotOptimize(answers);
  }
  state.SetItemsProcessed(state.iterations() * 100);
}

void BM_Preview(benchmark::State& state) {
  Fixture f(true);
  rkd::StoreSendGate gate(*f.store);
  for (auto _ : state) {
    auto answers = gate.Preview(f.batch, f.clock.Now());
    benchmark::DoNotOptimize(answers);
  }
  state.SetItemsProcessed(state.iterations() * 100);
}

BENCHMARK(BM_Admit)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Preview)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
