// OpenAiWriter: the Writer that asks an OpenAI-compatible chat-completions endpoint
// (OpenAI, Azure OpenAI, vLLM, llama.cpp's server, Ollama) for each email, and falls
// back to another Writer (the template writer) when the endpoint cannot give a good one.
//
// One Compose: structured output first (json_schema, strict); a server that rejects it
// is asked in JSON mode, then for plain content, and the mode it accepts is remembered.
// Connection errors, timeouts, 408, 409, 429 and 5xx are retried with exponential backoff
// and jitter (or after the server's retry-after-ms / Retry-After; x-should-retry decides
// when sent), within `budget` overall. A reply that is refused, cut off at max_tokens,
// unreadable or fails the checks (email_checks.h) is asked for once more, then the
// fallback writes the email. A CircuitBreaker counts failed exchanges: while it is open
// every email goes to the fallback at once, and a probe tries the endpoint again after
// the cooldown. Each email says which writer produced it ("openai" or the fallback's)
// and the prompt and completion tokens spent on it (failed attempts included).
//
// Errors: Unavailable only when the client-side rate limits kept the request waiting
// longer than the budget (retry later); everything else ends in an email. The API key
// goes in the Authorization header only: never logged, never in a message.
// Thread-safe: Compose blocks its caller until its own exchange is done, while the
// shared OpenAiClient keeps up to max_in_flight exchanges going for all callers.
#pragma once

#include <atomic>
#include <chrono>
#include <string>

#include "base/circuit_breaker.h"
#include "compose/openai_client.h"
#include "compose/openai_protocol.h"
#include "compose/writer.h"

namespace rkd {

class LlmMetrics;  // metrics/pipeline_metrics.h

struct OpenAiWriterOptions {
  std::string base_url = "https://api.openai.com/v1";
  std::string model = "gpt-4o-mini";
  std::string api_key;  // empty: no Authorization header (local servers)
  int max_tokens = 800;
  int max_retries = 3;  // per Compose, after the first attempt
  std::chrono::milliseconds request_timeout{30'000};
  std::chrono::milliseconds budget{60'000};  // everything one Compose may take
  std::chrono::milliseconds backoff_initial{500};
  std::chrono::milliseconds backoff_max{8'000};
  OpenAiClient::Options client;
  int breaker_failures = 5;
  std::chrono::milliseconds breaker_cooldown{30'000};
  LlmMetrics* metrics = nullptr;  // not owned; null: nothing recorded
};

class OpenAiWriter final : public Writer {
 public:
  // `fallback` is not owned and outlives this writer.
  OpenAiWriter(OpenAiWriterOptions options, Writer& fallback);
  Result<ComposedEmail> Compose(const ComposeRequest& request) override;

  CircuitBreaker::State breaker_state() { return breaker_.state(); }
  OutputMode output_mode() const { return mode_.load(); }
  OpenAiClient::Stats client_stats() { return client_.stats(); }

 private:
  // What one 2xx reply holds: an email that passed the checks, or why not.
  Result<ComposedEmail> EmailFromReply(const ChatReply& reply, const ComposeRequest& request, OutputMode mode);
  Result<ComposedEmail> Fallback(const ComposeRequest& request, const std::string& why, int prompt_tokens,
                                 int completion_tokens);
  std::string Redact(std::string message) const;

  const OpenAiWriterOptions options_;
  const std::string url_;
  Writer& fallback_;
  OpenAiClient client_;
  CircuitBreaker breaker_;
  std::atomic<OutputMode> mode_{OutputMode::kJsonSchema};
};

}  // namespace rkd
