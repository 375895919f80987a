// The SMTP Mailer (libcurl): delivers to any MTA or to SES's SMTP interface.
// smtp://host:port upgrades with STARTTLS when the server offers it (required with
// `starttls_required`), smtps://host:port is implicit TLS. A small pool of connections
// is reused across messages (curl keeps each handle's connection open), and a token
// bucket holds the send rate. 4xx replies and connection faults are retryable; 5xx
// replies are permanent and carry the server's reply. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "delivery/mailer.h"

namespace rkd {

struct SmtpOptions {
  std::string url;  // smtp://host:port or smtps://host:port
  std::string username;
  std::string password;
  bool starttls_required = false;
  bool verify_tls = true;
  int pool_size = 4;
  double max_per_second = 0;  // 0: unlimited
  std::chrono::seconds timeout{30};
};

class SmtpMailer final : public Mailer {
 public:
  explicit SmtpMailer(SmtpOptions options);
  ~SmtpMailer() override;
  SendResult Send(const MailMessage& message) override;

 private:
  struct Connection;
  std::unique_ptr<Connection> Acquire();
  void Release(std::unique_ptr<Connection> conn);
  void Throttle();

  SmtpOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;
  std::chrono::steady_clock::time_point next_send_{};
};

// The bare address of "Name <a@b>" (or the string itself when there is no angle pair).
std::string AddressOf(const std::string& mailbox);

}  // namespace rkd
