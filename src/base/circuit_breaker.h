// CircuitBreaker: stops calling an endpoint that keeps failing, and tries it again later.
// Closed: every call goes through; `failure_threshold` failures in a row open it.
// Open: calls are refused (the caller uses its fallback) for `cooldown`; then half-open:
// one probe call goes through while the others are still refused; its success closes
// the breaker, its failure opens it for another cooldown. Thread-safe.
#pragma once

#include <chrono>
#include <mutex>

namespace rkd {

class CircuitBreaker {
 public:
  using Clock = std::chrono::steady_clock;
  enum class State { kClosed, kOpen, kHalfOpen };

  CircuitBreaker(int failure_threshold, Clock::duration cooldown)
      : threshold_(failure_threshold < 1 ? 1 : failure_threshold), cooldown_(cooldown) {}

  // May this call go to the endpoint now? In half-open, true for the one probe only
  // (a probe that never reports back is replaced after another cooldown).
  bool Allow(Clock::time_point now = Clock::now());
  void RecordSuccess();
  void RecordFailure(Clock::time_point now = Clock::now());
  State state(Clock::time_point now = Clock::now());
  static const char* StateName(State s);

 private:
  std::mutex mu_;
  const int threshold_;
  const Clock::duration cooldown_;
  State state_ = State::kClosed;
  int failures_ = 0;
  Clock::time_point opened_at_{};
  Clock::time_point probe_at_{};
};

}  // namespace rkd
