// ManualClock: a Clock that stands still until a test moves it (Set, Advance), so time-
// dependent rules (cooldown, visibility timeout, lease, backoff, score decay) are tested
// at their exact edges without sleeping. Thread-safe: Now, Set and Advance are atomic.
#pragma once

#include <atomic>

#include "base/time.h"

namespace rkd::testkit {

class ManualClock final : public Clock {
 public:
  explicit ManualClock(Millis start = 0) : now_(start) {}
  Millis Now() const override { return now_.load(); }
  void Set(Millis t) { now_.store(t); }
  void Advance(Millis ms) { now_.fetch_add(ms); }

 private:
  std::atomic<Millis> now_;
};

}  // namespace rkd::testkit
