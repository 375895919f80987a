#include "metrics/scrape_sources.h"

#include <prometheus/metric_family.h>

#include <utility>

#include "base/log.h"

namespace rkd {
namespace {

prometheus::MetricFamily GaugeFamily(std::string name, std::string help) {
  return prometheus::MetricFamily{std::move(name), std::move(help), prometheus::MetricType::Gauge, {}};
}

void AddSample(prometheus::MetricFamily* family, std::vector<prometheus::ClientMetric::Label> labels, double value) {
  prometheus::ClientMetric m;
  m.label = std::move(labels);
  m.gauge.value = value;
  family->metric.push_back(std::move(m));
}

const char* StateLabel(CircuitBreaker::State s) {
  switch (s) {
    case CircuitBreaker::State::kClosed:
      return "closed";
    case CircuitBreaker::State::kOpen:
      return "open";
    case CircuitBreaker::State::kHalfOpen:
      return "half_open";
  }
  return "unknown";
}

}  // namespace

Metrics::Source QueueGauges(Bus& bus) {
  return [&bus](std::vector<prometheus::MetricFamily>* out) {
    auto stats = bus.Stats();
    if (!stats.ok()) {
      LogWarn("metrics: cannot read the queues", {{"error", stats.status().ToString()}});
      return false;
    }
    auto depth = GaugeFamily("rekindle_queue_depth", "Messages waiting to be received, by queue.");
    auto in_flight = GaugeFamily("rekindle_queue_in_flight",
                                 "Messages received and not yet acknowledged (or delayed by a retry), by queue.");
    auto oldest = GaugeFamily("rekindle_queue_oldest_message_age_seconds",
                              "Age of the oldest message in the queue (0 when empty), by queue.");
    auto dead = GaugeFamily("rekindle_queue_dead_letters", "Messages in the queue's dead-letter queue, by queue.");
    for (const QueueStats& q : *stats) {
      AddSample(&depth, {{"queue", q.name}}, static_cast<double>(q.depth));
      AddSample(&in_flight, {{"queue", q.name}}, static_cast<double>(q.in_flight));
      AddSample(&oldest, {{"queue", q.name}}, q.oldest_age_seconds);
      AddSample(&dead, {{"queue", q.name}}, static_cast<double>(q.dlq_depth));
    }
    for (auto* f : {&depth, &in_flight, &oldest, &dead}) out->push_back(std::move(*f));
    return true;
  };
}

Metrics::Source StoreGauges(Store& store, double threshold, std::string checkpoint) {
  return [&store, threshold, checkpoint = std::move(checkpoint)](std::vector<prometheus::MetricFamily>* out) {
    auto m = store.Metrics(threshold);
    auto head = store.LatestChangeSeq();
    auto done = head.ok() ? store.GetCheckpoint(checkpoint) : Result<int64_t>(head.status());
    const Status failed = !m.ok() ? m.status() : !done.ok() ? done.status() : Status::Ok();
    if (!failed.ok()) {
      LogWarn("metrics: cannot read the store", {{"error", failed.ToString()}});
      return false;
    }
    auto emails = GaugeFamily("rekindle_emails", "Emails in the store, by status.");
    // Every status the API defines, zeros included, so that a ratio never divides by absent.
    for (const char* s : {"GENERATED", "SENT", "OPENED", "CLICKED", "FAILED"}) {
      double n = 0;
      for (const auto& [status, count] : m->emails_by_status)
        if (status == s) n = static_cast<double>(count);
      AddSample(&emails, {{"status", s}}, n);
    }
    auto users = GaugeFamily("rekindle_users", "Clients in the store.");
    AddSample(&users, {}, static_cast<double>(m->users));
    auto at_risk = GaugeFamily("rekindle_users_at_risk", "Clients whose engagement score is below the threshold.");
    AddSample(&at_risk, {}, static_cast<double>(m->at_risk));
    auto lag = GaugeFamily("rekindle_stream_lag_changes",
                           "Changes written to the change stream and not yet published (head minus checkpoint).");
    AddSample(&lag, {}, static_cast<double>(*head > *done ? *head - *done : 0));
    for (auto* f : {&emails, &users, &at_risk, &lag}) out->push_back(std::move(*f));
    return true;
  };
}

Metrics::Source BreakerGauge(std::function<CircuitBreaker::State()> state) {
  return [state = std::move(state)](std::vector<prometheus::MetricFamily>* out) {
    const CircuitBreaker::State now = state();
    auto f = GaugeFamily("rekindle_llm_circuit_breaker_state",
                         "1 for the LLM circuit breaker's current state (closed, open, half_open), 0 for the others.");
    for (auto s : {CircuitBreaker::State::kClosed, CircuitBreaker::State::kOpen, CircuitBreaker::State::kHalfOpen})
      AddSample(&f, {{"state", StateLabel(s)}}, s == now ? 1 : 0);
    out->push_back(std::move(f));
    return true;
  };
}

}  // namespace rkd
