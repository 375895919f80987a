// The LLM writer against tests/fake_openai.py, a real HTTP server on 127.0.0.1 that
// speaks the chat-completions wire format and injects one fault per test.
#include "compose/openai_writer.h"

#include <curl/curl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "compose/template_writer.h"

namespace rkd {
namespace {

using json = nlohmann::json;
using std::chrono::milliseconds;
using Steady = std::chrono::steady_clock;

// python3 tests/fake_openai.py --port 0, for the whole suite. It exits when its stdin
// closes, so it never outlives the test binary.
class FakeServer {
 public:
  FakeServer() {
    int out[2], in[2];
    if (pipe(out) != 0 || pipe(in) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(in[0], 0);
      dup2(out[1], 1);
      close(in[1]);
      close(out[0]);
      const std::string script = std::string(RKD_SOURCE_DIR) + "/tests/fake_openai.py";
      execlp("python3", "python3", script.c_str(), "--port", "0", static_cast<char*>(nullptr));
      _exit(127);
    }
    close(in[0]);
    close(out[1]);
    stdin_ = in[1];
    FILE* f = fdopen(out[0], "r");
    if (f && fscanf(f, "%d", &port_) != 1) port_ = 0;
    if (f) fclose(f);
  }
  ~FakeServer() {
    if (stdin_ >= 0) close(stdin_);
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }
  int port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }

  json Call(const std::string& method, const std::string& path, const json& body = nullptr) {
    CURL* c = curl_easy_init();
    std::string url = "http://127.0.0.1:" + std::to_string(port_) + path, response, payload = body.dump();
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    if (method == "POST") curl_easy_setopt(c, CURLOPT_POSTFIELDS, payload.c_str());
    curl_easy_setopt(
        c, CURLOPT_WRITEFUNCTION, +[](char* d, size_t s, size_t n, void* out) {
          static_cast<std::string*>(out)->append(d, s * n);
          return s * n;
        });
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &response);
    curl_easy_perform(c);
    curl_easy_cleanup(c);
    return json::parse(response, nullptr, false);
  }
  void Scenario(json script, json def = {{"kind", "ok"}}, json server = json::object()) {
    Call("POST", "/_control/scenario", {{"script", script}, {"default", def}, {"server", server}});
  }
  json Requests() { return Call("GET", "/_control/requests"); }

 private:
  pid_t pid_ = -1;
  int stdin_ = -1;
  int port_ = 0;
};

json Status(int code, json headers = json::object()) {
  return {{"kind", "status"}, {"status", code}, {"headers", headers}};
}
json Kind(const char* kind) { return {{"kind", kind}}; }

class OpenAiWriterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    server_ = new FakeServer();
    template_ = std::move(TemplateWriter::Load("")).value().release();
  }
  static void TearDownTestSuite() {
    delete server_;
    delete template_;
  }
  void SetUp() override {
    ASSERT_GT(server_->port(), 0) << "tests/fake_openai.py did not start";
    server_->Scenario(json::array());
    user_.user_id = "u-1";
    user_.name = "Lena Lindqvist";
    user_.email = "lena@example.com";
    user_.order_count = 3;
    user_.average_order_value = 80;
    user_.preferred_categories = {"Knitwear", "Shoes"};
    user_.last_order_date = 1'700'000'000'000;
  }

  OpenAiWriterOptions Options() {
    OpenAiWriterOptions o;
    o.base_url = server_->base_url();
    o.api_key = "test-key-123456";
    o.backoff_initial = milliseconds(50);
    o.backoff_max = milliseconds(200);
    o.request_timeout = milliseconds(5000);
    o.budget = milliseconds(10'000);
    o.breaker_failures = 100;
    return o;
  }
  Result<ComposedEmail> Compose(OpenAiWriter& w) {
    return w.Compose(ComposeRequest{user_, 50, 1'710'000'000'000, "https://shop.test", "https://rk.test/u/u-1"});
  }
  json Requests() { return server_->Requests()["requests"]; }

  static FakeServer* server_;
  static Writer* template_;
  User user_;
};
FakeServer* OpenAiWriterTest::server_ = nullptr;
Writer* OpenAiWriterTest::template_ = nullptr;

TEST_F(OpenAiWriterTest, WritesAnEmailWithStructuredOutput) {
  OpenAiWriter w(Options(), *template_);
  auto e = Compose(w);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->writer, "openai");
  EXPECT_EQ(e->subject, "Lena, we saved something for you");
  EXPECT_NE(e->text.find("Hi Lena,"), std::string::npos);
  EXPECT_NE(e->text.find("https://shop.test?utm_source=rekindle"), std::string::npos);
  EXPECT_NE(e->html.find("href=\"https://shop.test?utm_source=rekindle"), std::string::npos);
  EXPECT_GT(e->prompt_tokens, 50);
  EXPECT_GT(e->completion_tokens, 50);
  json r = Requests();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]["mode"], "json_schema");
  EXPECT_EQ(r[0]["max_tokens"], 800);
  EXPECT_EQ(r[0]["model"], "gpt-4o-mini");
  EXPECT_EQ(r[0]["auth"], true);
}

TEST_F(OpenAiWriterTest, Retries500And503ThenSucceeds) {
  server_->Scenario({Status(500), Status(503), Status(502)});
  OpenAiWriter w(Options(), *template_);
  auto e = Compose(w);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->writer, "openai");
  EXPECT_EQ(Requests().size(), 4u);
  EXPECT_EQ(w.breaker_state(), CircuitBreaker::State::kClosed);
}

TEST_F(OpenAiWriterTest, HonorsRetryAfterMsAndRetryAfter) {
  server_->Scenario(
      {Status(429, {{"retry-after-ms", "400"}}), Status(429, {{"Retry-After", "1"}}), Status(408), Status(409)});
  auto o = Options();
  o.max_retries = 4;
  OpenAiWriter w(o, *template_);
  auto e = Compose(w);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->writer, "openai");
  json r = Requests();
  ASSERT_EQ(r.size(), 5u);
  EXPECT_GE(r[1]["at"].get<double>() - r[0]["at"].get<double>(), 0.39);
  EXPECT_LT(r[1]["at"].get<double>() - r[0]["at"].get<double>(), 0.9);
  EXPECT_GE(r[2]["at"].get<double>() - r[1]["at"].get<double>(), 0.99);
}

TEST_F(OpenAiWriterTest, XShouldRetryFalseAndClientErrorsFallBackAtOnce) {
  for (json fault : {Status(503, {{"x-should-retry", "false"}}), Status(400), Status(401), Status(404)}) {
    server_->Scenario({fault});
    OpenAiWriter w(Options(), *template_);
    auto e = Compose(w);
    ASSERT_TRUE(e.ok());
    EXPECT_EQ(e->writer, "template") << fault;
    EXPECT_EQ(Requests().size(), 1u) << fault;
  }
  server_->Scenario({Status(400, {{"x-should-retry", "true"}})});
  OpenAiWriter w(Options(), *template_);
  EXPECT_EQ(Compose(w)->writer, "openai");
}

TEST_F(OpenAiWriterTest, StalledResponseTimesOutAndIsRetried) {
  server_->Scenario({{{"kind", "stall"}, {"seconds", 3}}});
  auto o = Options();
  o.request_timeout = milliseconds(400);
  OpenAiWriter w(o, *template_);
  const auto t0 = Steady::now();
  auto e = Compose(w);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->writer, "openai");
  EXPECT_LT(Steady::now() - t0, milliseconds(2000));
  EXPECT_EQ(Requests().size(), 2u);
}

TEST_F(OpenAiWriterTest, UnreadableRepliesAreRetried) {
  server_->Scenario(
      {Kind("truncated"), Kind("truncated_json"), Kind("malformed"), Kind("missing_fields"), Kind("disconnect")});
  auto o = Options();
  o.max_retries = 5;
  OpenAiWriter w(o, *template_);
  auto e = Compose(w);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->writer, "openai");
  EXPECT_EQ(Requests().size(), 6u);
}

TEST_F(OpenAiWriterTest, GivesUpAfterMaxRetriesAndUsesTheTemplate) {
  server_->Scenario(json::array(), Status(500));
  auto o = Options();
  o.max_retries = 2;
  OpenAiWriter w(o, *template_);
  auto e = Compose(w);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->writer, "template");
  EXPECT_NE(e->subject.find("Lena"), std::string::npos);
  EXPECT_EQ(Requests().size(), 3u);
}

TEST_F(OpenAiWriterTest, RetryBudgetBoundsCompose) {
  server_->Scenario(json::array(), Status(503, {{"retry-after", "1"}}));
  auto o = Options();
  o.max_retries = 100;
  o.budget = milliseconds(2500);
  OpenAiWriter w(o, *template_);
  const auto t0 = Steady::now();
  auto e = Compose(w);
  EXPECT_LT(Steady::now() - t0, milliseconds(2600));
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->writer, "template");
}

TEST_F(OpenAiWriterTest, RefusalIsAskedOnceMoreThenTemplate) {
  server_->Scenario({Kind("refusal")});
  OpenAiWriter w(Options(), *template_);
  EXPECT_EQ(Compose(w)->writer, "openai");
  server_->Scenario({Kind("refusal"), Kind("refusal")});
  auto e = Compose(w);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->writer, "template");
  EXPECT_GT(e->prompt_tokens, 0);  // what the refusals cost is still recorded
  EXPECT_EQ(Requests().size(), 2u);
}

TEST_F(OpenAiWriterTest, LengthCutOffAsksAgainWithMoreTokens) {
  server_->Scenario({Kind("length")});
  OpenAiWriter w(Options(), *template_);
  auto e = Compose(w);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->writer, "openai");
  json r = Requests();
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1]["max_tokens"], 1200);
  server_->Scenario(json::array(), Kind("length"));
  EXPECT_EQ(Compose(w)->writer, "template");
}

TEST_F(OpenAiWriterTest, ScriptInHtmlIsSanitized) {
  server_->Scenario({Kind("script_html")});
  OpenAiWriter w(Options(), *template_);
  auto e = Compose(w);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->writer, "openai");
  for (const char* bad : {"<script", "onclick", "javascript:", "<iframe", "alert("})
    EXPECT_EQ(e->html.find(bad), std::string::npos) << bad << " in " << e->html;
  EXPECT_NE(e->html.find("href=\"https://shop.test?utm"), std::string::npos);
  EXPECT_EQ(Requests().size(), 1u);
}

TEST_F(OpenAiWriterTest, FailedChecksRetryOnceThenTemplate) {
  server_->Scenario({Kind("placeholder")});
  OpenAiWriter w(Options(), *template_);
  EXPECT_EQ(Compose(w)->writer, "openai");
  EXPECT_EQ(Requests().size(), 2u);
  server_->Scenario(json::array(), Kind("placeholder"));
  auto e = Compose(w);
  EXPECT_EQ(e->writer, "template");
  EXPECT_EQ(e->text.find("[Name]"), std::string::npos);
  EXPECT_EQ(Requests().size(), 2u);
}

TEST_F(OpenAiWriterTest, ServerWithoutJsonSchemaGetsJsonModeThenPlainContent) {
  server_->Scenario(json::array(), Kind("ok"), {{"json_schema", false}});
  OpenAiWriter w(Options(), *template_);
  EXPECT_EQ(Compose(w)->writer, "openai");
  EXPECT_EQ(w.output_mode(), OutputMode::kJsonObject);
  EXPECT_EQ(Compose(w)->writer, "openai");  // remembered: one request
  json r = Requests();
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0]["mode"], "json_schema");
  EXPECT_EQ(r[1]["mode"], "json_object");
  EXPECT_EQ(r[2]["mode"], "json_object");

  server_->Scenario(json::array(), Kind("ok"), {{"json_schema", false}, {"json_object", false}});
  OpenAiWriter plain(Options(), *template_);
  auto e = Compose(plain);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->writer, "openai");
  EXPECT_EQ(plain.output_mode(), OutputMode::kPlain);
  EXPECT_EQ(e->subject, "Lena, we saved something for you");
  EXPECT_NE(e->html.find("<a href=\"https://shop.test?utm"), std::string::npos);  // HTML made from the text
  EXPECT_EQ(Requests().size(), 3u);
}

TEST_F(OpenAiWriterTest, PlainContentWhateverWasAsked) {
  server_->Scenario({Kind("plain")});
  OpenAiWriter w(Options(), *template_);
  EXPECT_EQ(Compose(w)->writer, "openai");
}

TEST_F(OpenAiWriterTest, UsageFieldsVariantsAndNoRateLimitHeaders) {
  OpenAiWriter w(Options(), *template_);
  for (const char* usage : {"openai", "input_output", "total_only", "none"}) {
    server_->Scenario({{{"kind", "ok"}, {"usage", usage}, {"rate_headers", false}}});
    auto e = Compose(w);
    ASSERT_TRUE(e.ok());
    EXPECT_EQ(e->writer, "openai") << usage;
    EXPECT_GT(e->prompt_tokens, 50) << usage;
    EXPECT_GT(e->completion_tokens, 50) << usage;
  }
}

TEST_F(OpenAiWriterTest, ConnectionRefusedFallsBack) {
  auto o = Options();
  o.base_url = "http://127.0.0.1:1/v1";
  o.max_retries = 1;
  OpenAiWriter w(o, *template_);
  auto e = Compose(w);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->writer, "template");
}

TEST_F(OpenAiWriterTest, BreakerOpensWhileTheEndpointFailsAndProbesLater) {
  server_->Scenario(json::array(), Status(500));
  auto o = Options();
  o.max_retries = 1;
  o.breaker_failures = 3;
  o.breaker_cooldown = milliseconds(800);
  OpenAiWriter w(o, *template_);
  EXPECT_EQ(Compose(w)->writer, "template");  // 2 failures
  EXPECT_EQ(Compose(w)->writer, "template");  // the 3rd opens the breaker
  EXPECT_EQ(w.breaker_state(), CircuitBreaker::State::kOpen);
  EXPECT_EQ(Requests().size(), 3u);
  const auto t0 = Steady::now();
  for (int i = 0; i < 5; ++i) EXPECT_EQ(Compose(w)->writer, "template");
  EXPECT_LT(Steady::now() - t0, milliseconds(200));  // no waiting on a dead endpoint
  EXPECT_EQ(Requests().size(), 3u);
  // The endpoint recovers; after the cooldown a probe closes the breaker.
  server_->Scenario(json::array(), Kind("ok"));
  std::this_thread::sleep_for(milliseconds(900));
  EXPECT_EQ(Compose(w)->writer, "openai");
  EXPECT_EQ(w.breaker_state(), CircuitBreaker::State::kClosed);
}

TEST_F(OpenAiWriterTest, ThroughputIndependentOfLatency) {
  server_->Scenario(json::array(), {{"kind", "ok"}, {"latency_ms", 300}});
  auto o = Options();
  o.client.max_in_flight = 32;
  OpenAiWriter w(o, *template_);
  std::vector<std::thread> callers;
  std::atomic<int> openai{0};
  const auto t0 = Steady::now();
  for (int i = 0; i < 64; ++i)
    callers.emplace_back([&] {
      if (Compose(w)->writer == "openai") ++openai;
    });
  for (auto& t : callers) t.join();
  const auto elapsed = Steady::now() - t0;
  EXPECT_EQ(openai.load(), 64);
  // 64 calls of 300 ms each, 32 at a time: about 0.6 s (19 s one by one).
  EXPECT_LT(elapsed, milliseconds(2500));
  EXPECT_EQ(w.client_stats().max_in_flight_seen, 32);
  EXPECT_GE(server_->Requests()["max_concurrent"].get<int>(), 24);
}

TEST_F(OpenAiWriterTest, RequestsPerMinuteLimitHoldsRequests) {
  auto o = Options();
  o.client.requests_per_minute = 5;
  o.budget = milliseconds(1500);
  OpenAiWriter w(o, *template_);
  std::vector<std::thread> callers;
  std::atomic<int> openai{0}, unavailable{0};
  for (int i = 0; i < 8; ++i)
    callers.emplace_back([&] {
      auto e = Compose(w);
      if (e.ok() && e->writer == "openai") ++openai;
      if (!e.ok() && e.status().code() == Code::kUnavailable) ++unavailable;
    });
  for (auto& t : callers) t.join();
  EXPECT_EQ(openai.load(), 5);
  EXPECT_EQ(unavailable.load(), 3);  // held past the budget: the queue retries them later
  EXPECT_EQ(Requests().size(), 5u);
}

}  // namespace
}  // namespace rkd
