// The offline Mailer: each message becomes an .eml file in a maildir (tmp/, new/,
// cur/), written to tmp/, renamed into new/, so a reader never sees a partial file. The
// file is named for the Message-ID: sending the same message again (a redelivered event)
// finds it and writes nothing.
//
// Durability, a batch at a time (SendBatch; Send is a batch of one), as a maildir
// delivery: every file is written to tmp/ (the write-out of all of them started side by
// side), each is fdatasync'd and renamed into new/, then new/ is fsync'd once for the
// batch. When SendBatch reports a message sent, its whole file is in new/ after a power
// loss. What the batch saves is the directory sync per message (bench/README.md, "Hot
// path"); the per-file sync stays, since a filesystem without a journal (this machine's
// ext4) does not write a file's inode when its directory is synced. Thread-safe.
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
  bool DeliversRepeatsOnce() const override { return true; }  // one file per Message-ID

 private:
  std::string dir_;
};

}  // namespace rkd
