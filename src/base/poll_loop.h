// PollLoop: one background thread that runs rounds of work until a round finds nothing
// left (or fails, logged), then waits `every` or until woken, until stopped. The hook
// applier and the webhook sender each run their store queue on one. Thread-safe: Start
// runs the thread; Wake and Stop may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "base/status.h"

namespace rkd {

class PollLoop {
 public:
  // `round` returns how many items it finished (0: nothing left now); an error is logged
  // with `what` and the loop waits for the next poll.
  PollLoop(std::chrono::milliseconds every, std::string what, std::function<Result<int>()> round)
      : every_(every), what_(std::move(what)), round_(std::move(round)) {}
  ~PollLoop() { Stop(); }
  PollLoop(const PollLoop&) = delete;
  PollLoop& operator=(const PollLoop&) = delete;

  void Start();
  void Stop();
  // Something arrived: run a round now rather than at the next poll.
  void Wake();

 private:
  void Run();

  const std::chrono::milliseconds every_;
  const std::string what_;
  const std::function<Result<int>()> round_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace rkd
