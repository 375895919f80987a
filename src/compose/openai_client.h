// OpenAiClient: the HTTP engine under the LLM writer. One background thread drives a
// curl multi handle, so that many requests are in flight at once (up to max_in_flight)
// whatever the endpoint's latency; the callers only wait on their own future.
// Requests start in the order they were posted, when a slot is free and the client-side
// rate limits (requests and tokens per minute, RateLimiter) admit them; connections are
// reused. Thread-safe: Post, Settle and PauseUntil may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/rate_limiter.h"
#include "compose/openai_protocol.h"

namespace rkd {

struct HttpCall {
  std::string url;
  std::string body;                           // sent as POST application/json
  bool get = false;                           // a GET instead (body unused): a REST API's pages
  std::vector<std::string> headers;           // "Name: value"
  int64_t tokens = 0;                         // charged to the tokens-per-minute limit
  std::chrono::milliseconds timeout{30'000};  // the whole exchange, once started
  size_t max_body = size_t{64} << 20;         // what is kept of the answer's body
  // Connects only to public addresses (not loopback, private or link-local), whatever
  // the host name resolves to: a URL someone else chose (webhooks) cannot reach inside.
  bool public_only = false;
  // A call the limits hold until this time fails with not_started (never sent).
  std::chrono::steady_clock::time_point start_by = std::chrono::steady_clock::time_point::max();
};

struct HttpReply {
  int status = 0;  // the HTTP status; 0 when no response came (see error)
  Headers headers;
  std::string body;
  std::string error;         // a transport failure (connect, reset, timeout); empty otherwise
  bool timed_out = false;    // connect or total timeout
  bool not_started = false;  // held by the limits past start_by
  uint64_t ticket = 0;       // the rate limiter's ticket, for Settle
};

class OpenAiClient {
 public:
  struct Options {
    int max_in_flight = 32;
    int requests_per_minute = 0;  // 0: no limit; counted over 61 s (a second of margin)
    int64_t tokens_per_minute = 0;
    std::chrono::milliseconds connect_timeout{5'000};
  };
  struct Stats {
    int in_flight = 0;
    int queued = 0;
    int max_in_flight_seen = 0;
    uint64_t started = 0;
  };

  explicit OpenAiClient(Options options);
  // Calls not started yet fail with error "shutting down"; calls in flight are aborted.
  ~OpenAiClient();
  OpenAiClient(const OpenAiClient&) = delete;
  OpenAiClient& operator=(const OpenAiClient&) = delete;

  std::future<HttpReply> Post(HttpCall call);
  // Replaces a started call's token charge by what it really used.
  void Settle(uint64_t ticket, int64_t tokens);
  // Starts nothing new before `until` (a 429's Retry-After applies to every caller).
  void PauseUntil(std::chrono::steady_clock::time_point until);
  Stats stats();

 private:
  struct Job;
  void Loop();
  void StartJob(std::unique_ptr<Job> job);
  void FinishJob(void* easy, int curl_code);

  const Options options_;
  void* multi_ = nullptr;  // CURLM*, touched by the loop thread (and curl_multi_wakeup)
  std::mutex mu_;
  std::deque<std::unique_ptr<Job>> incoming_;  // guarded by mu_
  RateLimiter limiter_;                        // guarded by mu_
  Stats stats_;                                // guarded by mu_
  bool stop_ = false;                          // guarded by mu_
  std::deque<std::unique_ptr<Job>> pending_;   // loop thread only
  std::vector<std::unique_ptr<Job>> running_;  // loop thread only
  std::thread thread_;
};

}  // namespace rkd
