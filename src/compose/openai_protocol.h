// The chat-completions wire format, as OpenAI and compatible servers (Azure OpenAI,
// vLLM, llama.cpp, Ollama) speak it: the request body in three output modes, the
// response (content, refusal, finish_reason, usage under its several names), the email
// inside the content, error bodies, and the retry rules of the official SDKs
// (x-should-retry, retry-after-ms, Retry-After). Pure and thread-safe.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "base/status.h"
#include "compose/prompt.h"
#include "compose/writer.h"

namespace rkd {

// How the email is asked for: structured output (json_schema, strict) first; JSON mode
// (json_object) for servers without it; plain content for servers without either.
enum class OutputMode { kJsonSchema = 0, kJsonObject = 1, kPlain = 2 };
const char* OutputModeName(OutputMode mode);

std::string BuildChatRequest(const std::string& model, const Prompt& prompt, OutputMode mode, int max_tokens);

struct ChatReply {
  std::string content;
  std::string refusal;        // non-empty: the model declined
  std::string finish_reason;  // "stop", "length", "content_filter", …
  int prompt_tokens = 0;
  int completion_tokens = 0;
  bool usage_reported = false;  // false: the counts are estimates
};

// InvalidArgument for a body that is not JSON (malformed, truncated) or lacks
// choices[0].message. Usage is read from prompt_tokens/completion_tokens, else
// input_tokens/output_tokens, else total_tokens, else estimated from `prompt_chars`.
Result<ChatReply> ParseChatResponse(const std::string& body, int prompt_estimate);

// The email inside a reply's content: a JSON object {subject, text, html} (also inside
// a ```json fence or surrounded by prose), or else plain text whose first line is
// "Subject: …". InvalidArgument when neither is there. html may come back empty.
Result<ComposedEmail> ParseEmailContent(const std::string& content);

// True for a 400 that says the server does not support the requested response_format.
bool RejectsResponseFormat(int http_status, const std::string& body);

// error.message of an error body (or the start of a non-JSON body), at most 200 chars.
std::string ErrorMessage(const std::string& body);

using Headers = std::map<std::string, std::string>;  // names in lower case

// The SDKs' rule: x-should-retry decides when present; else 408, 409, 429 and 5xx retry.
bool ShouldRetry(int http_status, const Headers& headers);
// retry-after-ms, else Retry-After (seconds or an HTTP date), when in (0, 60 s].
std::optional<std::chrono::milliseconds> RetryAfter(const Headers& headers, std::chrono::system_clock::time_point now);
// Exponential backoff with jitter: min(initial × 2^retry, max) × (1 − 0.25 × jitter01),
// retry counting from 0.
std::chrono::milliseconds Backoff(int retry, std::chrono::milliseconds initial, std::chrono::milliseconds max,
                                  double jitter01);

}  // namespace rkd
