// GET /metrics: the Prometheus text exposition (format 0.0.4) of a Metrics, behind a
// bearer guard. With RKD_METRICS_TOKEN set only that token is accepted (a scraper gets
// no API key); else the API keys (RKD_API_KEYS) are; with neither the endpoint is open,
// as the API is (serve then listens on loopback only). A refused caller gets 401 with
// WWW-Authenticate: Bearer. Keys are compared in constant time. Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "http/router.h"
#include "metrics/metrics.h"

namespace rkd {

struct MetricsGuard {
  std::string token;                  // RKD_METRICS_TOKEN; empty: the API keys decide
  std::vector<std::string> api_keys;  // RKD_API_KEYS
};

// May a request with this Authorization header read the metrics?
bool MetricsAuthorized(const MetricsGuard& guard, const std::string& authorization);

// The handler for GET /metrics; `metrics` outlives it.
Handler MetricsEndpoint(const Metrics& metrics, MetricsGuard guard);

inline constexpr const char* kPrometheusTextContentType = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace rkd
