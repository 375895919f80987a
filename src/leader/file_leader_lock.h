// LeaderLock for processes on one machine sharing the embedded SQLite store: an
// exclusive flock(2) on a file beside the database. The kernel frees it when the holding
// process dies, however it dies (SIGKILL included), so a standby takes over at its next
// try. The holder writes its pid into the file, for operators.
#pragma once

#include <string>

#include "leader/leader_lock.h"

namespace rkd {

class FileLeaderLock final : public LeaderLock {
 public:
  explicit FileLeaderLock(std::string path) : path_(std::move(path)) {}
  ~FileLeaderLock() override;
  FileLeaderLock(const FileLeaderLock&) = delete;
  FileLeaderLock& operator=(const FileLeaderLock&) = delete;

  Result<bool> TryAcquire() override;
  // Also false when the file was deleted or replaced since it was locked: a new file
  // would let another process lock it too.
  bool Held() override;
  void Release() override;

 private:
  std::string path_;
  int fd_ = -1;  // open while trying or holding
  bool held_ = false;
};

}  // namespace rkd
