// Mailer: delivers one message, built into MIME by delivery/mime.h. Implementations:
// OutboxMailer (delivery/outbox_mailer.h, .eml files in a local maildir, the default)
// and SmtpMailer (delivery/smtp_mailer.h, any MTA or SES's SMTP interface, when
// RKD_SMTP_URL is set). A retryable outcome makes the email processor try the event
// again (FAILED on its last receive); a permanent one marks the email FAILED. Send is
// thread-safe in every implementation.
#pragma once

#include <string>
#include <vector>

#include "base/time.h"

namespace rkd {

struct MailMessage {
  std::string message_id;  // without angle brackets; stable per email, so a resend is recognisable
  std::string from;        // "Name <address>" or an address
  std::string reply_to;    // optional
  std::string to_address;
  std::string to_name;
  std::string subject;
  std::string text;
  std::string html;
  Millis date = 0;
  std::string list_unsubscribe;        // the List-Unsubscribe header's value, e.g. "<https://…>"
  bool one_click_unsubscribe = false;  // adds List-Unsubscribe-Post (RFC 8058)
};

struct SendResult {
  enum class Outcome { kSent, kRetryable, kPermanent };
  Outcome outcome = Outcome::kSent;
  std::string detail;  // the failure, or where the message went
  bool ok() const { return outcome == Outcome::kSent; }
};

class Mailer {
 public:
  virtual ~Mailer() = default;
  virtual SendResult Send(const MailMessage& message) = 0;
  // Sends a batch: one result per message, in order, each message's failure its own (the
  // others are still sent). The default sends them one at a time; the outbox writes a
  // batch with one directory sync.
  virtual std::vector<SendResult> SendBatch(const std::vector<MailMessage>& messages) {
    std::vector<SendResult> out;
    out.reserve(messages.size());
    for (const MailMessage& m : messages) out.push_back(Send(m));
    return out;
  }
  // True when a message sent again with the same Message-ID is delivered once (the
  // outbox keeps one file per Message-ID). The email processor then sends a batch before
  // recording its outcomes; otherwise it records each message's outcome before sending
  // the next, so a crash re-sends at most the one message in hand.
  virtual bool DeliversRepeatsOnce() const { return false; }
};

}  // namespace rkd
