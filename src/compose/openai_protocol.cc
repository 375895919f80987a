#include "compose/openai_protocol.h"

#include <cmath>
#include <ctime>
#include <nlohmann/json.hpp>

namespace rkd {
namespace {

using json = nlohmann::json;

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

int IntField(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_number() ? it->get<int>() : -1;
}

std::optional<ComposedEmail> EmailFromJson(const json& j) {
  if (!j.is_object()) return std::nullopt;
  auto text_of = [&](std::initializer_list<const char*> keys) -> std::optional<std::string> {
    for (const char* k : keys)
      if (auto it = j.find(k); it != j.end() && it->is_string()) return it->get<std::string>();
    return std::nullopt;
  };
  auto subject = text_of({"subject", "Subject", "subject_line"});
  auto text = text_of({"text", "body", "Text", "plain", "content"});
  if (!subject || !text) return std::nullopt;
  ComposedEmail e;
  e.subject = *subject;
  e.text = *text;
  e.html = text_of({"html", "HTML", "html_body"}).value_or("");
  return e;
}

}  // namespace

const char* OutputModeName(OutputMode mode) {
  switch (mode) {
    case OutputMode::kJsonSchema:
      return "json_schema";
    case OutputMode::kJsonObject:
      return "json_object";
    case OutputMode::kPlain:
      return "plain";
  }
  return "?";
}

std::string BuildChatRequest(const std::string& model, const Prompt& prompt, OutputMode mode, int max_tokens) {
  json body = {{"model", model},
               {"messages", json::array({{{"role", "system"}, {"content", prompt.system}},
                                         {{"role", "user"}, {"content", prompt.user}}})},
               {"max_tokens", max_tokens},
               {"temperature", 0.7},
               {"n", 1}};
  if (mode == OutputMode::kJsonSchema) {
    json string_field = {{"type", "string"}};
    body["response_format"] = {
        {"type", "json_schema"},
        {"json_schema",
         {{"name", "reengagement_email"},
          {"strict", true},
          {"schema",
           {{"type", "object"},
            {"properties", {{"subject", string_field}, {"text", string_field}, {"html", string_field}}},
            {"required", {"subject", "text", "html"}},
            {"additionalProperties", false}}}}}};
  } else if (mode == OutputMode::kJsonObject) {
    body["response_format"] = {{"type", "json_object"}};
  }
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<ChatReply> ParseChatResponse(const std::string& body, int prompt_estimate) {
  json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::InvalidArgument("the response is not JSON (malformed or truncated)");
  if (!j.is_object()) return Status::InvalidArgument("the response is not a JSON object");
  auto choices = j.find("choices");
  if (choices == j.end() || !choices->is_array() || choices->empty() || !(*choices)[0].is_object())
    return Status::InvalidArgument("the response has no choices");
  const json& choice = (*choices)[0];
  auto message = choice.find("message");
  if (message == choice.end() || !message->is_object())
    return Status::InvalidArgument("the response's choice has no message");
  ChatReply r;
  if (auto c = message->find("content"); c != message->end() && c->is_string()) r.content = c->get<std::string>();
  if (auto c = message->find("refusal"); c != message->end() && c->is_string()) r.refusal = c->get<std::string>();
  if (auto f = choice.find("finish_reason"); f != choice.end() && f->is_string())
    r.finish_reason = f->get<std::string>();
  if (r.content.empty() && r.refusal.empty() && r.finish_reason != "length")
    return Status::InvalidArgument("the response's message has no content");

  const int completion_estimate = static_cast<int>(r.content.size() / 4) + 1;
  r.prompt_tokens = prompt_estimate;
  r.completion_tokens = completion_estimate;
  auto usage = j.find("usage");
  if (usage != j.end() && usage->is_object()) {
    int prompt = IntField(*usage, "prompt_tokens");
    int completion = IntField(*usage, "completion_tokens");
    if (prompt < 0) prompt = IntField(*usage, "input_tokens");
    if (completion < 0) completion = IntField(*usage, "output_tokens");
    const int total = IntField(*usage, "total_tokens");
    if (prompt >= 0 && completion >= 0) {
      r.prompt_tokens = prompt;
      r.completion_tokens = completion;
      r.usage_reported = true;
    } else if (total >= 0) {
      r.prompt_tokens = prompt >= 0 ? prompt : std::min(prompt_estimate, total);
      r.completion_tokens = total - r.prompt_tokens;
      r.usage_reported = true;
    }
  }
  return r;
}

Result<ComposedEmail> ParseEmailContent(const std::string& content) {
  const std::string c = Trim(content);
  // A JSON object: the whole content, inside a code fence, or between the first '{'
  // and the last '}'.
  const size_t open = c.find('{');
  const size_t close = c.rfind('}');
  if (open != std::string::npos && close != std::string::npos && close > open) {
    json j = json::parse(c.substr(open, close - open + 1), nullptr, false);
    if (!j.is_discarded()) {
      if (auto e = EmailFromJson(j)) return *e;
      return Status::InvalidArgument("the reply's JSON lacks subject or text");
    }
    if (open == 0) return Status::InvalidArgument("the reply's JSON is malformed or cut off");
  }
  // Plain text: "Subject: …" on the first non-empty line, the body after it.
  const size_t eol = c.find('\n');
  std::string first = Trim(c.substr(0, eol));
  for (const char* strip : {"**", "#"})
    while (first.rfind(strip, 0) == 0) first = Trim(first.substr(std::string(strip).size()));
  if (Lower(first).rfind("subject:", 0) != 0) return Status::InvalidArgument("the reply has no subject line");
  ComposedEmail e;
  e.subject = Trim(first.substr(8));
  while (e.subject.size() >= 2 && e.subject.compare(e.subject.size() - 2, 2, "**") == 0)
    e.subject = Trim(e.subject.substr(0, e.subject.size() - 2));
  e.text = eol == std::string::npos ? "" : Trim(c.substr(eol + 1));
  if (e.text.empty()) return Status::InvalidArgument("the reply has no body");
  return e;
}

bool RejectsResponseFormat(int http_status, const std::string& body) {
  if (http_status != 400 && http_status != 422) return false;
  const std::string b = Lower(body);
  return b.find("response_format") != std::string::npos || b.find("json_schema") != std::string::npos ||
         b.find("json_object") != std::string::npos || b.find("structured output") != std::string::npos;
}

std::string ErrorMessage(const std::string& body) {
  std::string msg;
  json j = json::parse(body, nullptr, false);
  if (!j.is_discarded() && j.is_object()) {
    auto err = j.find("error");
    if (err != j.end() && err->is_object()) {
      if (auto m = err->find("message"); m != err->end() && m->is_string()) msg = m->get<std::string>();
    } else if (err != j.end() && err->is_string()) {
      msg = err->get<std::string>();
    }
  }
  if (msg.empty()) msg = body;
  if (msg.size() > 200) msg = msg.substr(0, 200) + "…";
  return msg;
}

bool ShouldRetry(int http_status, const Headers& headers) {
  if (auto it = headers.find("x-should-retry"); it != headers.end()) {
    if (it->second == "true") return true;
    if (it->second == "false") return false;
  }
  return http_status == 408 || http_status == 409 || http_status == 429 || http_status >= 500;
}

std::optional<std::chrono::milliseconds> RetryAfter(const Headers& headers, std::chrono::system_clock::time_point now) {
  using std::chrono::milliseconds;
  std::optional<double> ms;
  if (auto it = headers.find("retry-after-ms"); it != headers.end()) {
    char* end = nullptr;
    double v = std::strtod(it->second.c_str(), &end);
    if (end != it->second.c_str() && std::isfinite(v)) ms = v;
  }
  if (!ms) {
    if (auto it = headers.find("retry-after"); it != headers.end()) {
      const std::string& v = it->second;
      char* end = nullptr;
      double secs = std::strtod(v.c_str(), &end);
      if (end != v.c_str() && *end == '\0' && std::isfinite(secs)) {
        ms = secs * 1000;
      } else {
        std::tm tm{};
        if (strptime(v.c_str(), "%a, %d %b %Y %H:%M:%S", &tm)) {
          auto at = std::chrono::system_clock::from_time_t(timegm(&tm));
          ms = static_cast<double>(std::chrono::duration_cast<milliseconds>(at - now).count());
        }
      }
    }
  }
  if (!ms || *ms <= 0 || *ms > 60'000) return std::nullopt;
  return milliseconds(static_cast<int64_t>(std::ceil(*ms)));
}

std::chrono::milliseconds Backoff(int retry, std::chrono::milliseconds initial, std::chrono::milliseconds max,
                                  double jitter01) {
  double base = static_cast<double>(initial.count()) * std::pow(2.0, std::min(retry, 30));
  base = std::min(base, static_cast<double>(max.count()));
  return std::chrono::milliseconds(static_cast<int64_t>(base * (1 - 0.25 * jitter01)));
}

}  // namespace rkd
