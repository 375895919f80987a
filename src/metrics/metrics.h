// Metrics: the process's Prometheus registry and every instrument group the parts of
// Rekindle update, rendered in the text exposition format (0.0.4) for GET /metrics.
// main builds one and hands each part its group (HttpMetrics to WithMetrics, LlmMetrics
// to the LLM writer, EmailMetrics to the email processor, SweepMetrics to the sweeper);
// no part finds it by itself, and a part given none records nothing.
//
// Two kinds of figures: instruments the parts move as things happen (atomic counters
// and histograms, cheap on the hot path), and gauges read at scrape time from their
// source (queue depths from the bus, emails by status and stream lag from the store, the
// breaker's state): a Source appends those families on each Render.
// Thread-safety: the groups and Render are thread-safe; AddSource is not, and is called
// while wiring, before the first scrape.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "metrics/http_metrics.h"
#include "metrics/pipeline_metrics.h"

namespace prometheus {
class Registry;
struct MetricFamily;
}  // namespace prometheus

namespace rkd {

struct MetricsInfo {
  std::string version;            // rekindle_build_info{version}
  std::string mailer = "outbox";  // the mailer label of the mail send counters
};

class Metrics {
 public:
  explicit Metrics(const MetricsInfo& info);
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // Appends the families it reads now. A source whose backend fails appends nothing
  // for it and reports the failure by returning false (rekindle_metrics_source_up 0).
  using Source = std::function<bool(std::vector<prometheus::MetricFamily>*)>;
  void AddSource(std::string name, Source source);

  // The whole exposition: the registry's instruments, then each source's families.
  std::string Render() const;

  prometheus::Registry& registry() { return *registry_; }
  HttpMetrics& http() { return http_; }
  LlmMetrics& llm() { return llm_; }
  EmailMetrics& email() { return email_; }
  SweepMetrics& sweep() { return sweep_; }

 private:
  std::shared_ptr<prometheus::Registry> registry_;  // first: the groups below register in it
  HttpMetrics http_;
  LlmMetrics llm_;
  EmailMetrics email_;
  SweepMetrics sweep_;
  std::vector<std::pair<std::string, Source>> sources_;
};

}  // namespace rkd
