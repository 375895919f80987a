#include "testing/recording_mailer.h"

#include <algorithm>

namespace rkd::testkit {

SendResult RecordingMailer::Send(const MailMessage& message) {
  std::lock_guard lock(mu_);
  attempts_.push_back(message);
  if (fail_always_) return failure_;
  if (fail_next_ > 0) {
    --fail_next_;
    return failure_;
  }
  sent_.push_back(message);
  return {SendResult::Outcome::kSent, "recorded"};
}

void RecordingMailer::FailNext(int n, SendResult::Outcome outcome, std::string detail) {
  std::lock_guard lock(mu_);
  fail_next_ = n;
  fail_always_ = false;
  failure_ = {outcome, std::move(detail)};
}

void RecordingMailer::FailAlways(SendResult::Outcome outcome, std::string detail) {
  std::lock_guard lock(mu_);
  fail_always_ = true;
  failure_ = {outcome, std::move(detail)};
}

void RecordingMailer::Succeed() {
  std::lock_guard lock(mu_);
  fail_always_ = false;
  fail_next_ = 0;
}

std::vector<MailMessage> RecordingMailer::attempts() const {
  std::lock_guard lock(mu_);
  return attempts_;
}

std::vector<MailMessage> RecordingMailer::sent() const {
  std::lock_guard lock(mu_);
  return sent_;
}

int RecordingMailer::SentTo(const std::string& address) const {
  std::lock_guard lock(mu_);
  return static_cast<int>(
      std::count_if(sent_.begin(), sent_.end(), [&](const MailMessage& m) { return m.to_address == address; }));
}

}  // namespace rkd::testkit
