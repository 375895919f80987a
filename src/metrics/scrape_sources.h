// The figures read at scrape time from where they live, as Metrics sources: queue
// gauges from the bus, emails by status, clients and the change stream's lag from the
// store, the LLM circuit breaker's state. Each source returns false (and logs) when its
// backend fails, so a scrape shows rekindle_metrics_source_up 0 instead of stale figures.
// The bus, store and breaker must outlive the Metrics that holds the source; the
// sources are as thread-safe as those (all are).
#pragma once

#include <functional>
#include <string>

#include "base/circuit_breaker.h"
#include "bus/bus.h"
#include "metrics/metrics.h"
#include "store/store.h"

namespace rkd {

// rekindle_queue_depth, _in_flight, _oldest_message_age_seconds, _dead_letters by queue.
Metrics::Source QueueGauges(Bus& bus);

// rekindle_emails{status}, rekindle_users, rekindle_users_at_risk (from Store::Metrics,
// `threshold` the at-risk bound) and rekindle_stream_lag_changes: changes written to the
// change stream and not yet published past the checkpoint named `checkpoint`.
Metrics::Source StoreGauges(Store& store, double threshold, std::string checkpoint);

// rekindle_llm_circuit_breaker_state{state}: 1 for the breaker's current state, 0 for
// the others.
Metrics::Source BreakerGauge(std::function<CircuitBreaker::State()> state);

}  // namespace rkd
