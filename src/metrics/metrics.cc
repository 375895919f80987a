#include "metrics/metrics.h"

#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/metric_family.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include "base/log.h"

namespace rkd {

Metrics::Metrics(const MetricsInfo& info)
    : registry_(std::make_shared<prometheus::Registry>()),
      http_(*registry_),
      llm_(*registry_),
      email_(*registry_, info.mailer),
      sweep_(*registry_) {
  prometheus::BuildGauge()
      .Name("rekindle_build_info")
      .Help("Always 1; the labels name the running build.")
      .Register(*registry_)
      .Add({{"version", info.version}})
      .Set(1);
}

Metrics::~Metrics() = default;

void Metrics::AddSource(std::string name, Source source) { sources_.emplace_back(std::move(name), std::move(source)); }

std::string Metrics::Render() const {
  std::vector<prometheus::MetricFamily> families = registry_->Collect();
  if (!sources_.empty()) {
    prometheus::MetricFamily up{"rekindle_metrics_source_up",
                                "1 when the scrape-time figures of this source (bus, store, llm) could be read.",
                                prometheus::MetricType::Gauge,
                                {}};
    for (const auto& [name, source] : sources_) {
      // A failing backend costs its own figures, not the whole scrape: the counters
      // above stay readable while the store is down.
      std::vector<prometheus::MetricFamily> read;
      const bool ok = source(&read);
      if (ok)
        families.insert(families.end(), std::make_move_iterator(read.begin()), std::make_move_iterator(read.end()));
      prometheus::ClientMetric m;
      m.label = {{"source", name}};
      m.gauge.value = ok ? 1 : 0;
      up.metric.push_back(std::move(m));
    }
    families.push_back(std::move(up));
  }
  return prometheus::TextSerializer().Serialize(families);
}

}  // namespace rkd
