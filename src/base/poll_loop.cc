#include "base/poll_loop.h"

#include "base/log.h"

namespace rkd {

void PollLoop::Start() {
  thread_ = std::thread([this] { Run(); });
}

void PollLoop::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void PollLoop::Wake() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

void PollLoop::Run() {
  for (;;) {
    // Until a round finds nothing left (or cannot reach the store), then wait.
    for (;;) {
      auto finished = round_();
      if (!finished.ok()) {
        LogWarn(what_, {{"error", finished.status().ToString()}});
        break;
      }
      if (*finished == 0) break;
    }
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, every_, [this] { return stop_ || woken_; });
    if (stop_) return;
    woken_ = false;
  }
}

}  // namespace rkd
