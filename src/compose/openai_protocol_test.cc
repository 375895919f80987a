#include "compose/openai_protocol.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace rkd {
namespace {

using json = nlohmann::json;
using std::chrono::milliseconds;

json Completion(const std::string& content,
                json usage = {{"prompt_tokens", 120}, {"completion_tokens", 80}, {"total_tokens", 200}}) {
  json j = {{"id", "chatcmpl-1"},
            {"object", "chat.completion"},
            {"choices",
             {{{"index", 0},
               {"message", {{"role", "assistant"}, {"content", content}, {"refusal", nullptr}}},
               {"finish_reason", "stop"}}}}};
  if (!usage.is_null()) j["usage"] = usage;
  return j;
}

TEST(OpenAiProtocol, RequestBodiesPerMode) {
  Prompt p{"sys", "user", "https://shop.test"};
  json schema = json::parse(BuildChatRequest("gpt-4o-mini", p, OutputMode::kJsonSchema, 700));
  EXPECT_EQ(schema["model"], "gpt-4o-mini");
  EXPECT_EQ(schema["max_tokens"], 700);
  EXPECT_EQ(schema["messages"][0]["role"], "system");
  EXPECT_EQ(schema["response_format"]["type"], "json_schema");
  EXPECT_EQ(schema["response_format"]["json_schema"]["strict"], true);
  EXPECT_EQ(schema["response_format"]["json_schema"]["schema"]["required"], json({"subject", "text", "html"}));
  EXPECT_EQ(schema["response_format"]["json_schema"]["schema"]["additionalProperties"], false);
  EXPECT_EQ(json::parse(BuildChatRequest("m", p, OutputMode::kJsonObject, 1))["response_format"]["type"],
            "json_object");
  EXPECT_FALSE(json::parse(BuildChatRequest("m", p, OutputMode::kPlain, 1)).contains("response_format"));
}

TEST(OpenAiProtocol, ParsesContentAndUsage) {
  auto r = ParseChatResponse(Completion("hello").dump(), 50);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->content, "hello");
  EXPECT_EQ(r->finish_reason, "stop");
  EXPECT_EQ(r->prompt_tokens, 120);
  EXPECT_EQ(r->completion_tokens, 80);
  EXPECT_TRUE(r->usage_reported);
}

TEST(OpenAiProtocol, UsageUnderOtherNamesOrMissing) {
  auto io = ParseChatResponse(Completion("x", {{"input_tokens", 11}, {"output_tokens", 7}}).dump(), 50);
  EXPECT_EQ(io->prompt_tokens, 11);
  EXPECT_EQ(io->completion_tokens, 7);
  auto total = ParseChatResponse(Completion("x", {{"total_tokens", 90}}).dump(), 50);
  EXPECT_EQ(total->prompt_tokens, 50);
  EXPECT_EQ(total->completion_tokens, 40);
  auto none = ParseChatResponse(Completion(std::string(400, 'x'), nullptr).dump(), 50);
  EXPECT_FALSE(none->usage_reported);
  EXPECT_EQ(none->prompt_tokens, 50);
  EXPECT_EQ(none->completion_tokens, 101);
}

TEST(OpenAiProtocol, MalformedTruncatedAndMissingFields) {
  const std::string full = Completion("hello").dump();
  EXPECT_FALSE(ParseChatResponse(full.substr(0, full.size() / 2), 1).ok());
  EXPECT_FALSE(ParseChatResponse("<html>Bad gateway</html>", 1).ok());
  EXPECT_FALSE(ParseChatResponse("{\"id\": \"x\"}", 1).ok());
  EXPECT_FALSE(ParseChatResponse("{\"choices\": []}", 1).ok());
  EXPECT_FALSE(ParseChatResponse("{\"choices\": [{\"message\": {\"role\": \"assistant\"}}]}", 1).ok());
}

TEST(OpenAiProtocol, RefusalAndLength) {
  json refusal = Completion("");
  refusal["choices"][0]["message"]["content"] = nullptr;
  refusal["choices"][0]["message"]["refusal"] = "I can't help with that.";
  auto r = ParseChatResponse(refusal.dump(), 1);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->refusal, "I can't help with that.");
  json cut = Completion("{\"subject\": \"Hi\", \"text\": \"Hel");
  cut["choices"][0]["finish_reason"] = "length";
  EXPECT_EQ(ParseChatResponse(cut.dump(), 1)->finish_reason, "length");
}

TEST(OpenAiProtocol, EmailContentInEveryShape) {
  auto j = ParseEmailContent(R"({"subject": "S", "text": "T", "html": "<p>T</p>"})");
  ASSERT_TRUE(j.ok());
  EXPECT_EQ(j->subject, "S");
  EXPECT_EQ(j->html, "<p>T</p>");
  auto fenced = ParseEmailContent("Here it is:\n```json\n{\"subject\": \"S\", \"body\": \"T\"}\n```");
  ASSERT_TRUE(fenced.ok());
  EXPECT_EQ(fenced->text, "T");
  EXPECT_EQ(fenced->html, "");
  auto plain = ParseEmailContent("**Subject: We miss you, Lena**\n\nHi Lena,\nCome back.");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->subject, "We miss you, Lena");
  EXPECT_EQ(plain->text, "Hi Lena,\nCome back.");
  EXPECT_FALSE(ParseEmailContent(R"({"subject": "S", "text": "cut)").ok());
  EXPECT_FALSE(ParseEmailContent(R"({"subject": "S"})").ok());
  EXPECT_FALSE(ParseEmailContent("Just some text").ok());
}

TEST(OpenAiProtocol, ResponseFormatRejections) {
  EXPECT_TRUE(RejectsResponseFormat(
      400,
      R"({"error": {"message": "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.", "type": "invalid_request_error", "param": "response_format", "code": null}})"));
  EXPECT_TRUE(RejectsResponseFormat(400, "json_schema is not supported"));
  EXPECT_FALSE(RejectsResponseFormat(400, R"({"error": {"message": "max_tokens is too large"}})"));
  EXPECT_FALSE(RejectsResponseFormat(500, "response_format"));
  EXPECT_EQ(ErrorMessage(
                R"({"error": {"message": "Rate limit reached", "type": "requests", "code": "rate_limit_exceeded"}})"),
            "Rate limit reached");
  EXPECT_EQ(ErrorMessage("Bad gateway"), "Bad gateway");
}

TEST(OpenAiProtocol, ShouldRetryAsTheSdksDo) {
  for (int s : {408, 409, 429, 500, 502, 503, 504}) EXPECT_TRUE(ShouldRetry(s, {})) << s;
  for (int s : {400, 401, 403, 404, 422}) EXPECT_FALSE(ShouldRetry(s, {})) << s;
  EXPECT_TRUE(ShouldRetry(400, {{"x-should-retry", "true"}}));
  EXPECT_FALSE(ShouldRetry(503, {{"x-should-retry", "false"}}));
}

TEST(OpenAiProtocol, RetryAfterHeaders) {
  const auto now = std::chrono::system_clock::from_time_t(1'700'000'000);  // Tue, 14 Nov 2023 22:13:20 GMT
  EXPECT_EQ(RetryAfter({{"retry-after-ms", "250.5"}, {"retry-after", "9"}}, now), milliseconds(251));
  EXPECT_EQ(RetryAfter({{"retry-after", "2"}}, now), milliseconds(2000));
  EXPECT_EQ(RetryAfter({{"retry-after", "0.5"}}, now), milliseconds(500));
  EXPECT_EQ(RetryAfter({{"retry-after", "Tue, 14 Nov 2023 22:13:23 GMT"}}, now), milliseconds(3000));
  EXPECT_EQ(RetryAfter({{"retry-after", "120"}}, now), std::nullopt);  // unreasonable: use backoff
  EXPECT_EQ(RetryAfter({{"retry-after", "0"}}, now), std::nullopt);
  EXPECT_EQ(RetryAfter({{"retry-after", "soon"}}, now), std::nullopt);
  EXPECT_EQ(RetryAfter({}, now), std::nullopt);
}

TEST(OpenAiProtocol, BackoffGrowsWithJitterAndCap) {
  const milliseconds init(500), max(8000);
  EXPECT_EQ(Backoff(0, init, max, 0), milliseconds(500));
  EXPECT_EQ(Backoff(1, init, max, 0), milliseconds(1000));
  EXPECT_EQ(Backoff(3, init, max, 1), milliseconds(3000));
  EXPECT_EQ(Backoff(10, init, max, 0), milliseconds(8000));
}

}  // namespace
}  // namespace rkd
