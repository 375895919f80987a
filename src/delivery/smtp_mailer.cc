#include "delivery/smtp_mailer.h"

#include <curl/curl.h>

#include <cstring>
#include <thread>

#include "base/curl_global.h"
#include "delivery/mime.h"

namespace rkd {
namespace {

struct Upload {
  const std::string* data;
  size_t offset = 0;
};

size_t ReadChunk(char* buffer, size_t size, size_t nitems, void* userdata) {
  auto* up = static_cast<Upload*>(userdata);
  const size_t n = std::min(size * nitems, up->data->size() - up->offset);
  std::memcpy(buffer, up->data->data() + up->offset, n);
  up->offset += n;
  return n;
}

// Keeps the server's last error reply (4xx or 5xx; curl reports SMTP replies as
// incoming headers), so a rejection carries the server's own words, not QUIT's "221 Bye".
int KeepLastReply(CURL*, curl_infotype type, char* data, size_t size, void* userdata) {
  if (type != CURLINFO_HEADER_IN) return 0;
  std::string line(data, size);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  if (!line.empty() && (line[0] == '4' || line[0] == '5')) *static_cast<std::string*>(userdata) = line;
  return 0;
}

}  // namespace

std::string AddressOf(const std::string& mailbox) {
  const size_t open = mailbox.rfind('<');
  const size_t close = mailbox.rfind('>');
  if (open == std::string::npos || close == std::string::npos || close < open) return mailbox;
  return mailbox.substr(open + 1, close - open - 1);
}

struct SmtpMailer::Connection {
  CURL* curl = nullptr;
  ~Connection() {
    if (curl) curl_easy_cleanup(curl);
  }
};

SmtpMailer::SmtpMailer(SmtpOptions options) : options_(std::move(options)) { InitCurlOnce(); }

SmtpMailer::~SmtpMailer() = default;

std::unique_ptr<SmtpMailer::Connection> SmtpMailer::Acquire() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return !idle_.empty() || open_ < std::max(1, options_.pool_size); });
  if (!idle_.empty()) {
    auto c = std::move(idle_.back());
    idle_.pop_back();
    return c;
  }
  ++open_;
  auto c = std::make_unique<Connection>();
  c->curl = curl_easy_init();
  return c;
}

void SmtpMailer::Release(std::unique_ptr<Connection> conn) {
  {
    std::lock_guard lock(mu_);
    if (conn) {
      idle_.push_back(std::move(conn));
    } else {
      --open_;
    }
  }
  cv_.notify_one();
}

void SmtpMailer::Throttle() {
  if (options_.max_per_second <= 0) return;
  std::chrono::steady_clock::time_point slot;
  {
    std::lock_guard lock(mu_);
    const auto now = std::chrono::steady_clock::now();
    const auto gap = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(1.0 / options_.max_per_second));
    slot = std::max(now, next_send_);
    next_send_ = slot + gap;
  }
  std::this_thread::sleep_until(slot);
}

SendResult SmtpMailer::Send(const MailMessage& message) {
  Throttle();
  auto conn = Acquire();
  CURL* curl = conn->curl;
  if (!curl) {
    Release(nullptr);
    return {SendResult::Outcome::kRetryable, "cannot create a curl handle"};
  }
  const std::string mime = RenderMime(message);
  Upload upload{&mime};
  const std::string from = "<" + AddressOf(message.from) + ">";
  const std::string to = "<" + message.to_address + ">";
  curl_slist* rcpt = curl_slist_append(nullptr, to.c_str());
  char error[CURL_ERROR_SIZE] = {0};
  std::string last_reply;
  curl_easy_setopt(curl, CURLOPT_DEBUGFUNCTION, KeepLastReply);
  curl_easy_setopt(curl, CURLOPT_DEBUGDATA, &last_reply);
  curl_easy_setopt(curl, CURLOPT_VERBOSE, 1L);

  curl_easy_setopt(curl, CURLOPT_URL, options_.url.c_str());
  if (!options_.username.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, options_.username.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, options_.password.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_USE_SSL, options_.starttls_required ? CURLUSESSL_ALL : CURLUSESSL_TRY);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, options_.verify_tls ? 1L : 0L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, options_.verify_tls ? 2L : 0L);
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadChunk);
  curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(options_.timeout.count()));

  const CURLcode rc = curl_easy_perform(curl);
  long reply = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply);
  curl_slist_free_all(rcpt);
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, nullptr);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);

  if (rc == CURLE_OK) {
    Release(std::move(conn));
    return {SendResult::Outcome::kSent, "smtp " + std::to_string(reply)};
  }
  // After a failure the connection's state is unknown: drop it.
  conn.reset();
  Release(nullptr);
  std::string detail = "smtp: ";
  detail += error[0] ? error : curl_easy_strerror(rc);
  if (!last_reply.empty()) detail += " (server said: " + last_reply + ")";
  const bool permanent = reply >= 500 && reply < 600;
  return {permanent ? SendResult::Outcome::kPermanent : SendResult::Outcome::kRetryable, detail};
}

}  // namespace rkd
