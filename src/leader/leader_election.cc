#include "leader/leader_election.h"

#include <thread>

#include "base/log.h"

namespace rkd {
namespace {

// Sleeps for `d`, waking early when `stop` turns true (shutdown stays prompt).
void SleepUnless(const std::atomic<bool>& stop, std::chrono::milliseconds d) {
  const auto until = std::chrono::steady_clock::now() + d;
  while (!stop.load() && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(d, std::chrono::milliseconds(50)));
}

}  // namespace

void RunAsLeader(LeaderLock& lock, const std::atomic<bool>& stop, const LeaderElectionOptions& options,
                 const LeadFn& lead) {
  bool on_standby = false;
  std::string last_error;  // logged once per distinct failure, not every retry
  while (!stop.load()) {
    auto won = lock.TryAcquire();
    if (won.ok()) {
      last_error.clear();
    } else if (won.status().message() != last_error) {
      last_error = won.status().message();
      LogWarn("leader lock unavailable", {{"role", options.role}, {"error", won.status().ToString()}});
    }
    if (!won.ok() || !*won) {
      if (!on_standby) LogInfo("standby", {{"role", options.role}});
      on_standby = true;
      SleepUnless(stop, options.retry);
      continue;
    }
    on_standby = false;
    LogInfo("leader", {{"role", options.role}});
    std::atomic<bool> step_down{false};
    std::thread leading([&] { lead(step_down); });
    while (!stop.load() && lock.Held()) SleepUnless(stop, options.check);
    const bool lost = !stop.load();
    step_down = true;
    leading.join();
    lock.Release();
    if (lost) LogWarn("leadership lost", {{"role", options.role}});
  }
}

}  // namespace rkd
