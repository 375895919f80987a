// Runs a part of the pipeline in one process only, however many run it (DESIGN.md:
// `rekindle stream` has one leader and any number of standbys). A process waits on
// standby, trying the lock every `retry`; the one that takes it leads until it loses the
// lock or is stopped, then goes back to standby. Logs "standby", "leader" and
// "leadership lost", each with the role.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>

#include "leader/leader_lock.h"

namespace rkd {

struct LeaderElectionOptions {
  std::string role;                       // in the log lines: "stream"
  std::chrono::milliseconds retry{1000};  // a standby's tries
  std::chrono::milliseconds check{200};   // a leader's look at Held() (which may cache)
};

// Does the leader's work until `step_down` turns true (leadership lost, or `stop`).
using LeadFn = std::function<void(const std::atomic<bool>& step_down)>;

// Returns when `stop` turns true, having stepped down and released the lock. `lead` runs
// on a thread of its own while this one watches the lock. After a loss there may be a
// moment (at most `check` plus the lock's own check interval) when the old leader still
// works while a new one started: what leads must tolerate that, as the stream processor
// does (a change published twice is delivered at least once, never lost).
void RunAsLeader(LeaderLock& lock, const std::atomic<bool>& stop, const LeaderElectionOptions& options,
                 const LeadFn& lead);

}  // namespace rkd
