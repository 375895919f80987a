#include "base/ids.h"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <random>

namespace rkd {

namespace {

std::mt19937_64& Rng() {
  thread_local std::mt19937_64 rng{std::random_device{}() ^ (static_cast<uint64_t>(std::random_device{}()) << 32)};
  return rng;
}

std::string Format(uint64_t hi, uint64_t lo) {
  char buf[37];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                static_cast<unsigned>((hi >> 16) & 0xffff), static_cast<unsigned>(hi & 0xffff),
                static_cast<unsigned>(lo >> 48), static_cast<unsigned long long>(lo & 0xffffffffffffULL));
  return buf;
}

}  // namespace

std::string NewUuid() {
  uint64_t hi = Rng()(), lo = Rng()();
  hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // variant 10
  return Format(hi, lo);
}

std::string NewOrderedUuid() {
  thread_local uint64_t last_ms = 0, counter = 0;
  uint64_t ms = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
  if (ms <= last_ms) {
    ms = last_ms;
    if (++counter > 0xfff) {  // 4,096 in one millisecond: borrow the next
      ++ms;
      counter = 0;
    }
  } else {
    counter = 0;
  }
  last_ms = ms;
  const uint64_t hi = (ms << 16) | 0x7000ULL | counter;  // unix_ts_ms(48) version(4) rand_a(12): the counter
  const uint64_t lo = (Rng()() & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
  return Format(hi, lo);
}

std::string StableId(const std::string& prefix, const std::string& key) {
  auto fnv = [&key](uint64_t h) {
    for (unsigned char c : key) {
      h ^= c;
      h *= 0x100000001b3ULL;
    }
    return h;
  };
  char buf[40];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(fnv(0xcbf29ce484222325ULL)),
                static_cast<unsigned long long>(fnv(0x84222325cbf29ce4ULL)));
  return prefix + buf;
}

}  // namespace rkd
