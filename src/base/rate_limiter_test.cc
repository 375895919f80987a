#include "base/rate_limiter.h"

#include <gtest/gtest.h>

namespace rkd {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using T = RateLimiter::Clock::time_point;

TEST(RateLimiter, RequestsPerMinuteHoldOverEverySlidingWindow) {
  RateLimiter limiter(60, 0);
  const T t0{};
  uint64_t ticket = 0;
  // Offered far more than the limit, one request every 100 ms for three minutes: every
  // 60-second window admits at most 60.
  std::vector<T> admitted;
  for (int i = 0; i < 1800; ++i) {
    T now = t0 + milliseconds(100 * i);
    if (limiter.TryAcquire(now, 1, &ticket) == RateLimiter::Clock::duration::zero()) admitted.push_back(now);
  }
  for (size_t i = 0; i < admitted.size(); ++i) {
    size_t in_window = 0;
    for (size_t j = i; j < admitted.size() && admitted[j] - admitted[i] < seconds(60); ++j) ++in_window;
    EXPECT_LE(in_window, 60u);
  }
  EXPECT_EQ(admitted.size(), 180u);  // and it uses the whole allowance: 60 per minute
}

TEST(RateLimiter, MarginLengthensTheWindow) {
  RateLimiter limiter(1, 0, seconds(1));
  const T t0{};
  uint64_t ticket = 0;
  EXPECT_EQ(limiter.TryAcquire(t0, 1, &ticket).count(), 0);
  EXPECT_EQ(limiter.TryAcquire(t0 + seconds(60), 1, &ticket), seconds(1));
  EXPECT_EQ(limiter.TryAcquire(t0 + seconds(61), 1, &ticket).count(), 0);
}

TEST(RateLimiter, SaysHowLongToWait) {
  RateLimiter limiter(2, 0);
  const T t0{};
  uint64_t ticket = 0;
  EXPECT_EQ(limiter.TryAcquire(t0, 1, &ticket).count(), 0);
  EXPECT_EQ(limiter.TryAcquire(t0 + seconds(10), 1, &ticket).count(), 0);
  EXPECT_EQ(limiter.TryAcquire(t0 + seconds(20), 1, &ticket), seconds(40));
  EXPECT_EQ(limiter.TryAcquire(t0 + seconds(60), 1, &ticket).count(), 0);
  EXPECT_EQ(limiter.requests_in_window(t0 + seconds(60)), 2);
}

TEST(RateLimiter, TokensPerMinuteAndSettle) {
  RateLimiter limiter(0, 1000);
  const T t0{};
  uint64_t a = 0, b = 0, c = 0;
  EXPECT_EQ(limiter.TryAcquire(t0, 600, &a).count(), 0);
  EXPECT_EQ(limiter.TryAcquire(t0 + seconds(1), 300, &b).count(), 0);
  // 900 charged: 200 more must wait until the first leaves the window.
  EXPECT_EQ(limiter.TryAcquire(t0 + seconds(2), 200, &c), seconds(58));
  // The first used only 100 of its 600: settling frees the rest.
  limiter.Settle(a, 100);
  EXPECT_EQ(limiter.tokens_in_window(t0 + seconds(2)), 400);
  EXPECT_EQ(limiter.TryAcquire(t0 + seconds(2), 200, &c).count(), 0);
  EXPECT_NE(a, c);
}

TEST(RateLimiter, OversizedRequestGoesAloneAndPauseHoldsEveryone) {
  RateLimiter limiter(0, 100);
  const T t0{};
  uint64_t t = 0;
  EXPECT_EQ(limiter.TryAcquire(t0, 500, &t).count(), 0);  // alone in an empty window
  EXPECT_EQ(limiter.TryAcquire(t0 + seconds(1), 1, &t), seconds(59));
  RateLimiter open(0, 0);
  open.PauseUntil(t0 + seconds(5));
  EXPECT_EQ(open.TryAcquire(t0 + seconds(2), 1, &t), seconds(3));
  EXPECT_EQ(open.TryAcquire(t0 + seconds(5), 1, &t).count(), 0);
}

}  // namespace
}  // namespace rkd
