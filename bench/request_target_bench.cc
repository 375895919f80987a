// What normalising every request target costs (http/request_target.h): the server does
// it once per request, before the access check and the router.
// Run: build/request_target_bench
#include <benchmark/benchmark.h>

#include "http/request_target.h"

namespace {

void BM_Normalize(benchmark::State& state, const char* target) {
  for (auto _ : state) {
    auto t = rkd::NormalizeTarget(target);
    benchmark::DoNotOptimize(t);
  }
}

BENCHMARK_CAPTURE(BM_Normalize, user_by_id, "/api/users/demo-42-51234");
BENCHMARK_CAPTURE(BM_Normalize, list_with_query, "/api/users?limit=50&sort=score&order=desc&search=ada%20l");
BENCHMARK_CAPTURE(BM_Normalize, tracking_token,
                  "/t/c/ZW0tMTIzNDU2Nzg5MApodHRwczovL3Nob3AuZXhhbXBsZS5jb20vP3V0bV9zb3VyY2U9cmVraW5kbGU."
                  "q3Jm7m0yq5V0hQ2q3Jm7m0yq5V0hQ2q3Jm7m0yq5V0hQ2q3Jm7m0");
BENCHMARK_CAPTURE(BM_Normalize, refused_traversal, "/%2e%2e/%2e%2e/etc/passwd");

}  // namespace

BENCHMARK_MAIN();
