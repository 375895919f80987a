#include "metrics/pipeline_metrics.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

namespace rkd {

const char* LlmOutcomeName(LlmOutcome outcome) {
  switch (outcome) {
    case LlmOutcome::kSuccess:
      return "success";
    case LlmOutcome::kRejectedReply:
      return "rejected_reply";
    case LlmOutcome::kUnreadable:
      return "unreadable";
    case LlmOutcome::kFormatRejected:
      return "format_rejected";
    case LlmOutcome::kTimeout:
      return "timeout";
    case LlmOutcome::kConnectionError:
      return "connection_error";
    case LlmOutcome::kRateLimited:
      return "rate_limited";
    case LlmOutcome::kServerError:
      return "server_error";
    case LlmOutcome::kClientError:
      return "client_error";
    case LlmOutcome::kCount:
      break;
  }
  return "unknown";
}

LlmMetrics::LlmMetrics(prometheus::Registry& registry) {
  auto& requests = prometheus::BuildCounter()
                       .Name("rekindle_llm_requests_total")
                       .Help("Exchanges with the chat-completions endpoint, by outcome.")
                       .Register(registry);
  for (size_t i = 0; i < requests_.size(); ++i)
    requests_[i] = &requests.Add({{"outcome", LlmOutcomeName(static_cast<LlmOutcome>(i))}});
  auto& tokens = prometheus::BuildCounter()
                     .Name("rekindle_llm_tokens_total")
                     .Help("Tokens the endpoint reported spending (estimated when it reports none), by type.")
                     .Register(registry);
  prompt_tokens_ = &tokens.Add({{"type", "prompt"}});
  completion_tokens_ = &tokens.Add({{"type", "completion"}});
  retries_ = &prometheus::BuildCounter()
                  .Name("rekindle_llm_retries_total")
                  .Help("Failed exchanges tried again (after a backoff).")
                  .Register(registry)
                  .Add({});
  fallbacks_ = &prometheus::BuildCounter()
                    .Name("rekindle_llm_fallbacks_total")
                    .Help("Emails the fallback (template) writer wrote because the LLM could not.")
                    .Register(registry)
                    .Add({});
}

void LlmMetrics::Request(LlmOutcome outcome) {
  if (outcome != LlmOutcome::kCount) requests_[static_cast<size_t>(outcome)]->Increment();
}

void LlmMetrics::Tokens(int prompt, int completion) {
  if (prompt > 0) prompt_tokens_->Increment(prompt);
  if (completion > 0) completion_tokens_->Increment(completion);
}

void LlmMetrics::Retry() { retries_->Increment(); }
void LlmMetrics::Fallback() { fallbacks_->Increment(); }

EmailMetrics::EmailMetrics(prometheus::Registry& registry, const std::string& mailer) {
  auto& sends = prometheus::BuildCounter()
                    .Name("rekindle_mail_sends_total")
                    .Help("Messages handed to the mailer (outbox or SMTP), by outcome.")
                    .Register(registry);
  static const char* const kOutcomes[] = {"sent", "retryable", "permanent"};
  for (size_t i = 0; i < sends_.size(); ++i) sends_[i] = &sends.Add({{"mailer", mailer}, {"outcome", kOutcomes[i]}});
  send_duration_ = &prometheus::BuildHistogram()
                        .Name("rekindle_mail_send_duration_seconds")
                        .Help("Time one message took to hand to the mailer.")
                        .Register(registry)
                        .Add({{"mailer", mailer}}, prometheus::Histogram::BucketBoundaries{
                                                       0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30});
  finished_ = &prometheus::BuildCounter()
                   .Name("rekindle_emails_finished_total")
                   .Help("Emails whose sending ended, by final status (SENT, FAILED) and the writer that wrote them.")
                   .Register(registry);
}

void EmailMetrics::Send(MailOutcome outcome, double seconds) {
  if (outcome == MailOutcome::kCount) return;
  sends_[static_cast<size_t>(outcome)]->Increment();
  send_duration_->Observe(seconds);
}

void EmailMetrics::Finished(const std::string& status, const std::string& writer) {
  // The writers are a handful ("openai", "template"), the statuses two: bounded labels.
  finished_->Add({{"status", status}, {"writer", writer.empty() ? "unknown" : writer}}).Increment();
}

SweepMetrics::SweepMetrics(prometheus::Registry& registry) {
  duration_ =
      &prometheus::BuildHistogram()
           .Name("rekindle_sweep_duration_seconds")
           .Help("How long a full sweep (re-scoring every client) took.")
           .Register(registry)
           .Add({}, prometheus::Histogram::BucketBoundaries{0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600});
  last_success_ = &prometheus::BuildGauge()
                       .Name("rekindle_sweep_last_success_timestamp_seconds")
                       .Help("When the last sweep that ran to the end finished (Unix time).")
                       .Register(registry)
                       .Add({});
  auto& runs = prometheus::BuildCounter()
                   .Name("rekindle_sweeps_total")
                   .Help("Sweeps started in this process, by outcome (skipped: another process was sweeping).")
                   .Register(registry);
  ok_ = &runs.Add({{"outcome", "ok"}});
  failed_ = &runs.Add({{"outcome", "failed"}});
  skipped_ = &runs.Add({{"outcome", "skipped"}});
}

void SweepMetrics::Finished(double seconds, double unix_time) {
  duration_->Observe(seconds);
  last_success_->Set(unix_time);
  ok_->Increment();
}

void SweepMetrics::Failed() { failed_->Increment(); }
void SweepMetrics::Skipped() { skipped_->Increment(); }

}  // namespace rkd
