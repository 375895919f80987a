#include "base/circuit_breaker.h"

#include <gtest/gtest.h>

namespace rkd {
namespace {

using std::chrono::seconds;
using State = CircuitBreaker::State;

TEST(CircuitBreaker, OpensAfterConsecutiveFailuresAndProbesAfterCooldown) {
  CircuitBreaker b(3, seconds(30));
  const auto t0 = CircuitBreaker::Clock::time_point{} + seconds(1000);
  EXPECT_TRUE(b.Allow(t0));
  b.RecordFailure(t0);
  b.RecordFailure(t0);
  b.RecordSuccess();  // a success resets the count
  b.RecordFailure(t0);
  b.RecordFailure(t0);
  EXPECT_EQ(b.state(t0), State::kClosed);
  b.RecordFailure(t0);
  EXPECT_EQ(b.state(t0), State::kOpen);
  EXPECT_FALSE(b.Allow(t0 + seconds(29)));
  // After the cooldown one probe goes through; the others still fall back.
  EXPECT_TRUE(b.Allow(t0 + seconds(30)));
  EXPECT_FALSE(b.Allow(t0 + seconds(31)));
  EXPECT_EQ(b.state(t0 + seconds(31)), State::kHalfOpen);
  // The probe fails: open for another cooldown.
  b.RecordFailure(t0 + seconds(32));
  EXPECT_EQ(b.state(t0 + seconds(33)), State::kOpen);
  EXPECT_FALSE(b.Allow(t0 + seconds(61)));
  EXPECT_TRUE(b.Allow(t0 + seconds(62)));
  b.RecordSuccess();  // the probe succeeds: closed
  EXPECT_EQ(b.state(t0 + seconds(62)), State::kClosed);
  EXPECT_TRUE(b.Allow(t0 + seconds(62)));
}

TEST(CircuitBreaker, LostProbeIsReplacedAfterAnotherCooldown) {
  CircuitBreaker b(1, seconds(10));
  const auto t0 = CircuitBreaker::Clock::time_point{} + seconds(1000);
  b.RecordFailure(t0);
  EXPECT_TRUE(b.Allow(t0 + seconds(10)));
  EXPECT_FALSE(b.Allow(t0 + seconds(15)));
  EXPECT_TRUE(b.Allow(t0 + seconds(20)));
}

}  // namespace
}  // namespace rkd
