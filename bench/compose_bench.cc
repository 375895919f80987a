// What writing one email costs the template writer (issue 12): the built-in templates,
// the same templates stored in the dashboard (the request carries them; the writer parses
// them once per version and keeps them), with the brand (a logo, EUR, a sign-off) or
// without; the message checks a save runs; and a client's variant under a running
// experiment (the hash the email processor runs once per email). A regular client with
// two categories.
// Run: build/compose_bench
#include <benchmark/benchmark.h>

#include "compose/message_checks.h"
#include "compose/sample_client.h"
#include "compose/template_writer.h"
#include "experiments/variant_assignment.h"

namespace {

constexpr rkd::Millis kNow = 1'760'000'000'000;

rkd::TemplateWriter& Writer() {
  static auto* const kWriter = std::move(rkd::TemplateWriter::Load("")).value().release();
  return *kWriter;
}

rkd::Brand ShopBrand(bool branded) {
  rkd::ShopSettings s;
  if (branded) {
    s.shop_name = "Ada's Yarn";
    s.logo_url = "https://cdn.yarn.example/logo.png";
    s.currency = "EUR";
    s.sign_off = "The Yarn crew";
  }
  return rkd::Brand::From(s);
}

// range(0): 1 = the message stored; range(1): 1 = the brand set.
void BM_Compose(benchmark::State& state) {
  const rkd::User client = rkd::SampleClient(kNow);
  const rkd::MessageVersion stored{.name = "winback-1", .version = 1, .content = Writer().BuiltInMessages()[0].content};
  rkd::ComposeRequest req{
      client, 22, kNow,        "https://shop.example",         "https://r.example/u/token",
      1,      3,  "winback-1", ShopBrand(state.range(1) != 0), state.range(0) != 0 ? &stored : nullptr};
  for (auto _ : state) {
    auto e = Writer().Compose(req);
    benchmark::DoNotOptimize(e);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_CheckMessage(benchmark::State& state) {
  const rkd::MessageContent m = Writer().BuiltInMessages()[0].content;
  for (auto _ : state) {
    auto st = rkd::CheckMessageContent(m, kNow);
    benchmark::DoNotOptimize(st);
  }
}

BENCHMARK(BM_Compose)->ArgsProduct({{0, 1}, {0, 1}})->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_CheckMessage)->Unit(benchmark::kMicrosecond);

// range(0): the number of variants, weighted evenly.
void BM_AssignVariant(benchmark::State& state) {
  const std::vector<double> weights(static_cast<size_t>(state.range(0)), 1.0);
  std::vector<std::string> users;
  for (int i = 0; i < 1000; ++i) users.push_back("0190f3a2-7b5c-7d4e-8f00-" + std::to_string(100'000'000'000 + i));
  size_t n = 0;
  for (auto _ : state)
    benchmark::DoNotOptimize(
        rkd::AssignVariant("exp_0190f3a2-7b5c-7d4e-8f00-000000000001", users[n++ % users.size()], weights));
}
BENCHMARK(BM_AssignVariant)->Arg(2)->Arg(5)->Unit(benchmark::kNanosecond);

}  // namespace

BENCHMARK_MAIN();
