// The offline Mailer: each message becomes an .eml file in a maildir (tmp/, new/,
// cur/), written to tmp/, renamed into new/, so a reader never sees a partial file. The
// file is named for the Message-ID: sending the same message again (a redelivered event)
// finds it and writes nothing.
//
// Durability, a batch at a time (SendBatch; Send is a batch of one): every file is
// written to tmp/ and its data written out and waited for (sync_file_range), then each
// is renamed into new/, then new/ is fsync'd once. That fsync commits the filesystem's
// journal, and with it every allocation and rename before it, after a cache flush that
// makes the data written out before it durable: when SendBatch reports a message sent,
// its whole file survives a power loss, as after a per-file fsync, on a journalling
// filesystem that commits in order (ext4, xfs). It costs one journal commit per batch
// instead of one per message (bench/README.md, "Hot path"). Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "delivery/mailer.h"

namespace rkd {

class OutboxMailer final : public Mailer {
 public:
  explicit OutboxMailer(std::string maildir) : dir_(std::move(maildir)) {}
  SendResult Send(const MailMessage& message) override;
  std::vector<SendResult> SendBatch(const std::vector<MailMessage>& messages) override;

 private:
  std::string dir_;
};

}  // namespace rkd
