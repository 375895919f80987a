#include "base/circuit_breaker.h"

namespace rkd {

bool CircuitBreaker::Allow(Clock::time_point now) {
  std::lock_guard lock(mu_);
  switch (state_) {
    case State::kClosed:
      return true;
    case State::kOpen:
      if (now - opened_at_ < cooldown_) return false;
      state_ = State::kHalfOpen;
      probe_at_ = now;
      return true;
    case State::kHalfOpen:
      if (now - probe_at_ < cooldown_) return false;  // the probe is still out
      probe_at_ = now;
      return true;
  }
  return false;
}

void CircuitBreaker::RecordSuccess() {
  std::lock_guard lock(mu_);
  state_ = State::kClosed;
  failures_ = 0;
}

void CircuitBreaker::RecordFailure(Clock::time_point now) {
  std::lock_guard lock(mu_);
  ++failures_;
  if (state_ == State::kHalfOpen || failures_ >= threshold_) {
    state_ = State::kOpen;
    opened_at_ = now;
  }
}

CircuitBreaker::State CircuitBreaker::state(Clock::time_point now) {
  std::lock_guard lock(mu_);
  if (state_ == State::kOpen && now - opened_at_ >= cooldown_) return State::kHalfOpen;
  return state_;
}

const char* CircuitBreaker::StateName(State s) {
  switch (s) {
    case State::kClosed:
      return "closed";
    case State::kOpen:
      return "open";
    case State::kHalfOpen:
      return "half-open";
  }
  return "?";
}

}  // namespace rkd
