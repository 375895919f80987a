#include "delivery/outbox_mailer.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "delivery/mime.h"

namespace rkd {
namespace {

namespace fs = std::filesystem;

std::string SafeFileName(const std::string& message_id) {
  std::string out;
  for (char c : message_id) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
  return out + ".eml";
}

SendResult Retryable(const std::string& what) {
  return {SendResult::Outcome::kRetryable, what + ": " + std::strerror(errno)};
}

// Writes `data` to a new file at `path`, starting its write-out; the open descriptor,
// or -1 with `result` set (and nothing left behind).
int WriteFile(const fs::path& path, const std::string& data, SendResult* result) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    *result = Retryable("cannot create " + path.string());
    return -1;
  }
  size_t written = 0;
  while (written < data.size()) {
    const ssize_t n = ::write(fd, data.data() + written, data.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      *result = Retryable("cannot write " + path.string());
      ::close(fd);
      ::unlink(path.c_str());
      return -1;
    }
    written += static_cast<size_t>(n);
  }
  // Start the write-out now, so the batch's files go to the disk side by side.
  if (::sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE) != 0) {
    *result = Retryable("cannot write out " + path.string());
    ::close(fd);
    ::unlink(path.c_str());
    return -1;
  }
  return fd;
}

}  // namespace

SendResult OutboxMailer::Send(const MailMessage& message) { return SendBatch({message})[0]; }

std::vector<SendResult> OutboxMailer::SendBatch(const std::vector<MailMessage>& messages) {
  std::vector<SendResult> out(messages.size());
  std::error_code ec;
  for (const char* sub : {"tmp", "new", "cur"}) {
    fs::create_directories(fs::path(dir_) / sub, ec);
    if (ec) {
      for (SendResult& r : out)
        r = {SendResult::Outcome::kRetryable, "cannot create outbox " + dir_ + ": " + ec.message()};
      return out;
    }
  }
  struct Pending {
    size_t index;
    int fd;
    fs::path tmp_path, final_path;
  };
  std::vector<Pending> pending;
  static std::atomic<uint64_t> counter{0};
  for (size_t i = 0; i < messages.size(); ++i) {
    const std::string name = SafeFileName(messages[i].message_id);
    fs::path final_path = fs::path(dir_) / "new" / name;
    if (fs::exists(final_path, ec) || fs::exists(fs::path(dir_) / "cur" / name, ec)) {
      out[i] = {SendResult::Outcome::kSent, final_path.string() + " (already delivered)"};
      continue;
    }
    fs::path tmp_path =
        fs::path(dir_) / "tmp" / (name + "." + std::to_string(::getpid()) + "." + std::to_string(++counter));
    const int fd = WriteFile(tmp_path, RenderMime(messages[i]), &out[i]);
    if (fd >= 0) pending.push_back({i, fd, std::move(tmp_path), std::move(final_path)});
  }
  // Each file whole on the disk before its name appears in new/: its data and inode
  // synced (their write-out started above, side by side), then renamed.
  std::vector<Pending> renamed;
  for (Pending& p : pending) {
    const bool synced = ::fdatasync(p.fd) == 0;
    if (!synced || ::close(p.fd) != 0) {
      out[p.index] = Retryable("cannot sync " + p.tmp_path.string());
      if (!synced) ::close(p.fd);
      ::unlink(p.tmp_path.c_str());
      continue;
    }
    if (::rename(p.tmp_path.c_str(), p.final_path.c_str()) != 0) {
      out[p.index] = Retryable("cannot move into " + p.final_path.string());
      ::unlink(p.tmp_path.c_str());
      continue;
    }
    renamed.push_back(std::move(p));
  }
  if (renamed.empty()) return out;
  // One fsync of new/ for the batch makes its renames durable.
  const int dir_fd = ::open((fs::path(dir_) / "new").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  const bool durable = dir_fd >= 0 && ::fsync(dir_fd) == 0;
  const SendResult failed = Retryable("cannot sync " + (fs::path(dir_) / "new").string());
  if (dir_fd >= 0) ::close(dir_fd);
  for (const Pending& p : renamed)
    out[p.index] = durable ? SendResult{SendResult::Outcome::kSent, p.final_path.string()} : failed;
  return out;
}

}  // namespace rkd
