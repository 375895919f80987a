// HttpMetrics: the HTTP requests the application handler answered, by route, method and
// status code (rekindle_http_requests_total), and how long the handler took, by route
// (rekindle_http_request_duration_seconds). WithMetrics wraps the application handler
// (access check, router, CORS) and records every request it answers.
// Labels stay bounded: the route is the pattern that matched (HttpRequest::route, e.g.
// "/api/users/:userId"), "other" when none did (the dashboard's files, 404s, requests
// the access check refused); methods outside the usual few are "other".
// Thread-safe.
#pragma once

#include <string>

#include "http/router.h"

namespace prometheus {
class Counter;
class Histogram;
class Registry;
template <typename T>
class Family;
}  // namespace prometheus

namespace rkd {

class HttpMetrics {
 public:
  explicit HttpMetrics(prometheus::Registry& registry);

  // `route` as matched ("" when none did), the method as received.
  void Observe(const std::string& route, const std::string& method, int status, double seconds);

 private:
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& duration_;
};

// The handler's time is measured from the call to the return (not the socket's writes).
Handler WithMetrics(HttpMetrics& metrics, Handler inner);

}  // namespace rkd
