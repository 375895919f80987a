#include "leader/file_leader_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace rkd {

FileLeaderLock::~FileLeaderLock() { Release(); }

Result<bool> FileLeaderLock::TryAcquire() {
  if (held_ && Held()) return true;
  if (fd_ < 0) {
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) return Status::Unavailable("cannot open the lock file " + path_ + ": " + std::strerror(errno));
  }
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) return false;
    return Status::Unavailable("cannot lock " + path_ + ": " + std::strerror(errno));
  }
  held_ = true;
  const std::string pid = std::to_string(::getpid()) + "\n";
  // Best effort: the pid only informs operators; the lock is what counts.
  if (::ftruncate(fd_, 0) == 0) (void)!::pwrite(fd_, pid.data(), pid.size(), 0);
  return true;
}

bool FileLeaderLock::Held() {
  if (!held_) return false;
  struct stat open_file {
  }, named_file{};
  if (::fstat(fd_, &open_file) != 0 || ::stat(path_.c_str(), &named_file) != 0 ||
      open_file.st_dev != named_file.st_dev || open_file.st_ino != named_file.st_ino) {
    Release();
    return false;
  }
  return true;
}

void FileLeaderLock::Release() {
  // Closing the descriptor drops the flock; the next TryAcquire opens the file afresh
  // (it may have been replaced).
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  held_ = false;
}

}  // namespace rkd
