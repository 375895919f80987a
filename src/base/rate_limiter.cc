#include "base/rate_limiter.h"

#include <algorithm>

namespace rkd {

void RateLimiter::Expire(Clock::time_point now) {
  while (!log_.empty() && log_.front().at + window_ <= now) {
    tokens_ -= log_.front().tokens;
    log_.pop_front();
  }
}

RateLimiter::Clock::duration RateLimiter::TryAcquire(Clock::time_point now, int64_t tokens, uint64_t* ticket) {
  if (now < paused_until_) return paused_until_ - now;
  Expire(now);
  Clock::duration wait{0};
  if (rpm_ > 0 && static_cast<int>(log_.size()) >= rpm_) {
    // The oldest admission that must leave the window before one more fits.
    wait = std::max(wait, log_[log_.size() - rpm_].at + window_ - now);
  }
  if (tpm_ > 0 && tokens_ + tokens > tpm_ && !log_.empty()) {
    // Leave entries in order until the newcomer fits (or the window is empty).
    int64_t remaining = tokens_;
    for (const Entry& e : log_) {
      remaining -= e.tokens;
      if (remaining + tokens <= tpm_) {
        wait = std::max(wait, e.at + window_ - now);
        break;
      }
    }
    if (remaining + tokens > tpm_) wait = std::max(wait, log_.back().at + window_ - now);
  }
  if (wait > Clock::duration::zero()) return wait;
  *ticket = next_ticket_++;
  log_.push_back({now, tokens, *ticket});
  tokens_ += tokens;
  return Clock::duration::zero();
}

void RateLimiter::Settle(uint64_t ticket, int64_t actual_tokens) {
  for (Entry& e : log_) {
    if (e.ticket != ticket) continue;
    tokens_ += actual_tokens - e.tokens;
    e.tokens = actual_tokens;
    return;
  }
}

void RateLimiter::PauseUntil(Clock::time_point until) { paused_until_ = std::max(paused_until_, until); }

int RateLimiter::requests_in_window(Clock::time_point now) {
  Expire(now);
  return static_cast<int>(log_.size());
}

int64_t RateLimiter::tokens_in_window(Clock::time_point now) {
  Expire(now);
  return tokens_;
}

}  // namespace rkd
