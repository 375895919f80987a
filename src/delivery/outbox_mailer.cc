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

std::string SafeFileName(const std::string& message_id) {
  std::string out;
  for (char c : message_id) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
  return out + ".eml";
}

SendResult Retryable(const std::string& what) {
  return {SendResult::Outcome::kRetryable, what + ": " + std::strerror(errno)};
}

}  // namespace

SendResult OutboxMailer::Send(const MailMessage& message) {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (const char* sub : {"tmp", "new", "cur"}) {
    fs::create_directories(fs::path(dir_) / sub, ec);
    if (ec) return {SendResult::Outcome::kRetryable, "cannot create outbox " + dir_ + ": " + ec.message()};
  }
  const std::string name = SafeFileName(message.message_id);
  const fs::path final_path = fs::path(dir_) / "new" / name;
  if (fs::exists(final_path, ec) || fs::exists(fs::path(dir_) / "cur" / name, ec))
    return {SendResult::Outcome::kSent, final_path.string() + " (already delivered)"};

  static std::atomic<uint64_t> counter{0};
  const fs::path tmp_path =
      fs::path(dir_) / "tmp" / (name + "." + std::to_string(::getpid()) + "." + std::to_string(++counter));
  const std::string mime = RenderMime(message);
  const int fd = ::open(tmp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return Retryable("cannot create " + tmp_path.string());
  size_t written = 0;
  while (written < mime.size()) {
    const ssize_t n = ::write(fd, mime.data() + written, mime.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      SendResult r = Retryable("cannot write " + tmp_path.string());
      ::close(fd);
      ::unlink(tmp_path.c_str());
      return r;
    }
    written += static_cast<size_t>(n);
  }
  // fdatasync before the rename: after a crash, a file in new/ is whole.
  if (::fdatasync(fd) != 0 || ::close(fd) != 0) {
    SendResult r = Retryable("cannot sync " + tmp_path.string());
    ::unlink(tmp_path.c_str());
    return r;
  }
  if (::rename(tmp_path.c_str(), final_path.c_str()) != 0) {
    SendResult r = Retryable("cannot move into " + final_path.string());
    ::unlink(tmp_path.c_str());
    return r;
  }
  return {SendResult::Outcome::kSent, final_path.string()};
}

}  // namespace rkd
