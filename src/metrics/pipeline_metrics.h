// The instruments the pipeline's parts move as things happen: the LLM writer's
// requests, tokens, retries and fallbacks (LlmMetrics), the email processor's sends and
// finished emails (EmailMetrics), the sweeper's runs (SweepMetrics). Each part takes a
// pointer to its group (null: it records nothing). Every label value is created at
// construction, so a rate over a series that has not moved yet reads 0, not absent.
// Thread-safe: prometheus-cpp's counters, gauges and histograms are atomic.
#pragma once

#include <array>
#include <string>

namespace prometheus {
class Counter;
class Gauge;
class Histogram;
class Registry;
template <typename T>
class Family;
}  // namespace prometheus

namespace rkd {

// How one exchange with the chat-completions endpoint ended.
enum class LlmOutcome {
  kSuccess,         // a 2xx whose email passed the checks
  kRejectedReply,   // a 2xx whose email did not (refused, cut off, failed the checks)
  kUnreadable,      // a 2xx that is not a chat completion
  kFormatRejected,  // the server refused the output mode (asked again in a simpler one)
  kTimeout,
  kConnectionError,
  kRateLimited,  // 429
  kServerError,  // 5xx
  kClientError,  // other 4xx
  kCount
};
const char* LlmOutcomeName(LlmOutcome outcome);

class LlmMetrics {
 public:
  explicit LlmMetrics(prometheus::Registry& registry);
  void Request(LlmOutcome outcome);
  void Tokens(int prompt, int completion);
  void Retry();
  void Fallback();  // an email written by the fallback writer instead

 private:
  std::array<prometheus::Counter*, static_cast<size_t>(LlmOutcome::kCount)> requests_{};
  prometheus::Counter* prompt_tokens_;
  prometheus::Counter* completion_tokens_;
  prometheus::Counter* retries_;
  prometheus::Counter* fallbacks_;
};

// How one hand-over to the mailer ended (SendResult::Outcome's values).
enum class MailOutcome { kSent, kRetryable, kPermanent, kCount };

class EmailMetrics {
 public:
  // `mailer` ("outbox", "smtp") labels the send series.
  EmailMetrics(prometheus::Registry& registry, const std::string& mailer);
  void Send(MailOutcome outcome, double seconds);
  // An email whose sending ended, SENT or FAILED, by the writer that wrote it.
  void Finished(const std::string& status, const std::string& writer);

 private:
  std::array<prometheus::Counter*, static_cast<size_t>(MailOutcome::kCount)> sends_{};
  prometheus::Histogram* send_duration_;
  prometheus::Family<prometheus::Counter>* finished_;
};

class SweepMetrics {
 public:
  explicit SweepMetrics(prometheus::Registry& registry);
  void Finished(double seconds, double unix_time);  // a sweep that ran to the end
  void Failed();
  void Skipped();  // another process was sweeping

 private:
  prometheus::Histogram* duration_;
  prometheus::Gauge* last_success_;
  prometheus::Counter* ok_;
  prometheus::Counter* failed_;
  prometheus::Counter* skipped_;
};

}  // namespace rkd
