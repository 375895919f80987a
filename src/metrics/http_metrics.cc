#include "metrics/http_metrics.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <chrono>

namespace rkd {
namespace {

const std::string& MethodLabel(const std::string& method) {
  static const std::string kKnown[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
  static const std::string kOther = "other";
  for (const std::string& m : kKnown)
    if (m == method) return m;
  return kOther;
}

// From a millisecond to ten seconds: API calls sit in the low buckets, an import or a
// sweep posted through the API in the high ones.
const prometheus::Histogram::BucketBoundaries& LatencyBuckets() {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                                   0.25,  0.5,    1,     2.5,  5,     10};
  return kBuckets;
}

}  // namespace

HttpMetrics::HttpMetrics(prometheus::Registry& registry)
    : requests_(prometheus::BuildCounter()
                    .Name("rekindle_http_requests_total")
                    .Help("HTTP requests answered, by route pattern, method and status code.")
                    .Register(registry)),
      duration_(prometheus::BuildHistogram()
                    .Name("rekindle_http_request_duration_seconds")
                    .Help("Time the application handler took to answer, by route pattern.")
                    .Register(registry)) {}

void HttpMetrics::Observe(const std::string& route, const std::string& method, int status, double seconds) {
  const std::string& route_label = route.empty() ? std::string("other") : route;
  requests_.Add({{"route", route_label}, {"method", MethodLabel(method)}, {"code", std::to_string(status)}})
      .Increment();
  duration_.Add({{"route", route_label}}, LatencyBuckets()).Observe(seconds);
}

Handler WithMetrics(HttpMetrics& metrics, Handler inner) {
  return [&metrics, inner = std::move(inner)](HttpRequest& request) {
    const auto started = std::chrono::steady_clock::now();
    HttpResponse response = inner(request);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    metrics.Observe(request.route, request.method, response.status, seconds);
    return response;
  };
}

}  // namespace rkd
