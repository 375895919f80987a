// The offline Mailer: each message becomes an .eml file in a maildir (tmp/, new/,
// cur/), written to tmp/ and synced, then renamed into new/, so a reader never sees a
// partial file. The file is named for the Message-ID: sending the same message again
// (a redelivered event) finds it and writes nothing. Thread-safe.
#pragma once

#include <string>

#include "delivery/mailer.h"

namespace rkd {

class OutboxMailer final : public Mailer {
 public:
  explicit OutboxMailer(std::string maildir) : dir_(std::move(maildir)) {}
  SendResult Send(const MailMessage& message) override;

 private:
  std::string dir_;
};

}  // namespace rkd
