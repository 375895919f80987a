// Synthetic clients with order histories for demos, tests and benchmarks: a spread of
// recency, frequency and value (so that a fair share is at risk), deterministic for a
// given seed. Pure; thread-compatible.
#pragma once

#include <cstdint>
#include <vector>

#include "base/time.h"
#include "domain/order.h"
#include "domain/user.h"

namespace rkd {

struct DemoData {
  std::vector<User> users;
  std::vector<Order> orders;
};

// `count` users (ids "demo-<seed>-<n>", emails at example.com) and their orders, as of `now`.
DemoData GenerateDemoData(int count, uint64_t seed, Millis now);

}  // namespace rkd
