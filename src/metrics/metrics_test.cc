#include "metrics/metrics.h"

#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "base/circuit_breaker.h"
#include "metrics/metrics_endpoint.h"
#include "metrics/scrape_sources.h"

namespace rkd {
namespace {

// The exposition's samples, "name{labels}" → value; fails the test on a line that is
// neither a comment nor `name{labels} value`.
std::map<std::string, double> Samples(const std::string& exposition) {
  std::map<std::string, double> out;
  std::istringstream in(exposition);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    if (line[0] == '#') {
      EXPECT_TRUE(line.rfind("# HELP rekindle_", 0) == 0 || line.rfind("# TYPE rekindle_", 0) == 0) << line;
      continue;
    }
    const size_t space = line.rfind(' ');
    EXPECT_NE(space, std::string::npos) << line;
    if (space == std::string::npos) continue;
    const std::string series = line.substr(0, space);
    EXPECT_EQ(series.rfind("rekindle_", 0), 0u) << line;
    EXPECT_EQ(series.find(' '), std::string::npos) << line;
    size_t parsed = 0;
    const double value = std::stod(line.substr(space + 1), &parsed);
    EXPECT_EQ(parsed, line.size() - space - 1) << line;
    EXPECT_FALSE(out.count(series)) << "duplicate series " << series;
    out[series] = value;
  }
  return out;
}

HttpRequest Get(std::string path, std::string authorization = "") {
  HttpRequest r;
  r.method = "GET";
  r.target = r.path = std::move(path);
  if (!authorization.empty()) r.headers["authorization"] = std::move(authorization);
  return r;
}

TEST(MetricsTest, ExpositionHasBuildInfoAndTypedFamilies) {
  Metrics metrics({.version = "9.9.9", .mailer = "smtp"});
  const std::string text = metrics.Render();
  auto samples = Samples(text);
  EXPECT_EQ(samples.at("rekindle_build_info{version=\"9.9.9\"}"), 1);
  EXPECT_NE(text.find("# TYPE rekindle_build_info gauge\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE rekindle_llm_requests_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE rekindle_sweep_duration_seconds histogram\n"), std::string::npos);
  // Every outcome is there from the start, at 0, so rates over them are defined.
  EXPECT_EQ(samples.at("rekindle_llm_requests_total{outcome=\"success\"}"), 0);
  EXPECT_EQ(samples.at("rekindle_mail_sends_total{mailer=\"smtp\",outcome=\"permanent\"}"), 0);
  EXPECT_EQ(samples.at("rekindle_sweeps_total{outcome=\"failed\"}"), 0);
}

TEST(MetricsTest, PipelineInstrumentsMove) {
  Metrics metrics({.version = "1"});
  metrics.llm().Request(LlmOutcome::kRateLimited);
  metrics.llm().Tokens(120, 80);
  metrics.llm().Retry();
  metrics.email().Send(MailOutcome::kSent, 0.02);
  metrics.email().Finished("SENT", "template");
  metrics.email().Finished("SENT", "template");
  metrics.sweep().Finished(1.5, 1'700'000'000);
  auto s = Samples(metrics.Render());
  EXPECT_EQ(s.at("rekindle_llm_requests_total{outcome=\"rate_limited\"}"), 1);
  EXPECT_EQ(s.at("rekindle_llm_tokens_total{type=\"prompt\"}"), 120);
  EXPECT_EQ(s.at("rekindle_llm_tokens_total{type=\"completion\"}"), 80);
  EXPECT_EQ(s.at("rekindle_llm_retries_total"), 1);
  EXPECT_EQ(s.at("rekindle_mail_sends_total{mailer=\"outbox\",outcome=\"sent\"}"), 1);
  EXPECT_EQ(s.at("rekindle_mail_send_duration_seconds_count{mailer=\"outbox\"}"), 1);
  EXPECT_EQ(s.at("rekindle_emails_finished_total{status=\"SENT\",writer=\"template\"}"), 2);
  EXPECT_EQ(s.at("rekindle_sweep_duration_seconds_count"), 1);
  EXPECT_EQ(s.at("rekindle_sweep_duration_seconds_bucket{le=\"1\"}"), 0);
  EXPECT_EQ(s.at("rekindle_sweep_duration_seconds_bucket{le=\"5\"}"), 1);
  EXPECT_EQ(s.at("rekindle_sweep_last_success_timestamp_seconds"), 1'700'000'000);
}

TEST(MetricsTest, WithMetricsCountsByRouteMethodAndCode) {
  Metrics metrics({.version = "1"});
  Handler app = [](HttpRequest& r) {
    HttpResponse resp;
    if (r.path.rfind("/api/users/", 0) == 0) {
      r.route = "/api/users/:userId";  // as the router sets it
    } else {
      resp.status = 404;
    }
    return resp;
  };
  Handler h = WithMetrics(metrics.http(), app);
  for (const char* path : {"/api/users/u1", "/api/users/u2", "/nope"}) {
    HttpRequest r = Get(path);
    h(r);
  }
  HttpRequest odd = Get("/api/users/u3");
  odd.method = "BREW";  // an unknown method is one label value, whatever it is
  h(odd);
  auto s = Samples(metrics.Render());
  EXPECT_EQ(s.at("rekindle_http_requests_total{code=\"200\",method=\"GET\",route=\"/api/users/:userId\"}"), 2);
  EXPECT_EQ(s.at("rekindle_http_requests_total{code=\"404\",method=\"GET\",route=\"other\"}"), 1);
  EXPECT_EQ(s.at("rekindle_http_requests_total{code=\"200\",method=\"other\",route=\"/api/users/:userId\"}"), 1);
  EXPECT_EQ(s.at("rekindle_http_request_duration_seconds_count{route=\"/api/users/:userId\"}"), 3);
  EXPECT_EQ(s.at("rekindle_http_request_duration_seconds_bucket{route=\"other\",le=\"+Inf\"}"), 1);
}

TEST(MetricsTest, ScrapeSourcesAppendTheirFamiliesAndReportFailure) {
  Metrics metrics({.version = "1"});
  CircuitBreaker breaker(1, std::chrono::hours(1));
  metrics.AddSource("llm", BreakerGauge([&breaker] { return breaker.state(); }));
  metrics.AddSource("store", [](std::vector<prometheus::MetricFamily>*) { return false; });
  auto s = Samples(metrics.Render());
  EXPECT_EQ(s.at("rekindle_llm_circuit_breaker_state{state=\"closed\"}"), 1);
  EXPECT_EQ(s.at("rekindle_llm_circuit_breaker_state{state=\"open\"}"), 0);
  EXPECT_EQ(s.at("rekindle_metrics_source_up{source=\"llm\"}"), 1);
  EXPECT_EQ(s.at("rekindle_metrics_source_up{source=\"store\"}"), 0);
  breaker.RecordFailure();
  s = Samples(metrics.Render());
  EXPECT_EQ(s.at("rekindle_llm_circuit_breaker_state{state=\"open\"}"), 1);
  EXPECT_EQ(s.at("rekindle_llm_circuit_breaker_state{state=\"closed\"}"), 0);
}

TEST(MetricsGuardTest, OpenWithoutTokenOrKeys) {
  EXPECT_TRUE(MetricsAuthorized({}, ""));
  EXPECT_TRUE(MetricsAuthorized({}, "Bearer anything"));
}

TEST(MetricsGuardTest, TokenAloneIsAcceptedWhenSet) {
  const MetricsGuard guard{"scrape-token", {"alpha-key"}};
  EXPECT_TRUE(MetricsAuthorized(guard, "Bearer scrape-token"));
  EXPECT_FALSE(MetricsAuthorized(guard, "Bearer alpha-key"));  // the API keys do not open it then
  EXPECT_FALSE(MetricsAuthorized(guard, ""));
  EXPECT_FALSE(MetricsAuthorized(guard, "Bearer "));
  EXPECT_FALSE(MetricsAuthorized(guard, "Bearer scrape"));         // a prefix
  EXPECT_FALSE(MetricsAuthorized(guard, "Bearer scrape-token "));  // a longer one
  EXPECT_FALSE(MetricsAuthorized(guard, "Bearer scrape-tokeN"));   // the last byte
  EXPECT_FALSE(MetricsAuthorized(guard, "Basic scrape-token"));    // another scheme
  EXPECT_FALSE(MetricsAuthorized(guard, "scrape-token"));          // no scheme
}

TEST(MetricsGuardTest, ApiKeysWhenNoToken) {
  const MetricsGuard guard{"", {"alpha-key", "beta-key"}};
  EXPECT_TRUE(MetricsAuthorized(guard, "Bearer alpha-key"));
  EXPECT_TRUE(MetricsAuthorized(guard, "Bearer beta-key"));
  EXPECT_FALSE(MetricsAuthorized(guard, "Bearer alpha"));
  EXPECT_FALSE(MetricsAuthorized(guard, "Bearer gamma-key"));
  EXPECT_FALSE(MetricsAuthorized(guard, ""));
}

TEST(MetricsEndpointTest, RefusesWithoutTheTokenAndServesTextFormatWithIt) {
  Metrics metrics({.version = "2.0"});
  Handler endpoint = MetricsEndpoint(metrics, {"t0ken", {}});
  HttpRequest anonymous = Get("/metrics");
  HttpResponse refused = endpoint(anonymous);
  EXPECT_EQ(refused.status, 401);
  bool challenged = false;
  for (const auto& [name, value] : refused.headers)
    challenged |= name == "WWW-Authenticate" && value.find("Bearer") == 0;
  EXPECT_TRUE(challenged);
  EXPECT_EQ(refused.body.find("rekindle_"), std::string::npos);

  HttpRequest scraper = Get("/metrics", "Bearer t0ken");
  HttpResponse ok = endpoint(scraper);
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(Samples(ok.body).at("rekindle_build_info{version=\"2.0\"}"), 1);
}

// The whole chain as main wires it: WithMetrics around a handler that serves /metrics;
// the scrape sees the request counted before it.
TEST(MetricsEndpointTest, CounterMovesAfterARequestThroughWithMetrics) {
  Metrics metrics({.version = "1"});
  Handler scrape = MetricsEndpoint(metrics, {});
  Handler app = WithMetrics(metrics.http(), [&scrape](HttpRequest& r) {
    r.route = "/metrics";
    return scrape(r);
  });
  const std::string series = "rekindle_http_requests_total{code=\"200\",method=\"GET\",route=\"/metrics\"}";
  HttpRequest first = Get("/metrics");
  EXPECT_EQ(Samples(app(first).body).count(series), 0u);
  HttpRequest second = Get("/metrics");
  EXPECT_EQ(Samples(app(second).body).at(series), 1);
}

}  // namespace
}  // namespace rkd
