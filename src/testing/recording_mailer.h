// RecordingMailer: a Mailer that delivers nowhere and remembers every message it was
// asked to send, in order (including those it was told to fail), so a test asserts on
// what would have gone out: how many, to whom, with which Message-ID. It can be told to
// fail: the next n sends, or every send, with a given outcome (retryable or permanent).
// Thread-safe: one mutex guards the record and the failure plan.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "delivery/mailer.h"

namespace rkd::testkit {

class RecordingMailer final : public Mailer {
 public:
  SendResult Send(const MailMessage& message) override;

  // The next `n` sends end with `outcome` (kRetryable or kPermanent) and `detail`.
  void FailNext(int n, SendResult::Outcome outcome, std::string detail = "injected mail failure");
  // Every send from now on fails so (until Succeed).
  void FailAlways(SendResult::Outcome outcome, std::string detail = "injected mail failure");
  void Succeed();  // back to accepting every message
  // Whether it claims to deliver a repeated Message-ID once, as the outbox does (the
  // default), or to be a mail server that would deliver it twice.
  void set_delivers_repeats_once(bool v) { delivers_repeats_once_ = v; }
  bool DeliversRepeatsOnce() const override { return delivers_repeats_once_; }

  // Every message Send was called with, failed ones included, oldest first.
  std::vector<MailMessage> attempts() const;
  // The messages accepted (Send returned kSent), oldest first.
  std::vector<MailMessage> sent() const;
  // Accepted messages to `address`.
  int SentTo(const std::string& address) const;

 private:
  mutable std::mutex mu_;
  std::vector<MailMessage> attempts_;
  std::vector<MailMessage> sent_;
  int fail_next_ = 0;
  bool fail_always_ = false;
  bool delivers_repeats_once_ = true;
  SendResult failure_;
};

}  // namespace rkd::testkit
