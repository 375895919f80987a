// RateLimiter: client-side limits on requests per minute and tokens per minute, held
// exactly over any sliding 60-second window (a log of admissions, not a token bucket,
// so no burst can exceed the limit). Pure: time comes in as an argument. Not
// thread-safe; its one user (OpenAiClient's loop thread) owns it.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>

namespace rkd {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::seconds kWindow{60};

  // 0 disables a limit. `margin` lengthens the window: a request reaches the server a
  // little after it is admitted here, by a varying delay, and the server's own count
  // must stay within the limit too.
  RateLimiter(int requests_per_minute, int64_t tokens_per_minute, Clock::duration margin = Clock::duration::zero())
      : rpm_(requests_per_minute), tpm_(tokens_per_minute), window_(kWindow + margin) {}

  // Admits a request that may use `tokens` (its prompt estimate plus max_tokens) when
  // both limits allow it now: records it and returns 0 with *ticket set. Otherwise
  // returns how long to wait before asking again (> 0) and records nothing. A request
  // larger than the whole token limit is admitted alone in an empty window.
  Clock::duration TryAcquire(Clock::time_point now, int64_t tokens, uint64_t* ticket);
  // Replaces an admitted request's token charge with what it really used (from the
  // response's usage), so that the window frees what was over-reserved.
  void Settle(uint64_t ticket, int64_t actual_tokens);
  // Admits nothing before `until` (a server's 429 with Retry-After slows every caller).
  void PauseUntil(Clock::time_point until);

  int requests_in_window(Clock::time_point now);
  int64_t tokens_in_window(Clock::time_point now);

 private:
  struct Entry {
    Clock::time_point at;
    int64_t tokens;
    uint64_t ticket;
  };
  void Expire(Clock::time_point now);

  int rpm_;
  int64_t tpm_;
  Clock::duration window_;
  std::deque<Entry> log_;
  int64_t tokens_ = 0;
  uint64_t next_ticket_ = 1;
  Clock::time_point paused_until_{};
};

}  // namespace rkd
