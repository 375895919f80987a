#include "compose/openai_writer.h"

#include <random>
#include <thread>

#include "base/log.h"
#include "compose/email_checks.h"
#include "compose/html_sanitizer.h"
#include "compose/prompt.h"
#include "metrics/pipeline_metrics.h"

namespace rkd {
namespace {

using Steady = std::chrono::steady_clock;
using std::chrono::milliseconds;

double Jitter01() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0, 1)(rng);
}

int64_t MillisSince(Steady::time_point t) {
  return std::chrono::duration_cast<milliseconds>(Steady::now() - t).count();
}

// The metrics' name for a failed exchange that got an HTTP status.
LlmOutcome HttpFailureOutcome(int status) {
  if (status == 429) return LlmOutcome::kRateLimited;
  if (status >= 500) return LlmOutcome::kServerError;
  return LlmOutcome::kClientError;
}

}  // namespace

OpenAiWriter::OpenAiWriter(OpenAiWriterOptions options, Writer& fallback)
    : options_(std::move(options)),
      url_(options_.base_url.empty() || options_.base_url.back() != '/' ? options_.base_url + "/chat/completions"
                                                                        : options_.base_url + "chat/completions"),
      fallback_(fallback),
      client_(options_.client),
      breaker_(options_.breaker_failures, options_.breaker_cooldown) {}

std::string OpenAiWriter::Redact(std::string message) const {
  const std::string& key = options_.api_key;
  if (key.size() < 4) return message;
  for (size_t at = message.find(key); at != std::string::npos; at = message.find(key, at))
    message.replace(at, key.size(), "****");
  return message;
}

Result<ComposedEmail> OpenAiWriter::Fallback(const ComposeRequest& req, const std::string& why, int prompt_tokens,
                                             int completion_tokens) {
  LogWarn("llm writer fell back", {{"userId", req.user.user_id},
                                   {"reason", Redact(why)},
                                   {"breaker", CircuitBreaker::StateName(breaker_.state())}});
  if (options_.metrics) options_.metrics->Fallback();
  auto email = fallback_.Compose(req);
  if (!email.ok()) return email.status();
  email->prompt_tokens = prompt_tokens;
  email->completion_tokens = completion_tokens;
  return email;
}

Result<ComposedEmail> OpenAiWriter::EmailFromReply(const ChatReply& reply, const ComposeRequest& req, OutputMode mode) {
  if (!reply.refusal.empty()) return Status::InvalidArgument("the model refused: " + reply.refusal.substr(0, 160));
  if (reply.finish_reason == "length") return Status::InvalidArgument("the reply was cut off at max_tokens");
  if (reply.finish_reason == "content_filter") return Status::InvalidArgument("the reply was filtered");
  auto email = ParseEmailContent(reply.content);
  if (!email.ok()) return email.status();
  if (email->html.find_first_not_of(" \t\r\n") == std::string::npos) email->html = TextToHtml(email->text);
  const int removed = NormalizeEmail(&*email);
  if (removed > 0)
    LogWarn("llm html sanitized", {{"userId", req.user.user_id}, {"removed", removed}, {"mode", OutputModeName(mode)}});
  RKD_RETURN_IF_ERROR(CheckEmail(*email, req.user.name, req.shop_url));
  return email;
}

Result<ComposedEmail> OpenAiWriter::Compose(const ComposeRequest& req) {
  const auto started = Steady::now();
  const auto deadline = started + options_.budget;
  int prompt_tokens = 0, completion_tokens = 0;
  if (!breaker_.Allow()) return Fallback(req, "circuit breaker open", 0, 0);

  int retries = 0;   // failed exchanges retried
  int rejected = 0;  // replies that gave no usable email
  int max_tokens = options_.max_tokens;
  while (true) {
    const OutputMode mode = mode_.load();
    const Prompt prompt = BuildPrompt(req, mode != OutputMode::kJsonSchema);
    const int prompt_estimate = EstimateTokens(prompt.system) + EstimateTokens(prompt.user);
    const auto now = Steady::now();
    if (deadline - now < milliseconds(500))
      return Fallback(req, "retry budget spent", prompt_tokens, completion_tokens);

    HttpCall call;
    call.url = url_;
    call.body = BuildChatRequest(options_.model, prompt, mode, max_tokens);
    if (!options_.api_key.empty()) call.headers.push_back("Authorization: Bearer " + options_.api_key);
    call.tokens = prompt_estimate + max_tokens;
    call.timeout = std::min(options_.request_timeout, std::chrono::ceil<milliseconds>(deadline - now));
    call.start_by = deadline - milliseconds(500);
    HttpReply reply = client_.Post(std::move(call)).get();

    if (reply.not_started)
      return Status::Unavailable("the client-side rate limits held the request longer than the retry budget");
    std::string failure;
    bool retryable = true;
    auto record = [this](LlmOutcome outcome) {
      if (options_.metrics) options_.metrics->Request(outcome);
    };
    if (reply.status == 0) {
      failure = reply.timed_out ? "timed out: " + reply.error : "connection failed: " + reply.error;
      record(reply.timed_out ? LlmOutcome::kTimeout : LlmOutcome::kConnectionError);
    } else if (reply.status >= 200 && reply.status < 300) {
      auto chat = ParseChatResponse(reply.body, prompt_estimate);
      if (chat.ok()) {
        breaker_.RecordSuccess();
        prompt_tokens += chat->prompt_tokens;
        completion_tokens += chat->completion_tokens;
        if (options_.metrics) options_.metrics->Tokens(chat->prompt_tokens, chat->completion_tokens);
        client_.Settle(reply.ticket, chat->prompt_tokens + chat->completion_tokens);
        auto email = EmailFromReply(*chat, req, mode);
        record(email.ok() ? LlmOutcome::kSuccess : LlmOutcome::kRejectedReply);
        if (email.ok()) {
          email->writer = "openai";
          email->prompt_tokens = prompt_tokens;
          email->completion_tokens = completion_tokens;
          LogInfo("llm email written", {{"userId", req.user.user_id},
                                        {"mode", OutputModeName(mode)},
                                        {"promptTokens", prompt_tokens},
                                        {"completionTokens", completion_tokens},
                                        {"usageReported", chat->usage_reported},
                                        {"retries", retries},
                                        {"rejected", rejected},
                                        {"ms", MillisSince(started)}});
          return email;
        }
        ++rejected;
        LogWarn("llm reply rejected", {{"userId", req.user.user_id},
                                       {"reason", Redact(email.status().message())},
                                       {"field", email.status().field()},
                                       {"finishReason", chat->finish_reason},
                                       {"mode", OutputModeName(mode)}});
        if (rejected >= 2)
          return Fallback(req, "two replies were unusable; last: " + email.status().message(), prompt_tokens,
                          completion_tokens);
        if (chat->finish_reason == "length") max_tokens = max_tokens * 3 / 2;
        continue;  // ask once more, at once
      }
      failure = "unreadable reply: " + chat.status().message();
      record(LlmOutcome::kUnreadable);
    } else if (mode != OutputMode::kPlain && RejectsResponseFormat(reply.status, reply.body)) {
      record(LlmOutcome::kFormatRejected);
      OutputMode expected = mode;
      const auto next = static_cast<OutputMode>(static_cast<int>(mode) + 1);
      if (mode_.compare_exchange_strong(expected, next))
        LogWarn("llm server rejects the output mode; downgrading", {{"from", OutputModeName(mode)},
                                                                    {"to", OutputModeName(next)},
                                                                    {"error", Redact(ErrorMessage(reply.body))}});
      continue;
    } else {
      failure = "HTTP " + std::to_string(reply.status) + ": " + ErrorMessage(reply.body);
      retryable = ShouldRetry(reply.status, reply.headers);
      record(HttpFailureOutcome(reply.status));
    }

    // A failed exchange.
    breaker_.RecordFailure();
    const auto server_delay = RetryAfter(reply.headers, std::chrono::system_clock::now());
    if (reply.status == 429 && server_delay) client_.PauseUntil(Steady::now() + *server_delay);
    LogWarn("llm request failed", {{"userId", req.user.user_id},
                                   {"error", Redact(failure)},
                                   {"status", reply.status},
                                   {"retry", retryable && retries < options_.max_retries},
                                   {"attempt", retries + 1}});
    if (!retryable) return Fallback(req, failure, prompt_tokens, completion_tokens);
    if (retries >= options_.max_retries)
      return Fallback(req, "gave up after " + std::to_string(retries + 1) + " attempts; last: " + failure,
                      prompt_tokens, completion_tokens);
    const milliseconds delay =
        server_delay.value_or(Backoff(retries, options_.backoff_initial, options_.backoff_max, Jitter01()));
    if (Steady::now() + delay >= deadline - milliseconds(500))
      return Fallback(req, "retry budget spent; last: " + failure, prompt_tokens, completion_tokens);
    std::this_thread::sleep_for(delay);
    if (!breaker_.Allow())
      return Fallback(req, "circuit breaker open; last: " + failure, prompt_tokens, completion_tokens);
    ++retries;
    if (options_.metrics) options_.metrics->Retry();
  }
}

}  // namespace rkd
