// A lock that at most one process holds at a time, so that a part of the pipeline that
// must not run twice (the stream processor, a sweep) runs in one process only, however
// many are started (DESIGN.md: `rekindle stream`, one leader). The holder's death frees
// it without anyone's help: a PostgreSQL session's advisory lock
// (leader/pg_advisory_lock.h) or an flock on a file (leader/file_leader_lock.h).
// Implementations are not thread-safe: one thread tries, checks and releases.
#pragma once

#include "base/status.h"

namespace rkd {

class LeaderLock {
 public:
  virtual ~LeaderLock() = default;
  // Takes the lock if nobody holds it, without waiting. true: this process holds it now
  // (also when it already did); false: another one does. An error: the lock could not be
  // asked for (the database is unreachable); try again later.
  virtual Result<bool> TryAcquire() = 0;
  // Whether this process still holds the lock. Once it returns false the lock is lost
  // (e.g. the connection that held it dropped) and another process may take it: stop
  // leading, then TryAcquire again.
  virtual bool Held() = 0;
  // Gives the lock up (nothing happens when it is not held).
  virtual void Release() = 0;
};

}  // namespace rkd
